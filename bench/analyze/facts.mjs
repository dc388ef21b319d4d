// bench/analyze/facts: throughput of fact extraction (src/analysis/facts) on the real packages
// cached by bench/analyze/parser-choice.mjs (bench/.out/parser-choice/tarballs; run that with
// --download-only first). One core, in memory, nothing extracted or run.
//
//   node bench/analyze/facts.mjs
//
// The TypeScript source is bundled with rolldown into bench/.out/facts/ first (no build of dist/).
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { rolldown } from 'rolldown';
import tar from 'tar-stream';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const tarballDir = join(root, 'bench/.out/parser-choice/tarballs');
const outDir = join(root, 'bench/.out/facts');
const SOURCE = /\.(?:js|cjs|mjs)$/;

if (!existsSync(tarballDir)) {
  console.error(`no corpus at ${tarballDir}: run node bench/analyze/parser-choice.mjs --download-only`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
const bundle = await rolldown({
  input: {
    'extract-file': join(root, 'src/analysis/facts/extract-file.ts'),
    parse: join(root, 'src/analysis/parse/index.ts'),
  },
  platform: 'node',
  external: ['meriyah'],
  logLevel: 'warn',
});
await bundle.write({ dir: outDir, format: 'esm', entryFileNames: '[name].mjs' });
const { extractFileFacts } = await import(pathToFileURL(join(outDir, 'extract-file.mjs')).href);
const { parseSource } = await import(pathToFileURL(join(outDir, 'parse.mjs')).href);

const readSources = (path) =>
  new Promise((resolvePromise, reject) => {
    const files = [];
    const extract = tar.extract();
    extract.on('entry', (header, stream, next) => {
      const chunks = [];
      const wanted = header.type === 'file' && SOURCE.test(header.name);
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

const corpus = [];
for (const name of readdirSync(tarballDir)
  .filter((n) => n.endsWith('.tgz'))
  .sort()) {
  for (const file of await readSources(join(tarballDir, name))) corpus.push({ pkg: name, ...file });
}
const bytes = corpus.reduce((n, f) => n + Buffer.byteLength(f.text), 0);

// Warm the JIT on 5% of the corpus.
for (let i = 0; i < corpus.length; i += 20) extractFileFacts(corpus[i].path, corpus[i].text);

// The parse alone (same options as extraction), for the share of time extraction adds.
const parseCpu0 = process.cpuUsage();
for (const file of corpus) parseSource(file.text, file.path, { comments: false });
const parseCpu = process.cpuUsage(parseCpu0);
const parseSeconds = (parseCpu.user + parseCpu.system) / 1e6;

const times = [];
const kinds = new Map();
let parsed = 0;
let truncated = 0;
let maxFile = { ms: 0, path: '' };
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
for (const file of corpus) {
  const t0 = performance.now();
  const { stats, facts } = extractFileFacts(file.path, file.text);
  const ms = performance.now() - t0;
  times.push(ms);
  if (ms > maxFile.ms) maxFile = { ms, path: `${file.pkg} ${file.path}` };
  if (stats.parsed) parsed++;
  if (stats.factsTruncated) truncated++;
  for (const fact of facts) kinds.set(fact.kind, (kinds.get(fact.kind) ?? 0) + 1);
}
const wall = (performance.now() - wall0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
times.sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(2);

console.log(
  `corpus: ${corpus.length} JS files, ${(bytes / 1e6).toFixed(1)} MB, ${readdirSync(tarballDir).length} packages`,
);
console.log(
  `wall ${wall.toFixed(2)} s = ${(bytes / 1e6 / wall).toFixed(1)} MB/s; CPU ${cpuSeconds.toFixed(2)} s = ${(bytes / 1e6 / cpuSeconds).toFixed(1)} MB/s per core`,
);
console.log(
  `parse alone: CPU ${parseSeconds.toFixed(2)} s = ${(bytes / 1e6 / parseSeconds).toFixed(1)} MB/s per core`,
);
console.log(`file ms p50 ${pct(50)} / p95 ${pct(95)} / max ${maxFile.ms.toFixed(0)} (${maxFile.path})`);
console.log(`parsed ${parsed}/${corpus.length}; facts truncated in ${truncated} files`);
console.log(
  `facts: ${[...kinds]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')}`,
);
