// bench/analyze/typescript-strip: measures amaro (swc in wasm, strip-only) against sucrase (pure JS)
// as the TypeScript front of src/analysis/parse, on the TypeScript files of real packages and on
// hostile inputs (see docs/decisions/typescript.md).
//
//   node bench/analyze/typescript-strip.mjs [corpus-dir]     default: BULWARK_CORPUS or /tmp/benign-corpus
//
// Each candidate is loaded from the project or from BULWARK_BENCH_MODULES (an extra node_modules
// folder), so both can be measured while the project depends on one. Sources are read from the
// tarballs in memory; nothing is extracted or run. Each pass and each hostile input runs in a fresh
// child process, so load cost, crashes and peak RSS are its own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const self = fileURLToPath(import.meta.url);
const out = join(root, 'bench/.out/typescript-strip');
const corpusFile = join(out, 'corpus.json');
const TS = /\.(?:ts|tsx|mts|cts)$/;
const DECLARATION = /\.d\.(?:ts|mts|cts)$|\.d\.[^/]*\.ts$/;
const HOSTILE_TIMEOUT_MS = 30_000;

const requireFrom = [createRequire(join(root, 'package.json'))];
if (process.env.BULWARK_BENCH_MODULES)
  requireFrom.push(createRequire(join(process.env.BULWARK_BENCH_MODULES, 'package.json')));
const load = (name) => {
  for (const req of requireFrom) {
    try {
      return req(name);
    } catch {}
  }
  return undefined;
};

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

// ---------- candidates: text → { code } or throw ----------

const candidates = {
  'amaro strip-only': () => {
    const amaro = load('amaro');
    return amaro && ((text) => amaro.transformSync(text, { mode: 'strip-only' }).code);
  },
  sucrase: () => {
    const sucrase = load('sucrase');
    return (
      sucrase &&
      ((text, path) =>
        sucrase.transform(text, {
          transforms: path.endsWith('.tsx') ? ['typescript', 'jsx'] : ['typescript'],
          jsxRuntime: 'preserve',
          disableESTransforms: true,
          keepUnusedImports: true,
          filePath: path,
        }).code)
    );
  },
};

const errorKind = (error) => {
  if (error instanceof RangeError) return `RangeError: ${error.message.slice(0, 40)}`;
  if (error?.code) return String(error.code);
  if (error instanceof WebAssembly.RuntimeError) return `wasm trap: ${error.message.slice(0, 40)}`;
  return `${error?.name ?? 'Error'}`;
};

// ---------- child: one candidate over the corpus ----------

const runCorpus = async (name) => {
  const { parseModule, parseScript } = await import('meriyah');
  const t0 = performance.now();
  const strip = candidates[name]();
  const loadMs = performance.now() - t0;
  if (!strip) return { name, missing: true };
  const corpus = JSON.parse(readFileSync(corpusFile, 'utf8'));
  for (let i = 0; i < corpus.length; i += 20) {
    try {
      strip(corpus[i].text, corpus[i].path);
    } catch {}
  }
  const rss0 = process.memoryUsage().rss;
  const failures = new Map();
  const times = [];
  let bytes = 0;
  let sameLength = 0;
  let sameLines = 0;
  let parsed = 0;
  const examples = [];
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (const file of corpus) {
    bytes += file.text.length;
    const start = performance.now();
    let code;
    try {
      code = strip(file.text, file.path);
    } catch (error) {
      times.push(performance.now() - start);
      const kind = errorKind(error);
      failures.set(kind, (failures.get(kind) ?? 0) + 1);
      if (examples.length < 12)
        examples.push(
          `${file.pkg}/${file.path}: ${kind} ${String(error?.message).split('\n')[0].slice(0, 100)}`,
        );
      continue;
    }
    times.push(performance.now() - start);
    if (code.length === file.text.length) sameLength++;
    if (code.split('\n').length === file.text.split('\n').length) sameLines++;
    const options = { next: true, jsx: true, ranges: true };
    try {
      parseModule(code, options);
      parsed++;
    } catch {
      try {
        parseScript(code, { ...options, webcompat: true, globalReturn: true });
        parsed++;
      } catch (error) {
        const kind = `stripped, meriyah: ${String(error?.description ?? error?.message).slice(0, 50)}`;
        failures.set(kind, (failures.get(kind) ?? 0) + 1);
        if (examples.length < 12) examples.push(`${file.pkg}/${file.path}: ${kind}`);
      }
    }
  }
  const wall = (performance.now() - wall0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    name,
    files: corpus.length,
    mb: bytes / 1e6,
    loadMs,
    mbPerSecWall: bytes / 1e6 / wall,
    mbPerSecCpu: bytes / 1e6 / ((cpu.user + cpu.system) / 1e6),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: Math.max(...times),
    failed: corpus.length - parsed,
    failures: Object.fromEntries([...failures].sort((a, b) => b[1] - a[1])),
    sameLength,
    sameLines,
    rssGrowthMb: (process.memoryUsage().rss - rss0) / 1e6,
    examples,
  };
};

// ---------- hostile inputs ----------

