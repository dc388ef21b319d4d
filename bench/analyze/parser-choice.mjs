// bench/analyze/parser-choice: measures oxc-parser against meriyah on real npm packages and on
// hostile inputs, to choose the parser behind src/analysis/parse (see docs/decisions/js-parser.md).
//
//   node bench/analyze/parser-choice.mjs                 download (cached) + measure + print tables
//   node bench/analyze/parser-choice.mjs --download-only
//
// Tarballs are cached in bench/.out/parser-choice/tarballs (gitignored). Sources are read from
// the tarballs in memory (tar-stream + zlib); nothing is extracted to disk and nothing is run.
// Every parser pass runs in a fresh child process, so load cost and peak RSS are its own.
// Hostile inputs run in child processes with a time limit, so a crash or hang is observed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const self = fileURLToPath(import.meta.url);
const out = join(root, 'bench/.out/parser-choice');
const tarballDir = join(out, 'tarballs');
const topList = resolve(process.env.BULWARK_SHARED ?? join(root, '../shared'), 'benign/top-1000.txt');
const REGISTRY = 'https://registry.npmjs.org';
const SAMPLE_EVERY = 5; // every 5th of the top 1000: 200 packages across the popularity range
const HOSTILE_TIMEOUT_MS = 30_000;
const SOURCE_EXT = /\.(?:js|cjs|mjs|jsx|ts|tsx|mts|cts)$/;
const DECLARATION = /\.d\.(?:ts|mts|cts)$/;

// ---------- helpers ----------

