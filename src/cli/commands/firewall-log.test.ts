import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { defaultDecisionLogPath, openDecisionLog } from '../../firewall/decision-log.js';
import type { DecisionRecord } from '../../firewall/types.js';
import { formatDecisionTable, registerFirewallLog } from './firewall-log.js';

const home = mkdtempSync(join(tmpdir(), 'bulwark-fwlog-'));
const now = new Date('2026-11-28T12:00:00Z');
const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
const env = { BULWARK_HOME: join(home, 'data'), HOME: '/home/u' };

const records: DecisionRecord[] = [
  {
    time: at(5),
    client: 'npm',
    clientVersion: 'npm/11.6.2',
    project: '/home/u/app',
    session: 's1',
    package: 'evil-pkg',
    version: '1.0.0',
    request: 'tarball',
    action: 'deny',
    rule: 'malware',
    reason: 'known malware MAL-2025-1\u001b[2J',
  },
  {
    time: at(30),
    client: 'pnpm',
    package: '@acme/core',
    version: '2.0.0',
    request: 'packument',
    action: 'warn',
    wouldBe: 'hide',
    rule: 'minimumReleaseAge',
    reason: 'published 3 hours ago',
  },
  {
    time: at(90),
    client: 'yarn',
    project: '/srv/other',
    package: 'left-pad',
    version: '1.3.0',
    request: 'tarball',
    action: 'allow',
    rule: 'installScripts',
    reason: 'postinstall',
    waiver: 'w-0123456789',
  },
  {
    time: at(60 * 48),
    client: 'bun',
    package: 'old',
    version: '0.1.0',
    request: 'tarball',
    action: 'allow',
    reason: 'no rule matched',
  },
];

