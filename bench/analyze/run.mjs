// bench/analyze/run.mjs: what analysing a package costs (issue #3). One process, in memory, nothing
// extracted or run.
//
//   node bench/analyze/run.mjs [--rounds N] [--only name,...] [--json out.json] [--budget]
//
// Corpus: every 5th package of /work/shared/benign/top-1000.txt (200) plus a few big ones, stored
// once in bench/.out/analyze/tarballs/ (copied from /tmp/benign-corpus when it holds them,
// otherwise fetched from the registry). The TypeScript source is bundled with rolldown into
// bench/.out/analyze/ first, so no build of dist/ is needed and the figures are for src/ as it is.
//
// Per package, per round:
//   floor    = readTarball (gunzip + untar in memory, the reader analysis uses)
//   analysis = readTarball + analyzeFiles (facts, rules, verdict)
// Times are process CPU time (process.cpuUsage(): the machine is shared and wall time is noisy);
// each package's figure is its median over the rounds. JS = unpacked bytes of the files fact
// extraction parses (.js/.cjs/.mjs/.jsx and, stripped of types, .ts/.mts/.cts/.tsx; not .d.ts);
// MB/s per core = JS MB / analysis CPU seconds.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { rolldown } from 'rolldown';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(root, 'bench/.out/analyze');
const tarballDir = join(outDir, 'tarballs');
const TOP = '/work/shared/benign/top-1000.txt';
const LOCAL_CORPUS = '/tmp/benign-corpus';
const REGISTRY = (process.env.npm_config_registry ?? 'https://registry.npmjs.org/').replace(/\/?$/, '/');
/** Big real packages of bundled JavaScript (the p95/max cases): name@version or name (latest). */
const EXTRA = ['typescript@5.9.3', 'three', 'pdfjs-dist', '@swc/core'];
// The files fact extraction parses (src/rules/sample-facts.ts): JavaScript and TypeScript, not
// declarations.
const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const DECLARATION = /\.d\.(?:[cm]?ts|[^/.]+\.ts)$/i;

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
    json: { type: 'string' },
    // Keep the per-package time budget (src/rules/sample-facts.ts). Off by default: on a loaded
    // machine it cuts the big packages short and the figures would count work not done.
    budget: { type: 'boolean', default: false },
  },
});
const context = args.budget ? {} : { timeBudgetMs: Number.POSITIVE_INFINITY };
const rounds = Math.max(1, Number(args.rounds));

// ----- corpus -----
mkdirSync(tarballDir, { recursive: true });
const fileNameOf = (spec) => `${spec.replace('/', '+')}.tgz`;

const fetchTarball = async (spec) => {
  const at = spec.lastIndexOf('@');
  const [name, version] = at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, undefined];
  const res = await fetch(`${REGISTRY}${name.replace('/', '%2f')}`);
  if (!res.ok) throw new Error(`${name}: packument HTTP ${res.status}`);
  const doc = await res.json();
  const v = version ?? doc['dist-tags']?.latest;
  const tarball = doc.versions?.[v]?.dist?.tarball;
  if (!tarball) throw new Error(`${name}@${v}: no tarball in the packument`);
  const tgz = await fetch(tarball);
  if (!tgz.ok) throw new Error(`${name}@${v}: tarball HTTP ${tgz.status}`);
  return { file: fileNameOf(`${name}@${v}`), bytes: Buffer.from(await tgz.arrayBuffer()) };
};

const wanted = readFileSync(TOP, 'utf8')
  .split('\n')
  .filter(Boolean)
  .filter((_, i) => i % 5 === 0)
  .map(fileNameOf);
const corpusFiles = [];
for (const file of wanted) {
  const target = join(tarballDir, file);
  if (!existsSync(target)) {
    const local = join(LOCAL_CORPUS, file);
    if (existsSync(local)) copyFileSync(local, target);
    else {
      const at = file.lastIndexOf('@');
      const spec = `${file.slice(0, at).replace('+', '/')}${file.slice(at, -4)}`;
      try {
        writeFileSync(target, (await fetchTarball(spec)).bytes);
      } catch (error) {
        console.error(`skipped ${spec}: ${error.message}`);
        continue;
      }
    }
  }
  corpusFiles.push(file);
}
for (const spec of EXTRA) {
  const present = readdirSync(tarballDir).find(
    (f) =>
      f === fileNameOf(spec) ||
      (!spec.slice(1).includes('@') && f.startsWith(`${fileNameOf(spec).slice(0, -4)}@`)),
  );
  if (present) {
    if (!corpusFiles.includes(present)) corpusFiles.push(present);
    continue;
  }
  try {
    const { file, bytes } = await fetchTarball(spec);
    writeFileSync(join(tarballDir, file), bytes);
    corpusFiles.push(file);
  } catch (error) {
    console.error(`skipped ${spec}: ${error.message}`);
  }
}
const only = args.only?.split(',');
const selected = only
  ? corpusFiles.filter((f) => only.some((o) => f.startsWith(fileNameOf(o).slice(0, -4))))
  : corpusFiles;

// ----- code under test -----
const bundle = await rolldown({
  input: {
    analyze: join(root, 'src/analysis/analyze.ts'),
    tarball: join(root, 'src/tarball/index.ts'),
  },
  platform: 'node',
  external: [/^[^./]/],
  logLevel: 'warn',
});
await bundle.write({ dir: join(outDir, 'code'), format: 'esm', entryFileNames: '[name].mjs' });
await bundle.close();
const { analyzeFiles } = await import(pathToFileURL(join(outDir, 'code/analyze.mjs')).href);
const { readTarball } = await import(pathToFileURL(join(outDir, 'code/tarball.mjs')).href);

