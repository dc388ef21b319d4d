// Fits the release anomaly model (src/diff/anomaly/model.json) from real release histories:
// ranks 201–600 of ../shared/benign/top-1000.txt (ranks 1–200 are held out for evaluate.mjs),
// the last 9 stable releases of each (8 consecutive pairs), analysed with the built code.
// Run:
//   flock /tmp/bulwark-build.lock npm run build
//   node evals/anomaly/train.mjs [--ranks 201-600] [--versions 9] [--jobs 2] [--timeout 120]
//                                [--threshold-quantile 0.98] [--out src/diff/anomaly/model.json]
// Deterministic: the same cached releases give the same bytes (sorted keys, rounded numbers,
// formatted by biome). Downloads go to the shared cache (/work/cache/histories).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { fetchHistories, parseRanks, root, topNames } from './histories.mjs';
import { releasePairs } from './pairs.mjs';

const { values: options } = parseArgs({
  options: {
    ranks: { type: 'string', default: '201-600' },
    versions: { type: 'string', default: '9' },
    jobs: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '120' },
    concurrency: { type: 'string', default: '6' },
    'threshold-quantile': { type: 'string', default: '0.98' },
    out: { type: 'string', default: 'src/diff/anomaly/model.json' },
    dist: { type: 'string', default: 'dist' },
    verbose: { type: 'boolean', default: false },
  },
});
const dist = resolve(root, options.dist);
const log = (line) => console.error(line);
const started = performance.now();

const [from, to] = parseRanks(options.ranks);
const names = topNames(from, to);
const histories = await fetchHistories(names, {
  versions: Number(options.versions),
  concurrency: Math.min(6, Number(options.concurrency)),
  log: options.verbose ? log : () => {},
});
const { rows, skipped, errors, seconds } = await releasePairs(histories, {
  dist,
  jobs: Number(options.jobs),
  timeoutMs: Number(options.timeout) * 1000,
  log,
});

const { fitModel, contributions, totalSurprisal } = await import(
  pathToFileURL(join(dist, 'diff/anomaly/model.js')).href
);
const { ANALYZER_VERSION } = await import(pathToFileURL(join(dist, 'analysis/analyze.js')).href);
const packages = new Set(rows.map((row) => row.name));
const releases = new Set(rows.flatMap((row) => [`${row.name}@${row.from}`, `${row.name}@${row.to}`]));
const model = fitModel(rows, {
  thresholdQuantile: Number(options['threshold-quantile']),
  training: {
    source: `ranks ${from}-${to} of top-1000.txt, last ${options.versions} stable releases each`,
    analyzer: ANALYZER_VERSION,
    packages: packages.size,
    releases: releases.size,
    packagesSkipped: names.length - packages.size,
  },
});

const sortKeys = (value) => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
};
const out = resolve(root, options.out);
// Written as biome formats it, so `biome ci` passes on the shipped file.
const formatted = execFileSync(
  join(root, 'node_modules/.bin/biome'),
  ['format', '--stdin-file-path=src/diff/anomaly/model.json'],
  { cwd: root, input: `${JSON.stringify(sortKeys(model), null, 2)}\n`, encoding: 'utf8' },
);
writeFileSync(out, formatted);

// Figures.
const totals = rows.map((row) => ({ row, bits: totalSurprisal(row, model) })).sort((a, b) => b.bits - a.bits);
const flagged = totals.filter((entry) => entry.bits >= model.threshold);
const bytes = JSON.stringify(model).length;
console.log(
  `training: ranks ${from}-${to} (${names.length} packages), last ${options.versions} stable releases each`,
);
console.log(
  `  ${packages.size} packages with at least one pair, ${releases.size} releases, ${rows.length} release pairs; ${names.length - packages.size} packages skipped, ${errors.length} releases unreadable; analysis ${seconds.toFixed(0)} s`,
);
for (const { name, reason } of skipped) console.log(`  skipped ${name}: ${reason}`);
console.log(
  `peer groups (releases): ${Object.entries(model.groups)
    .map(([key, group]) => `${key} ${group.releases}`)
    .join(', ')}`,
);
console.log('feature: share of training pairs with a non-zero value');
for (const [name, counts] of Object.entries(model.global))
  console.log(
    `  ${name.padEnd(26)} ${((100 * (counts[1] ?? 0)) / Math.max(1, counts[0])).toFixed(1).padStart(5)}% of ${counts[0]}`,
  );
console.log(
  `threshold ${model.threshold} bits (training quantile ${model.thresholdQuantile}); training pairs at or above: ${flagged.length}/${rows.length} (${((100 * flagged.length) / rows.length).toFixed(1)}%)`,
);
console.log(`model: ${out} (${(bytes / 1024).toFixed(1)} KB minified JSON)`);
console.log('most unusual training pairs:');
for (const { row, bits } of totals.slice(0, 15)) {
  const top = contributions(row, model)
    .filter((part) => part.bits >= 1)
    .sort((a, b) => b.bits - a.bits)
    .slice(0, 4)
    .map((part) => `${part.feature.name}=${+part.value.toFixed(2)} (${part.bits.toFixed(1)})`);
  console.log(
    `  ${bits.toFixed(1).padStart(5)}  ${row.name} ${row.from} → ${row.to} [${row.peer}] ${top.join(', ')}`,
  );
}
console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