beforeAll(() => {
  const log = openDecisionLog(defaultDecisionLogPath(env));
  for (const r of records) log.record(r);
  log.close();
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Runs `firewall log …` in a program built like the CLI's, capturing its output. */
const run = async (args: string[], options: { columns?: number; env?: NodeJS.ProcessEnv } = {}) => {
  let stdout = '';
  let stderr = '';
  const program = new Command('bulwark')
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  const firewall = program.command('firewall').exitOverride();
  registerFirewallLog(firewall, {
    env: options.env ?? env,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    ...(options.columns !== undefined ? { columns: options.columns } : {}),
    now: () => now,
  }).exitOverride();
  await program.parseAsync(['firewall', 'log', ...args], { from: 'user' });
  return { stdout, stderr };
};

describe('bulwark firewall log', () => {
  it('prints a table, newest first, with home shortened and control characters escaped', async () => {
    const { stdout } = await run([]);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^time\s+client\s+project\s+package\s+action\s+rule\s+reason$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[0])).toEqual(
      records.map((r) => r.time.replace(/\.000Z$/, 'Z')),
    );
    expect(lines[1]!.split(/\s{2,}/)).toEqual([
      '2026-11-28T11:55:00Z',
      'npm/11.6.2',
      '~/app',
      'evil-pkg@1.0.0',
      'deny',
      'malware',
      'known malware MAL-2025-1\\x1b[2J',
    ]);
    expect(lines[2]).toContain('hide (dry run)');
    expect(lines[3]).toContain('postinstall (waiver w-0123456789)');
    expect(lines[3]).toContain('/srv/other');
    expect(lines[4]!.split(/\s{2,}/)).toEqual([
      '2026-11-26T12:00:00Z',
      'bun',
      '-',
      'old@0.1.0',
      'allow',
      '-',
      'no rule matched',
    ]);
    expect(stdout).not.toContain('\u001b');
  });

  it('fits the table to the terminal width', async () => {
    const { stdout } = await run([], { columns: 90 });
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(90);
    expect(stdout).toContain('…');
    for (const line of (await run([], { columns: 40 })).stdout.trimEnd().split('\n'))
      expect(line.length).toBeLessThanOrEqual(40);
    const wide = formatDecisionTable(records, undefined, '/home/u');
    expect(
      Math.max(
        ...wide
          .trimEnd()
          .split('\n')
          .map((l) => l.length),
      ),
    ).toBeGreaterThan(90);
  });

  it('filters by every flag', async () => {
    const packages = async (args: string[]) =>
      (JSON.parse((await run([...args, '--format', 'json'])).stdout) as DecisionRecord[]).map(
        (r) => r.package,
      );
    expect(await packages([])).toEqual(['evil-pkg', '@acme/core', 'left-pad', 'old']);
    expect(await packages(['--action', 'deny,warn'])).toEqual(['evil-pkg', '@acme/core']);
    expect(await packages(['--action', 'deny', '--action', 'allow'])).toEqual([
      'evil-pkg',
      'left-pad',
      'old',
    ]);
    expect(await packages(['--package', '@acme'])).toEqual(['@acme/core']);
    expect(await packages(['--rule', 'installScripts'])).toEqual(['left-pad']);
    expect(await packages(['--client', 'bun'])).toEqual(['old']);
    expect(await packages(['--project', '/home/u/app'])).toEqual(['evil-pkg']);
    expect(await packages(['--project', '/home/u/other/../app'])).toEqual(['evil-pkg']);
    expect(await packages(['--session', 's1'])).toEqual(['evil-pkg']);
    expect(await packages(['--since', '1h'])).toEqual(['evil-pkg', '@acme/core']);
    expect(await packages(['--since', '2026-11-27'])).toEqual(['evil-pkg', '@acme/core', 'left-pad']);
    expect(await packages(['--limit', '2'])).toEqual(['evil-pkg', '@acme/core']);
  });

  it('matches --project through a symlink, as the wrapper records the real directory', async () => {
    const real = join(home, 'real-project');
    mkdirSync(real);
    symlinkSync(real, join(home, 'linked-project'));
    const path = join(home, 'project-log.db');
    const log = openDecisionLog(path);
    log.record({ ...records[0]!, project: realpathSync(real) });
    log.close();
    const { stdout } = await run([
      '--log',
      path,
      '--project',
      join(home, 'linked-project'),
      '--format',
      'json',
    ]);
    expect((JSON.parse(stdout) as DecisionRecord[]).map((r) => r.package)).toEqual(['evil-pkg']);
  });

  it('prints the records whole as JSON', async () => {
    const { stdout } = await run(['--format', 'json', '--action', 'deny']);
    expect(JSON.parse(stdout)).toEqual([records[0]]);
  });

  it('says when the limit cut the list and when nothing matches', async () => {
    expect((await run(['--limit', '2'])).stdout).toMatch(/\(the 2 newest; --limit shows more\)\n$/);
    expect((await run(['--package', 'nothing'])).stdout).toBe('no decisions match\n');
  });

  it('treats a log that does not exist yet as empty, not as an error', async () => {
    const missing = join(home, 'none', 'decisions.db');
    expect(await run(['--log', missing])).toEqual({
      stdout: '',
      stderr: `bulwark: no decisions recorded yet (${missing} does not exist)\n`,
    });
    expect((await run(['--log', missing, '--format', 'json'])).stdout).toBe('[]\n');
  });

  it('refuses bad input with one line naming the flag', async () => {
    await expect(run(['--action', 'block'])).rejects.toThrow(
      new InputError('--action', '"block" is not one of allow, warn, hide, deny'),
    );
    await expect(run(['--limit', '0'])).rejects.toThrow('--limit: "0" is not a whole number from 1 to 10000');
    await expect(run(['--since', 'last week'])).rejects.toThrow(/^--since: /);
    await expect(run(['--client', 'deno'])).rejects.toThrow(/^--client: /);
    await expect(run(['--format', 'xml'])).rejects.toThrow(CommanderError);
    await expect(run(['--log', join(home, 'data')])).rejects.toThrow(InputError);
  });
});
