// bench/scan: lockfile parse, advisory match and whole-scan times for every real lockfile in
// testdata/lockfiles, against a database of 200,000+ advisories (the real entries of
// testdata/osv, OpenSSF's 22,290 malicious-package entries, and generated GHSA-shaped ones).
// Prints per lockfile the parse, match and total times, and the ratio of parse time to a bare
// JSON/YAML parse of the same file (the floor). Run: npm run bench:scan
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSyml } from '@yarnpkg/parsers';
import { loadAll } from 'js-yaml';
import { parse as parseJsonc } from 'jsonc-parser';
import { compare, valid } from 'semver';
import { generateAdvisoryZip } from './generate-advisories.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'bench/.out');
const cli = join(root, 'bin/bulwark.js');
const dist = (path) => import(join(root, 'dist', path));

const { loadInventory } = await dist('inventory/load-inventory.js');
const { candidateAdvisory, findHits, groupHits } = await dist('scan/match.js');
const { openStore } = await dist('store/open-store.js');

const TARGET_ENTRIES = 200_000;
const sharedZip = resolve(
  process.env.BULWARK_SHARED ?? join(root, '../shared'),
  'osv/malicious-npm-2025-06.zip',
);
const realDir = join(root, 'testdata/osv/npm');
const lockfileDirs = readdirSync(join(root, 'testdata/lockfiles'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(root, 'testdata/lockfiles', entry.name));

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const time = (fn, runs) => {
  fn(); // warm-up
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
};
const timeAsync = async (fn, runs) => {
  await fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
};

mkdirSync(out, { recursive: true });
const dbPath = join(out, 'bench.db');
// A data directory of its own: no cached packuments, so remediation runs on advisory data only
// and the figures do not depend on what earlier commands left in the user's cache.
const benchHome = join(out, 'home');
const benchEnv = { ...process.env, BULWARK_HOME: benchHome };
const inventories = lockfileDirs.map((dir) => ({ dir, inventory: loadInventory({ dir }) }));

// 1. The database: build it when missing (or with --rebuild), timing the imports.
if (process.argv.includes('--rebuild') || !existsSync(dbPath)) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  const realNames = [
    ...new Set(
      inventories.flatMap(({ inventory }) => [...inventory.graph.nodes.values()].map((n) => n.name)),
    ),
  ];
  const sharedCount = existsSync(sharedZip) ? 22_290 : 0;
  if (!sharedCount) console.log(`note: ${sharedZip} not found; generating its share instead`);
  const generatedCount = TARGET_ENTRIES - sharedCount - 325 + 1_000;
  // yazl slows down superlinearly with the entry count, so the generated set is split into zips
  // of 25,000 entries; `db import` takes them all in one invocation.
  const CHUNK = 25_000;
  const generatedZips = [];
  const t = performance.now();
  for (let offset = 0, part = 0; offset < generatedCount; offset += CHUNK, part++) {
    const zip = join(out, `generated-advisories-${part}.zip`);
    await generateAdvisoryZip(zip, Math.min(CHUNK, generatedCount - offset), realNames, 42 + part);
    generatedZips.push(zip);
  }
  console.log(`generated ${generatedCount} advisories in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const sources = [realDir, ...(sharedCount ? [sharedZip] : []), ...generatedZips];
  const start = performance.now();
  execFileSync(process.execPath, [cli, 'db', 'import', ...sources, '--db', dbPath], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const seconds = (performance.now() - start) / 1000;
  const store = await openStore(dbPath, { readonly: true });
  const { advisories } = await store.status();
  await store.close();
  console.log(
    `\nIMPORT  ${advisories} entries in ${seconds.toFixed(1)} s = ${Math.round(advisories / seconds)} entries/s` +
      `  (target: 200,000 in ≤ 30 s; ${(seconds / 30).toFixed(2)}× the budget)\n`,
  );
}

const store = await openStore(dbPath, { readonly: true });
const status = await store.status();
console.log(
  `database: ${status.advisories} advisories (${status.malware} malware) in ${dbPath.replace(root, '.')}\n`,
);

// 2. Per lockfile.
const floorParse = (file, text) => {
  if (file.endsWith('.json')) return () => JSON.parse(text);
  if (file.endsWith('.yaml')) return () => loadAll(text);
  if (file.endsWith('bun.lock')) return () => parseJsonc(text);
  if (file.endsWith('yarn.lock')) return () => parseSyml(text);
  throw new Error(`no floor for ${file}`);
};

const rows = [];
for (const { dir, inventory } of inventories) {
  const file = inventory.file;
  const text = readFileSync(file, 'utf8');
  const floor = time(floorParse(file, text), 15);
  const parse = time(() => loadInventory({ dir }), 15);
  const graph = inventory.graph;
  const names = new Set([...graph.nodes.values()].filter((n) => n.source === 'registry').map((n) => n.name));
  const lowest = new Map();
  for (const n of graph.nodes.values()) {
    if (n.source !== 'registry' || !valid(n.version)) continue;
    const current = lowest.get(n.name);
    if (current === undefined || compare(n.version, current) < 0) lowest.set(n.name, n.version);
  }
  let matched = 0;
  const match = await timeAsync(async () => {
    // As the scan does it: light match views for every name, whole records only for hits.
    const candidates = await store.matchCandidates(names, lowest);
    const views = new Map([...candidates].map(([name, list]) => [name, list.map(candidateAdvisory)]));
    const hits = findHits(graph.nodes.values(), views);
    const records = await store.getAdvisories(hits.flatMap((hit) => hit.hits.map((a) => a.id)));
    matched = groupHits(hits, records).length;
  }, 15);
  const wall = [];
  let findings = 0;
  for (let i = 0; i < 11; i++) {
    const start = performance.now();
    const run = spawnSync(
      process.execPath,
      [cli, 'scan', dir, '--db', dbPath, '--offline', '--format', 'json', '--fail-on', 'never'],
      {
        env: benchEnv,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    if (run.status !== 0) throw new Error(`scan of ${dir} exited ${run.status}: ${run.stderr}`);
    if (i > 0) wall.push(performance.now() - start);
    findings = JSON.parse(run.stdout).findings.length;
  }
  rows.push({
    lockfile: `${dir.split('/').pop()}/${file.split('/').pop()}`,
    bytes: statSync(file).size,
    packages: graph.nodes.size,
    floor,
    parse,
    ratio: parse / floor,
    match,
    matched,
    findings,
    total: median(wall),
  });
}
await store.close();

const pad = (value, width) => String(value).padStart(width);
const ms = (value) => `${value.toFixed(1)} ms`;
console.log(
  `${'lockfile'.padEnd(40)}${pad('KiB', 6)}${pad('nodes', 7)}${pad('floor', 11)}${pad('parse', 11)}${pad('ratio', 7)}${pad('match', 11)}${pad('hits', 6)}${pad('total wall', 12)}`,
);
for (const row of rows) {
  console.log(
    `${row.lockfile.padEnd(40)}${pad(Math.round(row.bytes / 1024), 6)}${pad(row.packages, 7)}${pad(ms(row.floor), 11)}${pad(ms(row.parse), 11)}${pad(`${row.ratio.toFixed(1)}×`, 7)}${pad(ms(row.match), 11)}${pad(row.findings, 6)}${pad(ms(row.total), 12)}`,
  );
}
const largest = rows.reduce((a, b) => (b.packages > a.packages ? b : a));
console.log(
  `\nfloor = bare JSON.parse / yaml.parse / parseSyml / jsonc parse of the same text; parse = Bulwark's full graph build (incl. file read);` +
    `\nmatch = advisory look-up + range matching in process; total wall = \`bulwark scan --offline --format json\` as a fresh process, warm database.` +
    `\nlargest: ${largest.lockfile} (${largest.packages} nodes) scanned in ${ms(largest.total)} wall; target ≤ 500 ms for 2,000 packages (${(largest.total / 500).toFixed(2)}× the budget).`,
);