const percentile = (values, p) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (v) => (Number.isFinite(v) ? (v < 1 ? v.toFixed(3) : v.toFixed(2)) : '-');
const mb = (bytes) => (bytes / 1e6).toFixed(1);
const table = (rows) => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const [n, row] of rows.entries()) {
    console.log(row.map((c, i) => String(c).padEnd(widths[i])).join('  '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
};
const extOf = (path) => (DECLARATION.test(path) ? 'd.ts' : (/\.([a-z]+)$/.exec(path)?.[1] ?? ''));

// ---------- download (cached) ----------

const sampleSpecs = () =>
  readFileSync(topList, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .filter((_, i) => i % SAMPLE_EVERY === 0);

const tarballPath = (spec) => join(tarballDir, `${spec.replace(/^@/, '').replace(/\//g, '__')}.tgz`);

const download = async () => {
  mkdirSync(tarballDir, { recursive: true });
  const specs = sampleSpecs();
  const todo = specs.filter((spec) => !existsSync(tarballPath(spec)));
  let failed = 0;
  const fetchOne = async (spec) => {
    const at = spec.lastIndexOf('@');
    const name = spec.slice(0, at);
    const version = spec.slice(at + 1);
    const res = await fetch(`${REGISTRY}/${name.replace('/', '%2f')}/${version}`);
    if (!res.ok) throw new Error(`${spec}: manifest HTTP ${res.status}`);
    const manifest = await res.json();
    const tgz = await fetch(manifest.dist.tarball);
    if (!tgz.ok) throw new Error(`${spec}: tarball HTTP ${tgz.status}`);
    writeFileSync(tarballPath(spec), Buffer.from(await tgz.arrayBuffer()));
  };
  const queue = [...todo];
  await Promise.all(
    Array.from({ length: 12 }, async () => {
      for (let spec = queue.shift(); spec; spec = queue.shift()) {
        try {
          await fetchOne(spec);
        } catch (error) {
          failed++;
          console.error(`download failed: ${error.message}`);
        }
      }
    }),
  );
  console.log(`tarballs: ${specs.length} sampled, ${todo.length - failed} downloaded now, ${failed} failed`);
};

// ---------- corpus (in memory) ----------

const readTarball = (path) =>
  new Promise((resolvePromise, reject) => {
    const files = [];
    const extract = tar.extract();
    extract.on('entry', (header, stream, next) => {
      const chunks = [];
      const wanted = header.type === 'file' && SOURCE_EXT.test(header.name);
      stream.on('data', (chunk) => wanted && chunks.push(chunk));
      stream.on('end', () => {
        if (wanted) files.push({ path: header.name, bytes: Buffer.concat(chunks) });
        next();
      });
      stream.resume();
    });
    extract.on('finish', () => resolvePromise(files));
    extract.on('error', reject);
    extract.end(gunzipSync(readFileSync(path)));
  });

const lenient = new TextDecoder('utf-8');
const strict = new TextDecoder('utf-8', { fatal: true });

/** Every source file of every cached tarball: { pkg, path, ext, text, size, invalidUtf8 }. */
const loadCorpus = async () => {
  const files = [];
  const declarations = { count: 0, bytes: 0 };
  const names = readdirSync(tarballDir)
    .filter((n) => n.endsWith('.tgz'))
    .sort();
  for (const name of names) {
    for (const entry of await readTarball(join(tarballDir, name))) {
      const ext = extOf(entry.path);
      if (ext === 'd.ts') {
        declarations.count++;
        declarations.bytes += entry.bytes.length;
        continue;
      }
      let invalidUtf8 = false;
      try {
        strict.decode(entry.bytes);
      } catch {
        invalidUtf8 = true;
      }
      files.push({
        pkg: name.replace(/\.tgz$/, ''),
        path: entry.path,
        ext,
        text: lenient.decode(entry.bytes),
        size: entry.bytes.length,
        invalidUtf8,
      });
    }
  }
  return { files, declarations, packages: names.length };
};

// ---------- parser strategies (what src/analysis/parse would do with each) ----------

const isTypeScript = (ext) => ext === 'ts' || ext === 'tsx' || ext === 'mts' || ext === 'cts';

const strategies = {
  // oxc: language from the extension (.js parsed as JSX: no valid JS starts an expression with `<`),
  // 'unambiguous' = module when import/export is present; a failed script retries as CommonJS
  // (top-level return).
  oxc: async () => {
    const { parseSync } = await import('oxc-parser');
    return (file) => {
      const lang = { ts: 'ts', mts: 'ts', cts: 'ts', tsx: 'tsx' }[file.ext] ?? 'jsx';
      const sourceType =
        file.ext === 'mjs' || file.ext === 'mts'
          ? 'module'
          : file.ext === 'cjs' || file.ext === 'cts'
            ? 'commonjs'
            : 'unambiguous';
      let r = parseSync(file.path, file.text, { lang, sourceType });
      let program = r.program;
      if (r.errors.length > 0 && program.sourceType === 'script') {
        const retry = parseSync(file.path, file.text, { lang, sourceType: 'commonjs' });
        if (retry.errors.length === 0) {
          r = retry;
          program = retry.program;
        }
      }
      const comments = r.comments.length;
      if (r.errors.length > 0) {
        const e = r.errors[0];
        return { ok: false, message: e.message, offset: e.labels[0]?.start };
      }
      return { ok: true, sourceType: program.sourceType, comments };
    };
  },
  // meriyah: module first, then script (Annex B web compat, top-level return); JSX always on.
  meriyah: async () => meriyahStrategy({ loc: false }),
  'meriyah+loc': async () => meriyahStrategy({ loc: true }),
};

const meriyahStrategy = async ({ loc }) => {
  const { parseModule, parseScript } = await import('meriyah');
  return (file) => {
    if (isTypeScript(file.ext))
      return { ok: false, message: 'TypeScript is not supported', unsupported: 'ts' };
    const comments = [];
    const common = { next: true, jsx: true, ranges: true, loc, onComment: comments };
    let firstError;
    if (file.ext !== 'cjs') {
      try {
        parseModule(file.text, common);
        return { ok: true, sourceType: 'module', comments: comments.length };
      } catch (error) {
        firstError = error;
      }
    }
    if (file.ext !== 'mjs') {
      comments.length = 0;
      try {
        parseScript(file.text, { ...common, webcompat: true, globalReturn: true });
        return { ok: true, sourceType: 'script', comments: comments.length };
      } catch (error) {
        firstError = firstError ?? error;
        if (file.ext === 'cjs') firstError = error;
      }
    }
    return { ok: false, message: String(firstError?.message ?? firstError), offset: firstError?.start };
  };
};

// ---------- child: one timed pass of one parser over the corpus ----------

const childPass = async (parserName) => {
  const { files } = await loadCorpus();
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  const t0 = performance.now();
  const parse = await strategies[parserName]();
  parse({ path: 'warm.js', ext: 'js', text: 'let a = 1;' });
  const loadMs = performance.now() - t0;
  // Warm-up on a slice of the corpus, so the JIT state is that of a long-running analyser.
  for (const file of files.slice(0, Math.ceil(files.length / 20))) parse(file);
  const results = [];
  const cpu0 = process.cpuUsage();
  for (const file of files) {
    const start = performance.now();
    let r;
    try {
      r = parse(file);
    } catch (error) {
      r = { ok: false, message: `THREW ${error?.message}` };
    }
    results.push({ ...r, ms: performance.now() - start });
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`\n@@RESULT@@${JSON.stringify({ loadMs, baseline, peakRss, cpuMs, results })}\n`);
};

// ---------- child: module load cost in a fresh process ----------

const childLoad = async (parserName) => {
  const t0 = performance.now();
  const parse = await strategies[parserName]();
  const t1 = performance.now();
  parse({ path: 'a.js', ext: 'js', text: 'const a = require("b"); module.exports = a;' });
  const t2 = performance.now();
  process.stdout.write(`\n@@RESULT@@${JSON.stringify({ importMs: t1 - t0, firstParseMs: t2 - t1 })}\n`);
};

// ---------- child: worker_threads (does it load; parallel throughput) ----------

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { strategy, files } = workerData;
  const mod = await import(${JSON.stringify(self)});
  const parse = await mod.strategies[strategy]();
  let failed = 0;
  const t0 = performance.now();
  for (const file of files) if (!parse(file).ok) failed++;
  parentPort.postMessage({ ms: performance.now() - t0, failed, n: files.length });
})().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
`;

const childWorkers = async (parserName, count) => {
  const { files } = await loadCorpus();
  const shards = Array.from({ length: count }, () => []);
  // deal the files round-robin by size so the shards carry similar work
  const bySize = [...files].sort((a, b) => b.size - a.size);
  for (const [i, f] of bySize.entries()) shards[i % count].push(f);
  const t0 = performance.now();
  const results = await Promise.all(
    shards.map(
      (shard) =>
        new Promise((res, rej) => {
          const w = new Worker(workerSource, {
            eval: true,
            workerData: {
              strategy: parserName,
              files: shard.map(({ path, ext, text }) => ({ path, ext, text })),
            },
          });
          w.once('message', (m) => {
            w.terminate();
            m.error ? rej(new Error(m.error)) : res(m);
          });
          w.once('error', rej);
        }),
    ),
  );
  const wallMs = performance.now() - t0;
  const bytes = files.reduce((s, f) => s + f.size, 0);
  process.stdout.write(`\n@@RESULT@@${JSON.stringify({ wallMs, bytes, results })}\n`);
};

// ---------- hostile inputs ----------

const hostileCases = {
  'minified 10 MB, one line': () => {
    const unit = 'var a0=function(b,c){return b+c*2},d1={k:"v",n:[1,2,3]};if(a0(1,2)>d1.n[0])d1.k+="x";';
    return unit.repeat(Math.ceil(10e6 / unit.length));
  },
  'nested parens 3k': () => `x=${'('.repeat(3_000)}1${')'.repeat(3_000)};`,
  'if(a) x10k (no bracket depth)': () => `${'if(a)'.repeat(10_000)}b;`,
  'a?b: x10k (no brackets)': () => `x=${'a?b:'.repeat(10_000)}c;`,
  'nested parens 10k': () => `x=${'('.repeat(10_000)}1${')'.repeat(10_000)};`,
  'nested arrays 10k': () => `x=${'['.repeat(10_000)}${']'.repeat(10_000)};`,
  'nested functions 10k': () => `${'function f(){'.repeat(10_000)}${'}'.repeat(10_000)}`,
  'nested parens 100k': () => `x=${'('.repeat(100_000)}1${')'.repeat(100_000)};`,
  'a+a+… 1M (left-deep AST)': () => `x=${'a+'.repeat(1_000_000)}a;`,
  '_0x string array 200k': () => {
    const items = Array.from(
      { length: 200_000 },
      (_, i) => `'\\x${(i % 200).toString(16).padStart(2, '0')}${i.toString(36)}'`,
    );
    return `var _0x3a1f=[${items.join(',')}];(function(_0x1,_0x2){var _0x3=function(_0x4){while(--_0x4){_0x1['push'](_0x1['shift']());}};_0x3(++_0x2);}(_0x3a1f,0x1b3));var _0x5e=function(_0x1,_0x2){return _0x3a1f[_0x1-0x0];};`;
  },
  'invalid UTF-8 (decoded lossily)': () =>
    lenient.decode(
      Buffer.concat([
        Buffer.from('var s = "'),
        Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
        Buffer.from('"; f();'),
      ]),
    ),
  'lone surrogate in source': () => `var s = "\ud800"; var \u{1d4d0} = 1; f("\udc00");`,
  '1M semicolons': () => ';'.repeat(1_000_000),
  'unterminated template 1 MB': () => `x = \`${'a'.repeat(1_000_000)}`,
  'regex 1M chars': () => `x = /${'a|'.repeat(500_000)}b/;`,
};

