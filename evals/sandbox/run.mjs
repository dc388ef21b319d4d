// evals/sandbox: what `bulwark sandbox` sees when the defanged incident replays of
// evals/malicious/packages actually run (inside the sandbox only — never run them elsewhere).
// Recall = replays judged `malicious` / replays; also how many the static analyser alone calls
// malicious, and which replays only one of the two catches.
// Run as root: npm run build && node evals/sandbox/run.mjs [--json] [--only <incident>] [--no-ci] [--no-execute]
// Exit status is 0 whatever the figures: this is a measurement, not a gate.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const cli = join(root, 'bin/bulwark.js');
const replays = join(root, 'evals/malicious/packages');
const json = process.argv.includes('--json');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1];
const extra = [
  ...(process.argv.includes('--no-ci') ? ['--no-ci'] : []),
  // Call the exports too (payloads that fire on first use), unless --no-execute.
  ...(process.argv.includes('--no-execute') ? [] : ['--execute']),
];

const bulwark = (args) => {
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0 && run.status !== 1) return { error: run.stderr.trim().split('\n').pop() };
  try {
    return { report: JSON.parse(run.stdout) };
  } catch {
    return { error: `unreadable output: ${run.stdout.slice(0, 200)}` };
  }
};

const incidents = readdirSync(replays)
  .filter((name) => statSync(join(replays, name)).isDirectory() && (!only || name === only))
  .sort();
const rows = [];
for (const incident of incidents) {
  const dir = join(replays, incident);
  const started = Date.now();
  const dynamic = bulwark([
    'sandbox',
    dir,
    '--format',
    'json',
    '--no-store',
    '--no-progress',
    '--fail-on',
    'never',
    ...extra,
  ]);
  const ms = Date.now() - started;
  const stat = bulwark(['inspect', dir, '--format', 'json', '--fail-on', 'never']);
  const report = dynamic.report;
  rows.push({
    incident,
    sandbox: report?.verdict ?? 'error',
    score: report?.score,
    static: stat.report?.verdict ?? 'error',
    rules: report
      ? [
          ...new Set(
            report.findings.filter((f) => f.kind === 'threat').map((f) => `${f.rule}(${f.severity})`),
          ),
        ]
      : [],
    phases: report
      ? report.runs.map((run) => `${run.name}: ${run.phases.map((p) => `${p.name} ${p.status}`).join(', ')}`)
      : [],
    destinations: report
      ? [...new Set(report.network.map((n) => n.host ?? `${n.address}:${n.port}`))].slice(0, 6)
      : [],
    secretsRead: report?.honeytokens.read.length ?? 0,
    secretsSent: report?.honeytokens.exfiltrated.length ?? 0,
    error: dynamic.error,
    ms,
  });
  if (!json) {
    const row = rows.at(-1);
    console.log(
      `${incident.padEnd(34)} sandbox ${row.sandbox.padEnd(10)} static ${row.static.padEnd(10)} ${(row.ms / 1000).toFixed(1)} s  ${row.error ?? row.rules.join(' ')}`,
    );
    if (row.sandbox !== 'malicious' && !row.error) {
      console.log(`    phases: ${row.phases.join(' | ')}`);
      console.log(
        `    destinations: ${row.destinations.join(', ') || 'none'}; secrets read ${row.secretsRead}, sent ${row.secretsSent}`,
      );
    }
  }
}
const count = (pick) => rows.filter(pick).length;
const totals = {
  replays: rows.length,
  sandboxMalicious: count((r) => r.sandbox === 'malicious'),
  sandboxSuspicious: count((r) => r.sandbox === 'suspicious'),
  staticMalicious: count((r) => r.static === 'malicious'),
  either: count((r) => r.sandbox === 'malicious' || r.static === 'malicious'),
  onlySandbox: rows
    .filter((r) => r.sandbox === 'malicious' && r.static !== 'malicious')
    .map((r) => r.incident),
  onlyStatic: rows
    .filter((r) => r.static === 'malicious' && r.sandbox !== 'malicious')
    .map((r) => r.incident),
  errors: count((r) => r.error),
};
if (json) console.log(JSON.stringify({ totals, rows }, null, 2));
else {
  console.log(
    `\nsandbox recall: ${totals.sandboxMalicious}/${totals.replays} malicious (${totals.sandboxSuspicious} more suspicious); static alone: ${totals.staticMalicious}/${totals.replays}; either: ${totals.either}/${totals.replays}; errors: ${totals.errors}`,
  );
  console.log(`only the sandbox: ${totals.onlySandbox.join(', ') || 'none'}`);
  console.log(`only static analysis: ${totals.onlyStatic.join(', ') || 'none'}`);
}
