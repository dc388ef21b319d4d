// Held-out evaluation of the release anomaly model (src/diff/anomaly/model.json).
//
// Negatives: the last 10 stable releases (9 consecutive pairs) of ranks 1–200 of
// ../shared/benign/top-1000.txt — packages the training (ranks 201+) never saw. Reports the
// distribution of scores and the share flagged `unusual` at the shipped threshold.
//
// Positives: one "turn" per defanged incident replay in evals/malicious/packages/. The replay is
// the malicious release (`to`); its `from` is made from it by stripping what the analyser
// attributes to the attack: every file with a threat finding is removed, install-time scripts
// (preinstall, install, postinstall, prepare) and dependencies that bypass the registry are taken
// out of package.json, and the version is stepped back one patch. A strip is an approximation
// of the real clean release (see README.md).
//
// Run:
//   flock /tmp/bulwark-build.lock npm run build
//   node evals/anomaly/evaluate.mjs [--ranks 1-200] [--versions 10] [--jobs 2] [--timeout 120]
//                                   [--model src/diff/anomaly/model.json] [--list 20] [--json]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { fetchHistories, parseRanks, root, topNames } from './histories.mjs';
import { releasePairs } from './pairs.mjs';

const { values: options } = parseArgs({
  options: {
    ranks: { type: 'string', default: '1-200' },
    versions: { type: 'string', default: '10' },
    jobs: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '120' },
    model: { type: 'string', default: 'src/diff/anomaly/model.json' },
    dist: { type: 'string', default: 'dist' },
    list: { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
    'positives-only': { type: 'boolean', default: false },
  },
});
const dist = resolve(root, options.dist);
const load = (path) => import(pathToFileURL(join(dist, path)).href);
const { scoreReleaseAnomaly } = await load('diff/anomaly/score.js');
const { asModel } = await load('diff/anomaly/model.js');
const { releaseFeatures } = await load('diff/anomaly/features.js');
const { analyzeSide } = await load('diff/analyze-side.js');
const { computeDelta } = await load('diff/delta.js');
const { transitionVerdict } = await load('diff/transition-verdict.js');
const model = asModel(JSON.parse(readFileSync(resolve(root, options.model), 'utf8')));
const log = (line) => console.error(line);
const started = performance.now();

const score = (row) =>
  scoreReleaseAnomaly({ peer: { key: row.peer }, values: row.values, details: row.details ?? {} }, model);

/** The same release without the two features taken from the analyser's threat findings. */
const THREAT_FEATURES = ['new_threat_rules', 'threat_score_increase'];
const withoutThreats = (values) =>
  Object.fromEntries(Object.entries(values).filter(([name]) => !THREAT_FEATURES.includes(name)));
const unusualWithoutThreats = (peer, values) =>
  scoreReleaseAnomaly({ peer: { key: peer }, values: withoutThreats(values), details: {} }, model).unusual;

// --- negatives: held-out real histories -------------------------------------------------------
let negatives;
if (!options['positives-only']) {
  const [from, to] = parseRanks(options.ranks);
  const names = topNames(from, to);
  const histories = await fetchHistories(names, { versions: Number(options.versions) });
  const { rows, skipped, errors, seconds } = await releasePairs(histories, {
    dist,
    jobs: Number(options.jobs),
    timeoutMs: Number(options.timeout) * 1000,
    log,
  });
  const scored = rows.map((row) => ({ row, result: score(row) }));
  const flagged = scored.filter((entry) => entry.result.unusual);
  const surprisals = scored.map((entry) => entry.result.surprisal).sort((a, b) => a - b);
  const at = (q) => surprisals[Math.min(surprisals.length - 1, Math.floor(q * surprisals.length))] ?? 0;
  const byGroup = {};
  for (const { row, result } of scored) {
    byGroup[row.peer] ??= { pairs: 0, unusual: 0 };
    byGroup[row.peer].pairs++;
    if (result.unusual) byGroup[row.peer].unusual++;
  }
  const packagesFlagged = new Set(flagged.map((entry) => entry.row.name));
  negatives = {
    ranks: `${from}-${to}`,
    packages: new Set(rows.map((row) => row.name)).size,
    pairs: rows.length,
    skipped,
    unreadableReleases: errors.length,
    analysisSeconds: Math.round(seconds),
    unusual: flagged.length,
    unusualShare: rows.length === 0 ? 0 : flagged.length / rows.length,
    unusualWithoutThreatFeatures: rows.filter((row) => unusualWithoutThreats(row.peer, row.values)).length,
    packagesWithUnusualRelease: packagesFlagged.size,
    surprisalQuantiles: Object.fromEntries(
      [0.5, 0.75, 0.9, 0.95, 0.98, 0.99, 1].map((q) => [q, Number(at(q).toFixed(2))]),
    ),
    byGroup,
    flagged: flagged
      .sort((a, b) => b.result.surprisal - a.result.surprisal)
      .map(({ row, result }) => ({ name: row.name, from: row.from, to: row.to, summary: result.summary })),
  };
}

