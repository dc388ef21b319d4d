// bench/diff/run.mjs: what `bulwark diff` costs on two consecutive real releases of a ~5 MB
// package, without the file facts cache, with the older release's analysis cached, and with
// both cached (issue #4: "a diff of two versions of a 5 MB package with the older one cached in
// ≤ 1 s").
//
//   node bench/diff/run.mjs [--runs N] [--pairs name@from..to,...] [--json out.json]
//
// Uses the BUILT code: dist/ (tsc output) for the in-process phases and bin/bulwark.js (the
// bundle) for the end-to-end figures, from a snapshot in bench/.out/diff/app taken under the
// shared build lock (it builds first unless BULWARK_SKIP_BUILD=1). Tarballs come from the registry once and are kept in
// /work/cache/histories/<name>/ (written atomically, integrity checked).
//
// Per pair:
//   in process (dist/):  read both tarballs, analyse both sides, diff and render, save the cache
//     cold          no cache at all
//     older cached  a cache holding only the older release (seeded by analysing it alone)
//     both cached   the cache the previous case left (a re-run of the same diff)
//   CLI (bin/bulwark.js diff a.tgz b.tgz --format json, a fresh process, BULWARK_HOME of its own):
//     the same three cases (cold = --no-cache), and `bulwark --version` for the start-up floor.
// Each figure is the median of --runs runs, wall and CPU (user + system) time: on a shared
// machine wall time also counts waiting for a core.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const HISTORIES = '/work/cache/histories';
const REGISTRY = (
  process.env.npm_config_registry ??
  execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim()
).replace(/\/?$/, '/');
const TARGET_MS = 1000;
// rxjs: 4.9 MB unpacked, 2,277 files, 2.1 MB of JavaScript and TypeScript. 7.8.0 → 7.8.1 is a
// typical patch (both UMD bundles and 22 modules changed); 7.8.1 → 7.8.2 also touched the doc
// comments of 100 TypeScript sources.
const DEFAULT_PAIRS = ['rxjs@7.8.0..7.8.1', 'rxjs@7.8.1..7.8.2'];
const CODE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const DECLARATION = /\.d\.(?:[cm]?ts|[^/.]+\.ts)$/i;

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    pairs: { type: 'string' },
    json: { type: 'string' },
  },
});
const runs = Math.max(1, Number(args.runs));
const pairs = (args.pairs?.split(',') ?? DEFAULT_PAIRS).map((spec) => {
  const at = spec.lastIndexOf('@');
  const [from, to] = spec.slice(at + 1).split('..');
  return { name: spec.slice(0, at), from, to };
});

// ----- build -----
// Others rebuild dist/ on this machine at any time: take a snapshot of the build under the lock
// and measure that (node_modules linked, for better-sqlite3).
const app = join(root, 'bench/.out/diff/app');
rmSync(app, { recursive: true, force: true });
mkdirSync(app, { recursive: true });
const snapshot = `cp -r dist bin package.json '${app}/' && ln -s '${join(root, 'node_modules')}' '${app}/node_modules'`;
console.error('taking a snapshot of dist/ under /tmp/bulwark-build.lock …');
execFileSync(
  'flock',
  [
    '/tmp/bulwark-build.lock',
    'sh',
    '-c',
    process.env.BULWARK_SKIP_BUILD === '1' ? snapshot : `npm run build >/dev/null && ${snapshot}`,
  ],
  { cwd: root, stdio: 'inherit' },
);
const dist = (path) => import(pathToFileURL(join(app, 'dist', path)).href);
const { readTarball } = await dist('tarball/read-tarball.js');
const { analyzeSide } = await dist('diff/analyze-side.js');
const { diffPackages } = await dist('diff/diff-packages.js');
const { renderDiff } = await dist('diff/render-diff.js');
const { openFileFactsStore } = await dist('analysis/file-facts-store.js');
const CLI = join(app, 'bin/bulwark.js');

// ----- tarballs -----
const packuments = new Map();
const packumentOf = async (name) => {
  if (!packuments.has(name)) {
    const res = await fetch(`${REGISTRY}${name.replace('/', '%2f')}`);
    if (!res.ok) throw new Error(`${name}: packument HTTP ${res.status}`);
    packuments.set(name, await res.json());
  }
  return packuments.get(name);
};

