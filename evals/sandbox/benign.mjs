// evals/sandbox/benign.mjs: false positives of `bulwark sandbox` on the most downloaded packages.
// Sandboxes the first N names of ../shared/benign/top-1000.txt (latest version on the registry)
// and counts verdicts; every one should be `clean`.
// Run as root: npm run build && node evals/sandbox/benign.mjs [--count 50] [--from 0] [--json]
// Exit status is 0 whatever the figures: this is a measurement, not a gate.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const cli = join(root, 'bin/bulwark.js');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const count = Number(option('--count', 50));
const from = Number(option('--from', 0));
const json = args.includes('--json');
const list = [join(root, '../shared/benign/top-1000.txt'), join(root, 'evals/benign/top-1000.txt')].find(
  existsSync,
);
if (!list) {
  console.error('evals/sandbox/benign.mjs: no top-1000.txt (../shared/benign/top-1000.txt)');
  process.exit(2);
}
const names = readFileSync(list, 'utf8')
  .split('\n')
  .map((line) => line.trim().split(/\s+/)[0])
  .filter((name) => name && !name.startsWith('#'))
  .slice(from, from + count);

const rows = [];
for (const name of names) {
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [cli, 'sandbox', name, '--format', 'json', '--no-store', '--no-progress', '--fail-on', 'never'],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  const ms = Date.now() - started;
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {}
  const row = {
    name,
    version: report?.package.version,
    verdict: report?.verdict ?? 'error',
    threats: report
      ? [
          ...new Set(
            report.findings
              .filter((f) => f.kind === 'threat')
              .map((f) => `${f.rule}(${f.severity}/${f.confidence})`),
          ),
        ]
      : [],
    error: report ? undefined : run.stderr.trim().split('\n').pop(),
    ms,
  };
  rows.push(row);
  if (!json)
    console.log(
      `${name.padEnd(36)} ${row.verdict.padEnd(10)} ${(ms / 1000).toFixed(1)} s  ${row.error ?? row.threats.join(' ')}`,
    );
}
const judged = rows.filter((row) => row.verdict !== 'error');
const totals = {
  packages: rows.length,
  clean: judged.filter((row) => row.verdict === 'clean').length,
  suspicious: judged.filter((row) => row.verdict === 'suspicious').map((row) => row.name),
  malicious: judged.filter((row) => row.verdict === 'malicious').map((row) => row.name),
  errors: rows.filter((row) => row.verdict === 'error').map((row) => row.name),
  medianSeconds: [...rows].sort((a, b) => a.ms - b.ms)[Math.floor(rows.length / 2)]?.ms / 1000,
};
if (json) console.log(JSON.stringify({ totals, rows }, null, 2));
else
  console.log(
    `\n${totals.clean}/${judged.length} clean; suspicious: ${totals.suspicious.join(', ') || 'none'}; malicious: ${totals.malicious.join(', ') || 'none'}; errors: ${totals.errors.length} (${totals.errors.join(', ')}); median ${totals.medianSeconds?.toFixed(1)} s per package`,
  );
