// evals/malicious: recall of the code analyser on defanged malware.
// Analyses (reads bytes, never runs) every whole-package incident replay under ./packages and every
// malicious rule sample under src/rules/*/testdata/malicious, and reports each verdict. Recall is
// incidents judged `malicious` / incidents. Samples of capability rules are reported apart: they
// show what code can do and are not malware, so `clean` is their expected verdict.
// Run: npm run build && node evals/malicious/run.mjs [--json] [--only <incident>] [--dist <dir>]
// --dist reads the compiled analyser from another folder (default dist/), e.g. a private
// `npx tsc -p tsconfig.build.json --outDir evals/.cache/dist --noEmitOnError false` while the shared
// build is broken by someone's half-finished file.
// Exit status is 0 whatever the figures: this is a measurement, not a gate.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const json = process.argv.includes('--json');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1];
const distAt = process.argv.indexOf('--dist');
const dist = distAt === -1 ? join(root, 'dist') : resolve(process.argv[distAt + 1]);

const { analyzeFiles } = await import(join(dist, 'analysis/analyze.js'));
const { RULES } = await import(join(dist, 'rules/index.js'));
const ruleKind = new Map(RULES.map((rule) => [rule.id, rule.meta.kind]));

const walk = (dir) =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });

/** A folder or one .js file as the analyser sees a package: relative path → bytes. */
const readPackage = (path) => {
  const files = new Map();
  const context = {};
  if (!statSync(path).isDirectory()) {
    files.set(basename(path), { bytes: readFileSync(path) });
    return { files, context };
  }
  for (const file of walk(path)) {
    const name = relative(path, file).split('\\').join('/');
    // The registry document and the tarball reader's problems come beside the files, not inside.
    if (name === 'packument.json') context.packument = JSON.parse(readFileSync(file, 'utf8'));
    else if (name === 'archive-problems.json')
      context.archive = JSON.parse(readFileSync(file, 'utf8')).problems;
    else files.set(name, { bytes: readFileSync(file) });
  }
  return { files, context };
};

const analyse = (path) => {
  const { files, context } = readPackage(path);
  const identity = { name: basename(path).replace(/\.js$/, ''), version: '0.0.0' };
  const assessment = analyzeFiles(files, identity, context);
  const threats = assessment.findings.filter((f) => f.kind === 'threat');
  const strongest = new Map();
  for (const f of threats) {
    const seen = strongest.get(f.rule);
    if (!seen || rank(f) > rank(seen)) strongest.set(f.rule, f);
  }
  return {
    verdict: assessment.verdict,
    score: assessment.score,
    packument: context.packument !== undefined,
    threats: [...strongest.values()]
      .sort((a, b) => rank(b) - rank(a))
      .map((f) => ({ rule: f.rule, severity: f.severity, confidence: f.confidence, message: f.message })),
    capabilities: assessment.capabilities,
    capabilityRules: [
      ...new Set(assessment.findings.filter((f) => f.kind === 'capability').map((f) => f.rule)),
    ],
  };
};
const SEVERITY = { critical: 4, high: 3, medium: 2, low: 1 };
const CONFIDENCE = { high: 3, medium: 2, low: 1 };
const rank = (f) => (SEVERITY[f.severity] ?? 0) * 10 + (CONFIDENCE[f.confidence] ?? 0);
const decisive = (t) => t.confidence === 'high' && (t.severity === 'high' || t.severity === 'critical');

const packagesDir = join(here, 'packages');
const incidents = readdirSync(packagesDir)
  .filter((name) => statSync(join(packagesDir, name)).isDirectory())
  .filter((name) => only === undefined || name === only)
  .sort()
  .map((name) => {
    const path = join(packagesDir, name);
    const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
    return { incident: name, name: manifest.name, ...analyse(path) };
  });

const rulesDir = join(root, 'src/rules');
const samples = only
  ? []
  : readdirSync(rulesDir)
      .filter((id) => existsSync(join(rulesDir, id, 'testdata/malicious')))
      .sort()
      .flatMap((id) =>
        readdirSync(join(rulesDir, id, 'testdata/malicious'))
          .sort()
          .map((sample) => {
            const result = analyse(join(rulesDir, id, 'testdata/malicious', sample));
            return {
              rule: id,
              kind: ruleKind.get(id) ?? 'unregistered',
              sample,
              ...result,
              ownRuleFired: result.threats.some((t) => t.rule === id) || result.capabilityRules.includes(id),
            };
          }),
      );