const tarballOf = async (name, version) => {
  const dir = join(HISTORIES, name.replace('/', '+'));
  const path = join(dir, `${name.replace('/', '+').replace('@', '')}-${version}.tgz`);
  if (existsSync(path)) return path;
  const dist = (await packumentOf(name)).versions?.[version]?.dist;
  if (!dist?.tarball) throw new Error(`${name}@${version}: not in the registry`);
  const res = await fetch(dist.tarball);
  if (!res.ok) throw new Error(`${name}@${version}: tarball HTTP ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  const [algorithm, digest] = (dist.integrity ?? '').split('-');
  if (algorithm && createHash(algorithm).update(bytes).digest('base64') !== digest)
    throw new Error(`${name}@${version}: integrity mismatch`);
  mkdirSync(dir, { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, path);
  return path;
};

// ----- measuring -----
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const summary = (samples) => ({
  wallMs: Math.round(median(samples.map((s) => s.wallMs))),
  cpuMs: Math.round(median(samples.map((s) => s.cpuMs))),
  minWallMs: Math.round(Math.min(...samples.map((s) => s.wallMs))),
});

/** The diff as the CLI does it (src/cli/commands/diff.ts), in this process. */
const diffInProcess = async (fromPath, toPath, location) => {
  const wall = performance.now();
  const cpu = cpuMs();
  const store = location === undefined ? undefined : openFileFactsStore(location);
  const read = async (path) => {
    const contents = await readTarball(readFileSync(path), { source: path });
    return { files: contents.files, context: { archive: contents.problems } };
  };
  const from = await read(fromPath);
  const to = await read(toPath);
  const fromSide = analyzeSide(from.files, {}, from.context, store?.cache);
  const toSide = analyzeSide(to.files, {}, to.context, store?.cache);
  const json = renderDiff(diffPackages(fromSide, toSide, []), 'json');
  const stats = store ? { ...store.cache.stats } : undefined;
  store?.save();
  store?.close();
  return { wallMs: performance.now() - wall, cpuMs: cpuMs() - cpu, json, stats };
};

/** One `bulwark diff` process; CPU time from /usr/bin/time (user + system). */
const diffCli = (fromPath, toPath, home, extra = []) => {
  const timing = join(home, 'time.txt');
  const started = performance.now();
  const run = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%U %S',
      '-o',
      timing,
      process.execPath,
      CLI,
      'diff',
      fromPath,
      toPath,
      '--format',
      'json',
      ...extra,
    ],
    { env: { ...process.env, BULWARK_HOME: home, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const wallMs = performance.now() - started;
  if (run.status !== 0 && run.status !== 1)
    throw new Error(`bulwark diff exited ${run.status}: ${run.stderr}`);
  const [user, system] = readFileSync(timing, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  return { wallMs, cpuMs: (user + system) * 1000, json: run.stdout };
};

const cliStartup = (home) => {
  const timing = join(home, 'time.txt');
  const started = performance.now();
  spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', timing, process.execPath, CLI, '--version'], {
    env: { ...process.env, BULWARK_HOME: home },
  });
  const wallMs = performance.now() - started;
  const [user, system] = readFileSync(timing, 'utf8').trim().split(/\s+/).map(Number);
  return { wallMs, cpuMs: (user + system) * 1000 };
};

const describePair = async (fromPath, toPath) => {
  const a = (await readTarball(readFileSync(fromPath), { source: fromPath })).files;
  const b = (await readTarball(readFileSync(toPath), { source: toPath })).files;
  const size = (files, code) =>
    [...files]
      .filter(([path]) => !code || (CODE.test(path) && !DECLARATION.test(path)))
      .reduce((sum, [, f]) => sum + f.bytes.byteLength, 0);
  const changed = [...b].filter(([path, f]) => {
    const old = a.get(path)?.bytes;
    return old === undefined || Buffer.compare(Buffer.from(old), Buffer.from(f.bytes)) !== 0;
  });
  const changedCode = changed.filter(([path]) => CODE.test(path) && !DECLARATION.test(path));
  return {
    bytes: size(b, false),
    codeBytes: size(b, true),
    files: b.size,
    filesChanged: changed.length + [...a.keys()].filter((path) => !b.has(path)).length,
    codeFilesChanged: changedCode.length,
    codeBytesChanged: changedCode.reduce((sum, [, f]) => sum + f.bytes.byteLength, 0),
  };
};

// ----- run -----
const work = mkdtempSync(join(tmpdir(), 'bulwark-bench-diff-'));
const results = [];
try {
  for (const pair of pairs) {
    const label = `${pair.name} ${pair.from} → ${pair.to}`;
    console.error(`${label}: fetching …`);
    const fromPath = await tarballOf(pair.name, pair.from);
    const toPath = await tarballOf(pair.name, pair.to);
    const shape = await describePair(fromPath, toPath);

    // A cache holding the older release alone, copied afresh for every "older cached" run.
    const seedHome = join(work, 'seed');
    const seedDb = join(seedHome, 'cache', 'file-facts.db');
    rmSync(seedHome, { recursive: true, force: true });
    const seed = openFileFactsStore(seedDb);
    const olderFiles = (await readTarball(readFileSync(fromPath), { source: fromPath })).files;
    // Unhurried: on a busy machine the package's time budget would leave files out of the seed.
    analyzeSide(olderFiles, {}, { archive: [], timeBudgetMs: Number.POSITIVE_INFINITY }, seed.cache);
    seed.save();
    seed.close();
    const freshHome = (name) => {
      const home = join(work, name);
      rmSync(home, { recursive: true, force: true });
      mkdirSync(join(home, 'cache'), { recursive: true });
      copyFileSync(seedDb, join(home, 'cache', 'file-facts.db'));
      return home;
    };

    const inProcess = { cold: [], olderCached: [], bothCached: [] };
    const cli = { startup: [], cold: [], olderCached: [], bothCached: [] };
    const outputs = new Set();
    let stats;
    for (let run = 0; run < runs; run++) {
      console.error(`${label}: run ${run + 1}/${runs}`);
      const cold = await diffInProcess(fromPath, toPath, undefined);
      const home = freshHome('in-process');
      const db = join(home, 'cache', 'file-facts.db');
      const older = await diffInProcess(fromPath, toPath, db);
      const both = await diffInProcess(fromPath, toPath, db);
      stats = { olderCached: older.stats, bothCached: both.stats };
      inProcess.cold.push(cold);
      inProcess.olderCached.push(older);
      inProcess.bothCached.push(both);
      for (const r of [cold, older, both]) outputs.add(r.json);

      const cliHome = freshHome('cli');
      cli.startup.push(cliStartup(cliHome));
      const cliCold = diffCli(fromPath, toPath, cliHome, ['--no-cache']);
      const cliOlder = diffCli(fromPath, toPath, cliHome);
      const cliBoth = diffCli(fromPath, toPath, cliHome);
      cli.cold.push(cliCold);
      cli.olderCached.push(cliOlder);
      cli.bothCached.push(cliBoth);
      const parsed = new Set([cliCold, cliOlder, cliBoth].map((r) => r.json));
      if (parsed.size !== 1)
        throw new Error(`${label}: the CLI's reports differ between cached and uncached runs`);
    }
    if (outputs.size !== 1)
      throw new Error(`${label}: in-process reports differ between cached and uncached runs`);

    const result = {
      pair: label,
      ...shape,
      runs,
      inProcess: Object.fromEntries(Object.entries(inProcess).map(([k, v]) => [k, summary(v)])),
      cli: Object.fromEntries(Object.entries(cli).map(([k, v]) => [k, summary(v)])),
      cacheStats: stats,
    };
    results.push(result);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// ----- report -----
const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
const fig = (s) => `${s.wallMs} ms wall / ${s.cpuMs} ms CPU`;
const ratio = (s) => `${(s.wallMs / TARGET_MS).toFixed(2)}× wall, ${(s.cpuMs / TARGET_MS).toFixed(2)}× CPU`;
for (const r of results) {
  console.log(`\n## ${r.pair}`);
  console.log(
    `${mb(r.bytes)} unpacked, ${r.files} files, ${mb(r.codeBytes)} of JS/TS; ` +
      `${r.filesChanged} files changed, ${r.codeFilesChanged} of them JS/TS (${mb(r.codeBytesChanged)})`,
  );
  console.log(`median of ${r.runs} runs; target ${TARGET_MS} ms for "older cached"\n`);
  console.log('| case | in process | CLI (fresh process) | CLI ratio to 1 s |');
  console.log('|---|---|---|---|');
  console.log(`| cold (no cache) | ${fig(r.inProcess.cold)} | ${fig(r.cli.cold)} | ${ratio(r.cli.cold)} |`);
  console.log(
    `| older cached | ${fig(r.inProcess.olderCached)} | ${fig(r.cli.olderCached)} | ${ratio(r.cli.olderCached)} |`,
  );
  console.log(
    `| both cached | ${fig(r.inProcess.bothCached)} | ${fig(r.cli.bothCached)} | ${ratio(r.cli.bothCached)} |`,
  );
  console.log(`| \`bulwark --version\` (start-up floor) | | ${fig(r.cli.startup)} | |`);
  console.log(
    `file look-ups, older cached: ${JSON.stringify(r.cacheStats.olderCached)}; both cached: ${JSON.stringify(r.cacheStats.bothCached)}`,
  );
}
if (args.json) writeFileSync(args.json, `${JSON.stringify(results, null, 2)}\n`);
