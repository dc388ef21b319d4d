// evals/benign: false positives of the code analyser on the most downloaded npm packages.
// Downloads (and caches, outside git, by integrity) the listed version of every package in
// ../shared/benign/top-1000.txt, analyses each in memory, and reports how many come out
// `malicious` and `suspicious`, listing each with the rules that fired. Each package's full registry
// document is passed along, so the metadata rules run as `bulwark inspect` runs them.
// Run: npm run build && node evals/benign/run.mjs [--limit N] [--concurrency N] [--save-corpus DIR]
// --save-corpus writes each tarball to DIR/<name>@<version>.tgz, the corpus that
// src/rules/real-packages.test.ts reads (BULWARK_CORPUS=DIR) while rules are being written.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const limit = arg('--limit', Number.POSITIVE_INFINITY);
const concurrency = arg('--concurrency', 8);
const saveAt = process.argv.indexOf('--save-corpus');
const corpusDir = saveAt === -1 ? undefined : resolve(process.argv[saveAt + 1] ?? '');
if (corpusDir) mkdirSync(corpusDir, { recursive: true });
const listPath = resolve(process.env.BULWARK_SHARED ?? join(root, '../shared'), 'benign/top-1000.txt');
const names = readFileSync(listPath, 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'))
  .slice(0, limit)
  .map((spec) => {
    const at = spec.lastIndexOf('@');
    return at > 0
      ? { name: spec.slice(0, at), version: spec.slice(at + 1) }
      : { name: spec, version: 'latest' };
  });

const { analyzeTarball } = await import(join(root, 'dist/analysis/analyze.js'));
const { fetchRegistryTarball } = await import(join(root, 'dist/target/fetch-registry-tarball.js'));

const results = [];
const errors = [];
let next = 0;
const started = performance.now();
const worker = async () => {
  while (next < names.length) {
    const { name, version } = names[next++];
    try {
      const fetched = await fetchRegistryTarball(name, version, {});
      if (corpusDir)
        writeFileSync(join(corpusDir, `${name.replace('/', '+')}@${fetched.version}.tgz`), fetched.bytes);
      const t = performance.now();
      // The full registry document feeds the metadata rules (new install hook, patch-added
      // dependency, manifest confusion, …); absent when the registry would not give it.
      const analysis = await analyzeTarball(
        fetched.bytes,
        `${name}@${fetched.version}`,
        { name, version: fetched.version },
        fetched.packument === undefined ? {} : { packument: fetched.packument },
      );
      results.push({
        name,
        version: fetched.version,
        ms: performance.now() - t,
        bytes: fetched.bytes.length,
        metadata: fetched.packument !== undefined,
        analysis,
      });
    } catch (error) {
      errors.push({ name, error: error instanceof Error ? error.message : String(error) });
    }
  }
};
await Promise.all(Array.from({ length: concurrency }, worker));

const by = (verdict) => results.filter((r) => r.analysis.verdict === verdict);
const rulesOf = (r) =>
  [...new Set(r.analysis.findings.filter((f) => f.kind === 'threat').map((f) => f.rule))].join(', ');
console.log(
  `analysed ${results.length} of ${names.length} packages in ${((performance.now() - started) / 1000).toFixed(0)} s (${errors.length} could not be fetched or read)`,
);
for (const verdict of ['malicious', 'suspicious']) {
  const list = by(verdict);
  console.log(
    `\n${verdict}: ${list.length} (${((100 * list.length) / Math.max(1, results.length)).toFixed(1)}%)`,
  );
  for (const r of list) console.log(`  ${r.name}@${r.version}  score ${r.analysis.score}  ${rulesOf(r)}`);
}
console.log(
  `\nwith registry metadata: ${results.filter((r) => r.metadata).length} of ${results.length} (the rest ran without the metadata rules' registry signals)`,
);
const times = results.map((r) => r.ms).sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))]?.toFixed(1);
console.log(`\nanalysis time per package: median ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms`);
if (errors.length > 0) {
  console.log('\nnot analysed:');
  for (const e of errors.slice(0, 30)) console.log(`  ${e.name}: ${e.error}`);
}