// --- positives: turns built from the incident replays ------------------------------------------
const walk = (dir) =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });

const readReplay = (dir) => {
  const files = new Map();
  const context = {};
  for (const file of walk(dir)) {
    const name = relative(dir, file).split('\\').join('/');
    if (name === 'packument.json') context.packument = JSON.parse(readFileSync(file, 'utf8'));
    else if (name === 'archive-problems.json')
      context.archive = JSON.parse(readFileSync(file, 'utf8')).problems;
    else files.set(name, { bytes: new Uint8Array(readFileSync(file)) });
  }
  return { files, context };
};

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];
const REMOTE_SPEC = /^(?:git\+|git:|github:|https?:|file:)|^[^@/]+\/[^/]+$/;

const previousVersion = (version) => {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return '0.9.0';
  const [major, minor, patch] = match.slice(1).map(Number);
  if (patch > 0) return `${major}.${minor}.${patch - 1}`;
  if (minor > 0) return `${major}.${minor - 1}.0`;
  return major > 0 ? `${major - 1}.0.0` : '0.0.0';
};

/** The replay with what the analyser attributes to the attack taken out: the clean release before it. */
const strip = (files, assessment) => {
  const attacked = new Set(
    assessment.findings
      .filter((f) => f.kind === 'threat' && f.file && f.file !== 'package.json')
      .map((f) => f.file),
  );
  const out = new Map();
  for (const [path, file] of files) if (!attacked.has(path)) out.set(path, file);
  const manifestBytes = files.get('package.json')?.bytes;
  let manifest = {};
  try {
    manifest = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch {}
  const clean = { ...manifest, version: previousVersion(manifest.version) };
  if (clean.scripts && typeof clean.scripts === 'object') {
    clean.scripts = { ...clean.scripts };
    for (const script of INSTALL_SCRIPTS) delete clean.scripts[script];
  }
  for (const field of ['dependencies', 'optionalDependencies']) {
    if (!clean[field] || typeof clean[field] !== 'object') continue;
    clean[field] = Object.fromEntries(
      Object.entries(clean[field]).filter(
        ([, spec]) => !(typeof spec === 'string' && REMOTE_SPEC.test(spec)),
      ),
    );
  }
  out.set('package.json', { bytes: new TextEncoder().encode(JSON.stringify(clean, null, 2)) });
  return { files: out, removed: [...attacked].sort(), version: clean.version };
};

const replaysDir = join(root, 'evals/malicious/packages');
const turns = [];
const excluded = [];
for (const incident of readdirSync(replaysDir).sort()) {
  const dir = join(replaysDir, incident);
  if (!statSync(dir).isDirectory()) continue;
  const { files, context } = readReplay(dir);
  const to = analyzeSide(files, {}, context);
  // A replay whose files are not all in this checkout (nothing the analyser calls a threat) has
  // nothing to strip: it is listed apart, not counted.
  if (!to.assessment.findings.some((finding) => finding.kind === 'threat')) {
    excluded.push({ incident, files: files.size, verdict: to.assessment.verdict });
    continue;
  }
  const stripped = strip(files, to.assessment);
  // The clean release had no refused archive entries: only the registry document carries over.
  const from = analyzeSide(stripped.files, {}, context.packument ? { packument: context.packument } : {});
  const delta = computeDelta(from, to);
  const features = releaseFeatures({
    from,
    to,
    delta,
    metadata: [],
    ...(context.packument ? { packument: context.packument } : {}),
  });
  const result = scoreReleaseAnomaly(features, model);
  turns.push({
    incident,
    version: `${stripped.version} → ${to.assessment.version}`,
    removed: stripped.removed,
    transition: transitionVerdict(from.assessment, to.assessment, delta, []).verdict,
    unusual: result.unusual,
    unusualWithoutThreatFeatures: unusualWithoutThreats(features.peer.key, features.values),
    surprisal: result.surprisal,
    score: result.score,
    summary: result.summary,
  });
}
const positives = {
  turns: turns.length,
  unusual: turns.filter((turn) => turn.unusual).length,
  unusualWithoutThreatFeatures: turns.filter((turn) => turn.unusualWithoutThreatFeatures).length,
  excluded,
  turnsList: turns,
};

const report = {
  model: {
    threshold: model.threshold,
    thresholdQuantile: model.thresholdQuantile,
    training: model.training,
  },
  negatives,
  positives,
  seconds: Math.round((performance.now() - started) / 1000),
};
if (options.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(
    `model: threshold ${model.threshold} bits (training quantile ${model.thresholdQuantile}), trained on ${model.training.releasePairs} pairs of ${model.training.packages} packages`,
  );
  if (negatives) {
    const n = negatives;
    console.log(
      `held-out ranks ${n.ranks}: ${n.packages} packages, ${n.pairs} release pairs (${n.skipped.length} packages skipped, ${n.unreadableReleases} releases unreadable)`,
    );
    console.log(
      `  unusual: ${n.unusual}/${n.pairs} pairs = ${(100 * n.unusualShare).toFixed(1)}% (${n.packagesWithUnusualRelease} packages with at least one)`,
    );
    console.log(
      `  without the two threat features: ${n.unusualWithoutThreatFeatures}/${n.pairs} = ${((100 * n.unusualWithoutThreatFeatures) / Math.max(1, n.pairs)).toFixed(1)}%`,
    );
    console.log(
      `  surprisal quantiles (bits): ${Object.entries(n.surprisalQuantiles)
        .map(([q, bits]) => `p${Math.round(Number(q) * 100)} ${bits}`)
        .join(', ')}`,
    );
    console.log(
      `  by peer group: ${Object.entries(n.byGroup)
        .sort()
        .map(([key, group]) => `${key} ${group.unusual}/${group.pairs}`)
        .join(', ')}`,
    );
    for (const { name, reason } of n.skipped) console.log(`  skipped ${name}: ${reason}`);
    for (const entry of n.flagged.slice(0, Number(options.list)))
      console.log(`  ${entry.name} ${entry.from} → ${entry.to}: ${entry.summary}`);
  }
  console.log(
    `positives (incident replays as turns): ${positives.unusual}/${positives.turns} unusual; without the two threat features: ${positives.unusualWithoutThreatFeatures}/${positives.turns}`,
  );
  for (const entry of excluded)
    console.log(
      `  excluded ${entry.incident}: ${entry.files} file(s) in this checkout, analysed ${entry.verdict}, no threat to strip`,
    );
  for (const turn of turns)
    console.log(
      `  ${turn.unusual ? 'UNUSUAL ' : 'ordinary'} ${turn.incident.padEnd(28)} ${turn.surprisal.toFixed(1).padStart(5)} bits  transition ${turn.transition.padEnd(10)} ${turn.summary}`,
    );
  console.log(`total ${report.seconds} s`);
}