const hostile = {
  'nested ( x10k': () => `const a: number = ${'('.repeat(10_000)}1${')'.repeat(10_000)};`,
  'nested ( x100k': () => `const a: number = ${'('.repeat(100_000)}1${')'.repeat(100_000)};`,
  'generic <Array< x10k': () => `let a: ${'Array<'.repeat(10_000)}string${'>'.repeat(10_000)};`,
  'if(a) x10k': () => `let a: any;\n${'if(a)'.repeat(10_000)}a;`,
  'a?b: x10k': () => `let a: any, b: any;\n${'a?b:'.repeat(10_000)}a;`,
  'a+a 1M terms': () => `let a: number = 1;\nlet b = ${'a+'.repeat(1_000_000)}a;`,
  'union type 200k': () => `type T = ${Array.from({ length: 200_000 }, (_, i) => `'k${i}'`).join(' | ')};`,
  '5 MB one line': () => {
    const unit = 'const x_0: number = (a as any)!.b<string>(1);';
    return unit.repeat(Math.ceil((5 * 1024 * 1024) / unit.length));
  },
  'unterminated template 1 MB': () => `const a: string = \`${'x'.repeat(1_000_000)}`,
  'lone surrogates': () => `const s: string = '\uD800\uDC00\uD800';\nlet t = s as any;`,
};

const runHostile = (candidate, input) => {
  const strip = candidates[candidate]();
  if (!strip) return { missing: true };
  const text = hostile[input]();
  const start = performance.now();
  let result;
  try {
    strip(text, 'hostile.ts');
    result = 'ok';
  } catch (error) {
    result = `threw ${errorKind(error)}`;
  }
  const ms = performance.now() - start;
  // Does the instance still work after the failure (a wasm trap can leave it broken)?
  let after;
  try {
    after = strip('const ok: number = 1;', 'after.ts').includes('const ok')
      ? 'next call ok'
      : 'next call wrong';
  } catch (error) {
    after = `next call threw ${errorKind(error)}`;
  }
  return { result, ms, after, rssMb: process.memoryUsage().rss / 1e6 };
};

// ---------- parent ----------

const readTarball = (path) =>
  new Promise((resolvePromise, reject) => {
    const files = [];
    const extract = tar.extract();
    extract.on('entry', (header, stream, next) => {
      const chunks = [];
      const wanted = header.type === 'file' && TS.test(header.name) && !DECLARATION.test(header.name);
      stream.on('data', (chunk) => wanted && chunks.push(chunk));
      stream.on('end', () => {
        if (wanted) files.push({ path: header.name, text: Buffer.concat(chunks).toString('utf8') });
        next();
      });
      stream.resume();
    });
    extract.on('finish', () => resolvePromise(files));
    extract.on('error', reject);
    extract.end(gunzipSync(readFileSync(path)));
  });

const child = (args) => {
  const r = spawnSync(process.execPath, [self, ...args], {
    encoding: 'utf8',
    timeout: HOSTILE_TIMEOUT_MS * 10,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status === 0) return JSON.parse(r.stdout);
  return { crashed: r.signal ?? `exit ${r.status}`, stderr: r.stderr.split('\n').slice(0, 3).join(' | ') };
};

const main = async () => {
  const corpusDir = resolve(process.argv[2] ?? process.env.BULWARK_CORPUS ?? '/tmp/benign-corpus');
  mkdirSync(out, { recursive: true });
  const names = readdirSync(corpusDir)
    .filter((n) => n.endsWith('.tgz'))
    .sort();
  const corpus = [];
  const packages = new Set();
  for (const name of names) {
    for (const file of await readTarball(join(corpusDir, name))) {
      corpus.push({ pkg: name.replace(/\.tgz$/, ''), ...file });
      packages.add(name);
    }
  }
  writeFileSync(corpusFile, JSON.stringify(corpus));
  const byExt = {};
  for (const f of corpus) {
    const ext = /\.([a-z]+)$/.exec(f.path)[1];
    byExt[ext] = (byExt[ext] ?? 0) + 1;
  }
  const mb = corpus.reduce((n, f) => n + f.text.length, 0) / 1e6;
  console.log(
    `corpus: ${names.length} tarballs, ${packages.size} with TypeScript sources, ${corpus.length} files, ${mb.toFixed(1)} M chars, ${JSON.stringify(byExt)} (.d.ts left out)`,
  );
  for (const name of Object.keys(candidates)) {
    const r = child(['--corpus', name]);
    console.log(JSON.stringify(r, null, 1));
  }
  console.log('\nhostile (child process each; result / ms / state after / RSS MB):');
  for (const input of Object.keys(hostile)) {
    const row = [input.padEnd(28)];
    for (const name of Object.keys(candidates)) {
      const r = child(['--hostile', name, input]);
      row.push(
        r.crashed
          ? `${name}: CRASH ${r.crashed} ${r.stderr.slice(0, 80)}`
          : r.missing
            ? `${name}: not installed`
            : `${name}: ${r.result}, ${r.ms.toFixed(0)} ms, ${r.after}, ${r.rssMb.toFixed(0)} MB`,
      );
    }
    console.log(row.join(' || '));
  }
};

if (process.argv[2] === '--corpus') {
  process.stdout.write(JSON.stringify(await runCorpus(process.argv[3])));
} else if (process.argv[2] === '--hostile') {
  process.stdout.write(JSON.stringify(runHostile(process.argv[3], process.argv[4])));
} else {
  if (!existsSync(join(root, 'node_modules/tar-stream'))) throw new Error('run npm install first');
  await main();
}