const childHostile = async (parserName, caseName) => {
  const text = hostileCases[caseName]();
  const parse = await strategies[parserName]();
  const t0 = performance.now();
  let outcome;
  try {
    const r = parse({ path: 'hostile.js', ext: 'js', text });
    outcome = r.ok ? 'parsed' : `error: ${r.message.slice(0, 70)}`;
  } catch (error) {
    outcome = `THREW ${error?.constructor?.name}: ${String(error?.message).slice(0, 60)}`;
  }
  const parseMs = performance.now() - t0;
  process.stdout.write(
    `\n@@RESULT@@${JSON.stringify({ outcome, parseMs, peakRss: process.resourceUsage().maxRSS * 1024 })}\n`,
  );
};

// ---------- parent ----------

const runChild = (args, timeout = 0, nodeArgs = []) => {
  const r = spawnSync(process.execPath, [...nodeArgs, self, ...args], {
    encoding: 'utf8',
    timeout: timeout || undefined,
    maxBuffer: 512 * 1024 * 1024,
  });
  const line = r.stdout?.split('\n').find((l) => l.startsWith('@@RESULT@@'));
  if (line) return { result: JSON.parse(line.slice('@@RESULT@@'.length)) };
  if (r.error?.code === 'ETIMEDOUT') return { failure: `HANG (killed after ${timeout / 1000} s)` };
  const why = r.signal ? `CRASH (signal ${r.signal})` : `CRASH (exit ${r.status})`;
  const last = (r.stderr ?? '').trim().split('\n').filter(Boolean).slice(-1)[0] ?? '';
  return { failure: `${why} ${last.slice(0, 60)}` };
};