const packages = [];
for (const file of selected) {
  const bytes = readFileSync(join(tarballDir, file));
  const contents = await readTarball(bytes, { source: file });
  let js = 0;
  let jsFiles = 0;
  for (const [path, f] of contents.files) {
    if (SOURCE_FILE.test(path) && !DECLARATION.test(path)) {
      js += f.size;
      jsFiles++;
    }
  }
  packages.push({
    name: file.slice(0, -4).replace('+', '/'),
    bytes,
    js,
    jsFiles,
    files: contents.files.size,
    unpacked: contents.unpackedBytes,
    floor: [],
    analysis: [],
    wall: [],
    findings: 0,
  });
}

const cpuMs = (start) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

// Warm the JIT: every 10th package once, both paths.
for (let i = 0; i < packages.length; i += 10) {
  const p = packages[i];
  analyzeFiles((await readTarball(p.bytes, { source: p.name })).files, {}, context);
}

for (let round = 0; round < rounds; round++) {
  for (const p of packages) {
    let t = process.cpuUsage();
    await readTarball(p.bytes, { source: p.name });
    p.floor.push(cpuMs(t));
    t = process.cpuUsage();
    const w = performance.now();
    const contents = await readTarball(p.bytes, { source: p.name });
    const assessment = analyzeFiles(contents.files, {}, context);
    p.analysis.push(cpuMs(t));
    p.wall.push(performance.now() - w);
    p.findings = assessment.findings.length;
  }
}

// ----- figures -----
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
for (const p of packages) {
  p.floorMs = median(p.floor);
  p.analysisMs = median(p.analysis);
  p.wallMs = median(p.wall);
}
const sum = (f) => packages.reduce((n, p) => n + f(p), 0);
const jsMB = sum((p) => p.js) / 1e6;
const floorS = sum((p) => p.floorMs) / 1000;
const analysisS = sum((p) => p.analysisMs) / 1000;
const per = packages.map((p) => p.analysisMs);
const perWall = packages.map((p) => p.wallMs);
const fmt = (n, d = 1) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

console.log(
  `corpus: ${packages.length} packages, ${sum((p) => p.jsFiles)} JS files, ${fmt(jsMB)} MB of JS, ${fmt(sum((p) => p.unpacked) / 1e6)} MB unpacked, ${fmt(sum((p) => p.bytes.length) / 1e6)} MB gzipped; ${rounds} round(s), median per package`,
);
console.log('');
console.log('| | per package p50 | p95 | max | total CPU | MB/s of JS per core |');
console.log('|---|---|---|---|---|---|');
console.log(
  `| floor (gunzip + untar) | ${fmt(median(packages.map((p) => p.floorMs)), 2)} ms | ${fmt(
    pct(
      packages.map((p) => p.floorMs),
      95,
    ),
  )} ms | ${fmt(Math.max(...packages.map((p) => p.floorMs)))} ms | ${fmt(floorS, 2)} s | ${fmt(jsMB / floorS)} |`,
);
console.log(
  `| analysis (read + analyzeFiles) | ${fmt(median(per), 2)} ms | ${fmt(pct(per, 95))} ms | ${fmt(Math.max(...per))} ms | ${fmt(analysisS, 2)} s | **${fmt(jsMB / analysisS)}** |`,
);
console.log(
  `| analysis, wall | ${fmt(median(perWall), 2)} ms | ${fmt(pct(perWall, 95))} ms | ${fmt(Math.max(...perWall))} ms | ${fmt(sum((p) => p.wallMs) / 1000, 2)} s | ${fmt(jsMB / (sum((p) => p.wallMs) / 1000))} |`,
);
console.log('');
console.log(
  `ratio analysis/floor: ${fmt(analysisS / floorS)}× in total, ${fmt(median(packages.map((p) => p.analysisMs / Math.max(0.01, p.floorMs))))}× per package (median)`,
);
console.log(
  `targets: ≥ 20 MB/s per core ${jsMB / analysisS >= 20 ? 'met' : 'NOT met'}; median < 50 ms ${median(per) < 50 ? 'met' : 'NOT met'}; max ≤ 10 s ${Math.max(...per) <= 10_000 ? 'met' : 'NOT met'}`,
);
console.log('');
console.log('slowest 10 (CPU):');
console.log('| package | JS files | JS MB | analysis ms | floor ms | MB/s | findings |');
console.log('|---|---|---|---|---|---|---|');
for (const p of [...packages].sort((a, b) => b.analysisMs - a.analysisMs).slice(0, 10)) {
  console.log(
    `| ${p.name} | ${p.jsFiles} | ${fmt(p.js / 1e6, 2)} | ${fmt(p.analysisMs, 0)} | ${fmt(p.floorMs, 0)} | ${fmt(p.js / 1e6 / (p.analysisMs / 1000))} | ${p.findings} |`,
  );
}
if (args.json) {
  writeFileSync(
    args.json,
    `${JSON.stringify(
      packages.map(({ name, js, jsFiles, floorMs, analysisMs, wallMs, findings }) => ({
        name,
        js,
        jsFiles,
        floorMs,
        analysisMs,
        wallMs,
        findings,
      })),
      null,
      1,
    )}\n`,
  );
}