const count = (list, verdict) => list.filter((r) => r.verdict === verdict).length;
const tally = (list) => ({
  total: list.length,
  malicious: count(list, 'malicious'),
  suspicious: count(list, 'suspicious'),
  clean: count(list, 'clean'),
});
const threatSamples = samples.filter((s) => s.kind === 'threat');
const capabilitySamples = samples.filter((s) => s.kind === 'capability');
// Rule folders newer than the compiled analyser: their verdicts would measure the old rule set.
const unbuilt = [...new Set(samples.filter((s) => s.kind === 'unregistered').map((s) => s.rule))];
// Which rules carry the recall: per rule, replays where it fired and where it was decisive.
const ruleUse = new Map();
for (const r of incidents)
  for (const t of r.threats) {
    const use = ruleUse.get(t.rule) ?? { rule: t.rule, fired: 0, decisive: 0 };
    use.fired += 1;
    if (decisive(t)) use.decisive += 1;
    ruleUse.set(t.rule, use);
  }
const rulesOnIncidents = [...ruleUse.values()].sort((a, b) => b.decisive - a.decisive || b.fired - a.fired);
const totals = {
  incidents: {
    ...tally(incidents),
    recall: Number((count(incidents, 'malicious') / Math.max(1, incidents.length)).toFixed(3)),
  },
  threatSamples: tally(threatSamples),
  capabilitySamples: tally(capabilitySamples),
  rules: RULES.length,
  rulesNotInBuild: unbuilt,
  rulesOnIncidents,
};

if (json) {
  console.log(JSON.stringify({ totals, incidents, samples }, null, 2));
} else {
  const pad = (text, width) => String(text).padEnd(width);
  const line = (t) => `${t.rule} (${t.severity}/${t.confidence})`;
  console.log(`incident replays (${incidents.length}), ${RULES.length} rules registered\n`);
  for (const r of incidents) {
    console.log(
      `${pad(r.incident, 28)} ${pad(r.verdict, 10)} ${pad(r.score.toFixed(1), 5)} ${r.threats.map(line).join(', ') || '-'}`,
    );
    if (r.verdict !== 'malicious') {
      const weak = r.threats.filter((t) => !decisive(t));
      console.log(`${' '.repeat(29)}no decisive finding; capabilities: ${r.capabilities.join(', ') || '-'}`);
      for (const t of weak) console.log(`${' '.repeat(31)}${line(t)}: ${t.message}`);
    }
  }
  const sampleLine = (s) =>
    `  ${pad(`${s.rule}/${s.sample}`, 64)} ${pad(s.verdict, 10)} ${pad(s.score.toFixed(1), 5)} ${s.ownRuleFired ? '' : '(own rule silent) '}${s.threats.map((t) => t.rule).join(', ')}`;
  if (threatSamples.length > 0) {
    console.log(`\nthreat-rule samples (${threatSamples.length})`);
    for (const s of threatSamples) console.log(sampleLine(s));
  }
  if (capabilitySamples.length > 0) {
    console.log(`\ncapability-rule samples (${capabilitySamples.length}; not malware, clean expected)`);
    for (const s of capabilitySamples) console.log(sampleLine(s));
  }
  console.log('\nthreat rules on the replays (decisive / fired):');
  console.log(`  ${rulesOnIncidents.map((u) => `${u.rule} ${u.decisive}/${u.fired}`).join(', ') || '-'}`);
  if (unbuilt.length > 0)
    console.log(`\nnot in the compiled rule set (rebuild to measure their samples): ${unbuilt.join(', ')}`);
  const t = totals;
  console.log(
    `\nincidents: ${t.incidents.malicious} malicious, ${t.incidents.suspicious} suspicious, ${t.incidents.clean} clean of ${t.incidents.total} — recall ${(100 * t.incidents.recall).toFixed(1)}%`,
  );
  console.log(
    `threat-rule samples: ${t.threatSamples.malicious} malicious, ${t.threatSamples.suspicious} suspicious, ${t.threatSamples.clean} clean of ${t.threatSamples.total}`,
  );
  console.log(
    `capability-rule samples: ${t.capabilitySamples.malicious} malicious, ${t.capabilitySamples.suspicious} suspicious, ${t.capabilitySamples.clean} clean of ${t.capabilitySamples.total}`,
  );
}