const main = async () => {
  await download();
  if (process.argv.includes('--download-only')) return;
  const corpus = await loadCorpus();
  const { files } = corpus;
  const totalBytes = files.reduce((s, f) => s + f.size, 0);
  const byExt = new Map();
  for (const f of files) byExt.set(f.ext, (byExt.get(f.ext) ?? 0) + 1);
  console.log(
    `\ncorpus: ${corpus.packages} packages, ${files.length} source files, ${mb(totalBytes)} MB` +
      ` (${[...byExt].map(([e, n]) => `${n} .${e}`).join(', ')});` +
      ` ${corpus.declarations.count} .d.ts files (${mb(corpus.declarations.bytes)} MB) left out;` +
      ` ${files.filter((f) => f.invalidUtf8).length} files not valid UTF-8;` +
      ` largest file ${mb(Math.max(...files.map((f) => f.size)))} MB`,
  );

  // --- real corpus, one fresh process per parser ---
  const passes = new Map();
  for (const name of Object.keys(strategies)) {
    const { result, failure } = runChild(['--child-pass', name], 0, ['--expose-gc']);
    if (failure) {
      console.log(`${name}: ${failure}`);
      continue;
    }
    passes.set(name, result);
  }

  console.log(
    '\nReal packages (one core, parseSync, warm JIT; times include AST materialisation in JS; MB/s by CPU time counts all threads of the process incl. GC)',
  );
  const rows = [
    [
      'parser',
      'MB/s',
      'MB/s CPU',
      'file p50 ms',
      'file p95 ms',
      'file max ms',
      'pkg p50 ms',
      'pkg p95 ms',
      'pkg max ms',
      'failed files',
      'of which TS',
      'peak RSS - base MB',
    ],
  ];
  for (const [name, pass] of passes) {
    const timeTotal = pass.results.reduce((s, r) => s + r.ms, 0);
    const perPkg = new Map();
    for (const [i, r] of pass.results.entries())
      perPkg.set(files[i].pkg, (perPkg.get(files[i].pkg) ?? 0) + r.ms);
    const failed = pass.results.filter((r) => !r.ok);
    const times = pass.results.map((r) => r.ms);
    rows.push([
      name,
      (totalBytes / 1e6 / (timeTotal / 1000)).toFixed(1),
      (totalBytes / 1e6 / (pass.cpuMs / 1000)).toFixed(1),
      ms(percentile(times, 50)),
      ms(percentile(times, 95)),
      ms(Math.max(...times)),
      ms(percentile([...perPkg.values()], 50)),
      ms(percentile([...perPkg.values()], 95)),
      ms(Math.max(...perPkg.values())),
      `${failed.length} (${((failed.length / files.length) * 100).toFixed(2)}%)`,
      failed.filter((r) => r.unsupported === 'ts').length,
      mb(pass.peakRss - pass.baseline),
    ]);
  }
  table(rows);

  // JS only (what both parsers can read), for a like-for-like throughput
  const jsIdx = files.map((f, i) => (isTypeScript(f.ext) ? -1 : i)).filter((i) => i >= 0);
  const jsBytes = jsIdx.reduce((s, i) => s + files[i].size, 0);
  console.log(`\nJavaScript files only (${jsIdx.length} files, ${mb(jsBytes)} MB):`);
  for (const [name, pass] of passes) {
    const t = jsIdx.reduce((s, i) => s + pass.results[i].ms, 0);
    console.log(`  ${name.padEnd(12)} ${(jsBytes / 1e6 / (t / 1000)).toFixed(1)} MB/s`);
  }

  // --- failures, classified ---
  console.log('\nFailures by parser (JavaScript files; TypeScript counted above):');
  const flow = (f) => /@flow\b/.test(f.text.slice(0, 4000)) || /^\s*(?:import|export)\s+type\s/m.test(f.text);
  for (const [name, pass] of passes) {
    const failedJs = jsIdx.filter((i) => !pass.results[i].ok);
    const flowCount = failedJs.filter((i) => flow(files[i])).length;
    console.log(
      `  ${name}: ${failedJs.length} JS files fail (${flowCount} look like Flow, ${failedJs.length - flowCount} syntax/other)`,
    );
    for (const i of failedJs.slice(0, 8)) {
      const f = files[i];
      console.log(
        `    ${f.pkg}/${f.path.replace(/^package\//, '')}: ${pass.results[i].message.slice(0, 100)}`,
      );
    }
  }
  const oxc = passes.get('oxc');
  const mer = passes.get('meriyah');
  if (oxc && mer) {
    const onlyOxc = jsIdx.filter((i) => oxc.results[i].ok && !mer.results[i].ok);
    const onlyMer = jsIdx.filter((i) => !oxc.results[i].ok && mer.results[i].ok);
    console.log(
      `  JS parsed by oxc but not meriyah: ${onlyOxc.length}; by meriyah but not oxc: ${onlyMer.length}`,
    );
    for (const i of onlyMer.slice(0, 5))
      console.log(
        `    meriyah-only ${files[i].pkg}/${files[i].path}: oxc says ${oxc.results[i].message.slice(0, 90)}`,
      );
    const disagree = jsIdx.filter(
      (i) =>
        oxc.results[i].ok &&
        mer.results[i].ok &&
        oxc.results[i].sourceType !==
          (mer.results[i].sourceType === 'module' ? 'module' : oxc.results[i].sourceType),
    ).length;
    console.log(`  files meriyah reads as module but oxc (unambiguous) as script/commonjs: ${disagree}`);
  }

  // --- location info cost: oxc gives UTF-16 offsets; a line table turns them into line:column ---
  const tl = performance.now();
  let lines = 0;
  for (const f of files) {
    const starts = [0];
    for (let i = f.text.indexOf('\n'); i !== -1; i = f.text.indexOf('\n', i + 1)) starts.push(i + 1);
    lines += starts.length;
  }
  console.log(
    `\nLine tables for the whole corpus (offset -> line:column on demand): ${ms(performance.now() - tl)} ms for ${lines} lines`,
  );

  // --- load cost, fresh processes ---
  console.log('\nModule load (fresh process, median of 5): import + first tiny parse');
  for (const name of ['oxc', 'meriyah']) {
    const runs = Array.from({ length: 5 }, () => runChild(['--child-load', name]).result).filter(Boolean);
    console.log(
      `  ${name.padEnd(8)} import ${ms(
        percentile(
          runs.map((r) => r.importMs),
          50,
        ),
      )} ms, first parse ${ms(
        percentile(
          runs.map((r) => r.firstParseMs),
          50,
        ),
      )} ms`,
    );
  }

  // --- worker_threads ---
  console.log('\nworker_threads (corpus split across workers, wall time incl. worker start):');
  for (const name of ['oxc', 'meriyah']) {
    for (const n of [1, 2]) {
      const { result, failure } = runChild(['--child-workers', name, String(n)]);
      if (failure) console.log(`  ${name} x${n}: ${failure}`);
      else
        console.log(
          `  ${name} x${n}: ${(result.bytes / 1e6 / (result.wallMs / 1000)).toFixed(1)} MB/s aggregate, wall ${ms(result.wallMs)} ms`,
        );
    }
  }

  // --- hostile inputs ---
  console.log(`\nHostile inputs (child process each, ${HOSTILE_TIMEOUT_MS / 1000} s limit, default stack):`);
  const hrows = [['input', ...['oxc', 'meriyah'].flatMap((n) => [n, 'ms', 'RSS MB'])]];
  for (const caseName of Object.keys(hostileCases)) {
    const row = [caseName];
    for (const name of ['oxc', 'meriyah']) {
      const { result, failure } = runChild(['--child-hostile', name, caseName], HOSTILE_TIMEOUT_MS);
      if (failure) row.push(failure, '-', '-');
      else row.push(result.outcome, ms(result.parseMs), mb(result.peakRss));
    }
    hrows.push(row);
  }
  table(hrows);
};

const [mode, a, b] = process.argv.slice(2);
if (!isMainThread) {
  // imported by a bench worker for `strategies` only
} else if (mode === '--child-pass') await childPass(a);
else if (mode === '--child-load') await childLoad(a);
else if (mode === '--child-workers') await childWorkers(a, Number(b));
else if (mode === '--child-hostile') await childHostile(a, b);
else if (process.argv[1] === self) await main();

export { strategies };
