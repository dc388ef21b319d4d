import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDecisionLogPath, openDecisionLog } from '../../src/firewall/decision-log.js';
import type { DecisionRecord } from '../../src/firewall/types.js';
import { makeHome, runCli } from './run-cli.js';

const home = makeHome();
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const records: DecisionRecord[] = [
  {
    time: at(2),
    client: 'npm',
    clientVersion: 'npm/11.6.2',
    project: '/work/app',
    session: 'run-1',
    package: 'evil-pkg',
    version: '1.0.0',
    request: 'tarball',
    action: 'deny',
    rule: 'malware',
    reason: 'known malware MAL-2025-1',
  },
  {
    time: at(20),
    client: 'pnpm',
    package: '@acme/core',
    version: '2.0.0',
    request: 'packument',
    action: 'hide',
    rule: 'minimumReleaseAge',
    reason: 'published 2 hours ago',
  },
  {
    time: at(3 * 24 * 60),
    client: 'yarn',
    package: 'left-pad',
    version: '1.3.0',
    request: 'tarball',
    action: 'allow',
    reason: 'no rule matched',
  },
];

beforeAll(() => {
  const log = openDecisionLog(defaultDecisionLogPath({ BULWARK_HOME: home }));
  for (const r of records) log.record(r);
  log.close();
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('bulwark firewall log (built CLI)', () => {
  it('reads the decision log in the data directory and filters it', () => {
    const all = runCli(['firewall', 'log', '--format', 'json'], { home });
    expect(all.status).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual(records);

    const recent = runCli(['firewall', 'log', '--since', '1h', '--action', 'deny,hide'], { home });
    expect(recent.status).toBe(0);
    const lines = recent.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^time\s+client\s+project\s+package\s+action\s+rule\s+reason$/);
    expect(lines[1]).toMatch(
      /npm\/11\.6\.2\s+\/work\/app\s+evil-pkg@1\.0\.0\s+deny\s+malware\s+known malware MAL-2025-1$/,
    );
    expect(lines[2]).toMatch(
      /pnpm\s+-\s+@acme\/core@2\.0\.0\s+hide\s+minimumReleaseAge\s+published 2 hours ago$/,
    );

    const scoped = runCli(['firewall', 'log', '--package', '@acme', '--format', 'json'], { home });
    expect((JSON.parse(scoped.stdout) as DecisionRecord[]).map((r) => r.package)).toEqual(['@acme/core']);
  });

  it('refuses a bad flag value with one line and exit 2', () => {
    const run = runCli(['firewall', 'log', '--action', 'block'], { home });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('bulwark: --action: "block" is not one of allow, warn, hide, deny\n');
    expect(run.stdout).toBe('');
  });

  it('says nothing was recorded yet, exit 0, when the log does not exist', () => {
    const empty = makeHome();
    try {
      const run = runCli(['firewall', 'log'], { home: empty });
      expect(run.status).toBe(0);
      expect(run.stderr).toBe(
        `bulwark: no decisions recorded yet (${join(empty, 'firewall', 'decisions.db')} does not exist)\n`,
      );
      expect(run.stdout).toBe('');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
