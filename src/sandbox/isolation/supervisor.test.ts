import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxEntry } from './entry-path.js';
import { parseSupervisorLine, type SupervisorLine, type SupervisorPlan } from './supervisor-protocol.js';

// The supervisor kills every process of its pid namespace: it is only ever run inside bubblewrap.

const hasBwrap = (() => {
  try {
    execFileSync('bwrap', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.runIf(process.platform === 'linux' && hasBwrap)('the in-sandbox supervisor', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-supervisor-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (plan: SupervisorPlan): SupervisorLine[] => {
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    const result = spawnSync(
      'bwrap',
      [
        '--unshare-pid',
        '--die-with-parent',
        '--ro-bind',
        '/',
        '/',
        '--dev',
        '/dev',
        '--proc',
        '/proc',
        // The checkout may itself live under /tmp: mount the supervisor and the plan on a fresh /run.
        '--tmpfs',
        '/run',
        '--ro-bind',
        sandboxEntry('supervisor'),
        '/run/session.mjs',
        '--ro-bind',
        dir,
        '/run/plan',
        '--',
        process.execPath,
        '/run/session.mjs',
        '/run/plan/plan.json',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(result.status).toBe(0);
    return result.stdout
      .split('\n')
      .map(parseSupervisorLine)
      .filter((line): line is SupervisorLine => line !== undefined);
  };
  const ends = (lines: SupervisorLine[]) => lines.filter((line) => line.type === 'phase-end');
  const env = { PATH: '/usr/bin:/bin' };

  it('runs each phase, keeps its output, and reports success', () => {
    const lines = run({
      phases: [
        {
          name: 'install',
          argv: ['/bin/sh', '-c', 'echo installed; echo warn >&2'],
          cwd: '/',
          env,
          timeoutMs: 5_000,
        },
        { name: 'import', argv: ['/bin/sh', '-c', 'exit 3'], cwd: '/', env, timeoutMs: 5_000 },
      ],
      lingerMs: 500,
      totalMs: 20_000,
    });
    const [install, load] = ends(lines);
    expect(install).toMatchObject({
      name: 'install',
      status: 'ok',
      exitCode: 0,
      stdout: 'installed\n',
      stderr: 'warn\n',
    });
    expect(load).toMatchObject({ name: 'import', status: 'failed', exitCode: 3 });
  });

  it('kills a phase at its time limit and skips the later phases after a failed install', () => {
    const lines = run({
      phases: [
        { name: 'install', argv: ['/bin/sh', '-c', 'sleep 30'], cwd: '/', env, timeoutMs: 300 },
        { name: 'import', argv: ['/bin/sh', '-c', 'echo never'], cwd: '/', env, timeoutMs: 5_000 },
      ],
      lingerMs: 500,
      totalMs: 20_000,
    });
    const [install, load] = ends(lines);
    expect(install).toMatchObject({ name: 'install', status: 'time-limit' });
    expect(install!.type === 'phase-end' && install!.endedAt - install!.startedAt).toBeLessThan(5_000);
    expect(load).toMatchObject({ name: 'import', status: 'skipped' });
  });

  it('watches what a phase left running until the linger time, then kills it', () => {
    const started = Date.now();
    const lines = run({
      phases: [
        // A detached payload outlives its phase's command.
        {
          name: 'install',
          argv: ['/bin/sh', '-c', 'setsid sleep 60 & echo started'],
          cwd: '/',
          env,
          timeoutMs: 5_000,
        },
      ],
      lingerMs: 700,
      totalMs: 20_000,
    });
    const [install] = ends(lines);
    expect(install).toMatchObject({ name: 'install', status: 'ok', lingering: 1 });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses to run outside a bubblewrap pid namespace', () => {
    const result = spawnSync(process.execPath, [sandboxEntry('supervisor'), '/nonexistent.json'], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(result.status).toBe(70);
    expect(result.stderr).toMatch(/refusing to run outside/);
  });
});
