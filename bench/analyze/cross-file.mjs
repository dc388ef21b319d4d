// bench/analyze/cross-file: what reading TypeScript and following flows across a package's files
// change on real packages. For every tarball of a corpus (default BULWARK_CORPUS or
// /tmp/benign-corpus): flows within files vs flows across files, TypeScript files parsed or left
// to the token layer (and why), threat findings located in TypeScript files, verdicts, and the
// time the cross-file pass takes. In memory; nothing extracted or run.
//
//   node bench/analyze/cross-file.mjs [corpus-dir] [--list]
//
// The TypeScript source is bundled with rolldown into bench/.out/cross-file/ first (no dist/).
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rolldown } from 'rolldown';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(root, 'bench/.out/cross-file');
const corpusDir = resolve(
  process.argv.slice(2).find((a) => !a.startsWith('--')) ??
    process.env.BULWARK_CORPUS ??
    '/tmp/benign-corpus',
);
const list = process.argv.includes('--list');

mkdirSync(outDir, { recursive: true });
const bundle = await rolldown({
  input: {
    analyze: join(root, 'src/analysis/analyze.ts'),
    'cross-file': join(root, 'src/analysis/facts/cross-file.ts'),
    'extract-file': join(root, 'src/analysis/facts/extract-file.ts'),
    tarball: join(root, 'src/tarball/index.ts'),
  },
  platform: 'node',
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
  logLevel: 'warn',
});
await bundle.write({ dir: outDir, format: 'esm', entryFileNames: '[name].mjs' });
const load = (name) => import(pathToFileURL(join(outDir, `${name}.mjs`)).href);
const { analyzeFiles } = await load('analyze');
const { createCrossFilePass } = await load('cross-file');
const { extractFileFacts } = await load('extract-file');
const { readTarball } = await load('tarball');

const TS = /\.(?:ts|tsx|mts|cts)$/;
const DECLARATION = /\.d\.(?:[cm]?ts|[^/.]+\.ts)$/;
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const totals = {
  packages: 0,
  withinFlows: 0,
  crossFlows: 0,
  packagesWithCrossFlows: 0,
  tsFiles: 0,
  tsParsed: 0,
  tsFailed: {},
  findingsInTs: 0,
  verdicts: {},
  extractMs: 0,
  crossFileMs: 0,
  rewalks: 0,
  rewalkChars: 0,
  packagesRewalked: 0,
};
const describe = (fact) =>
  `${fact.kind}${fact.kind === 'call' ? ` ${fact.api}` : fact.kind === 'env-read' ? ` ${fact.key}` : ''} ${fact.at.file}:${fact.at.line}`;
const rows = [];
for (const name of readdirSync(corpusDir)
  .filter((n) => n.endsWith('.tgz'))
  .sort()) {
  const contents = await readTarball(readFileSync(join(corpusDir, name)), { source: name });
  const t0 = performance.now();
  const pass = createCrossFilePass();
  const stats = [];
  let within = 0;
  for (const [file, { bytes }] of contents.files) {
    if (!SOURCE.test(file) || DECLARATION.test(file)) continue;
    const extracted = extractFileFacts(file, new TextDecoder().decode(bytes));
    stats.push(extracted.stats);
    within += extracted.facts.filter((f) => f.kind === 'flow').length;
    pass.add(file, extracted);
  }
  const t1 = performance.now();
  const cross = pass.flows((file) => new TextDecoder().decode(contents.files.get(file)?.bytes));
  const crossMs = performance.now() - t1;
  totals.crossFileMs += crossMs;
  totals.rewalks += pass.stats.walks;
  totals.rewalkChars += pass.stats.chars;
  if (pass.stats.walks > 0) totals.packagesRewalked++;
  if (list && crossMs > 100)
    rows.push(
      `${name}: cross-file pass ${crossMs.toFixed(0)} ms, ${pass.stats.walks} files walked again (${pass.stats.chars} chars)`,
    );
  totals.extractMs += t1 - t0;
  const assessment = analyzeFiles(contents.files, {});
  totals.packages++;
  totals.withinFlows += within;
  totals.crossFlows += cross.length;
  if (cross.length > 0) totals.packagesWithCrossFlows++;
  for (const flow of cross) rows.push(`${name}: cross-file ${describe(flow.from)} → ${describe(flow.to)}`);
  for (const file of stats) {
    if (!TS.test(file.file)) continue;
    totals.tsFiles++;
    if (file.parsed) totals.tsParsed++;
    else {
      const reason = (file.parseError ?? 'not read').split(':')[0];
      totals.tsFailed[reason] = (totals.tsFailed[reason] ?? 0) + 1;
      if (list) rows.push(`${name}: ${file.file} ${file.parseError}`);
    }
  }
  for (const finding of assessment.findings) {
    if (finding.kind === 'threat' && finding.file && TS.test(finding.file)) {
      totals.findingsInTs++;
      rows.push(
        `${name}: ${finding.rule} (${finding.severity}/${finding.confidence}) in ${finding.file}:${finding.line}`,
      );
    }
  }
  totals.verdicts[assessment.verdict] = (totals.verdicts[assessment.verdict] ?? 0) + 1;
  if (assessment.verdict !== 'clean')
    rows.push(
      `${name}: ${assessment.verdict} ${assessment.score} ${assessment.findings.map((f) => f.rule).join(',')}`,
    );
}
for (const row of rows) console.log(row);
totals.extractMs = Math.round(totals.extractMs);
totals.crossFileMs = Math.round(totals.crossFileMs);
console.log(JSON.stringify(totals, null, 1));
