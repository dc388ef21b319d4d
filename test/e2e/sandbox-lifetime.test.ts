import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_WAIT_MS } from '../support/sandbox-e2e.js';
import { acquireSandboxLock } from '../support/sandbox-lock.js';
import { ensureSandboxPrimitives } from '../support/sandbox-primitives.js';
import { makeHome, repoRoot, runCli } from './run-cli.js';

// Nothing a package starts outlives the run, and nothing of the run outlives Bulwark: Ctrl-C
// cleans up at once; after `kill -9` the sandbox dies with it and the next run sweeps the rest.

const MARKER = 'lifetime-marker-7f3a';
const bin = join(repoRoot, 'bin/bulwark.js');

const markedProcesses = (): number[] => {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'latin1').includes(MARKER)) found.push(Number(entry));
    } catch {}
  }
  return found;
};

const netnsOf = (pid: number): string[] =>
  execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name.startsWith(`bwk-${pid}-`));

const tempDirsOf = (pid: number): string[] =>
  readdirSync(tmpdir()).filter((entry) => entry.startsWith(`bulwark-sandbox-${pid}-`));

const waitFor = async (what: string, test: () => boolean, ms: number): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
};

const exited = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

describe('bulwark sandbox: nothing outlives the run', () => {
  let work: string;
  let fixture: string;
  let home: string;
  let release: () => void = () => {};

  beforeAll(async () => {
    ensureSandboxPrimitives();
    release = await acquireSandboxLock(LOCK_WAIT_MS);
    work = mkdtempSync(join(tmpdir(), 'bulwark-e2e-lifetime-'));
    home = makeHome();
    // A postinstall that never ends on its own (defanged: it only waits).
    fixture = join(work, 'slow-postinstall');
    mkdirSync(fixture);
    writeFileSync(
      join(fixture, 'package.json'),
      JSON.stringify({
        name: 'slow-postinstall',
        version: '1.0.0',
        scripts: { postinstall: `node hang.js ${MARKER}` },
      }),
    );
    writeFileSync(join(fixture, 'hang.js'), 'setInterval(() => {}, 1000);\n');
  }, LOCK_WAIT_MS + 600_000);

  afterAll(() => {
    release();
    rmSync(work, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  const start = () =>
    spawn(process.execPath, [bin, 'sandbox', fixture, '--no-progress', '--no-store', '--format', 'json'], {
      env: { ...process.env, BULWARK_HOME: home, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('Ctrl-C kills the package, removes the namespaces and the temporary directories, exits 130', async () => {
    const child = start();
    const done = exited(child);
    await waitFor('the postinstall to run in the sandbox', () => markedProcesses().length > 0, 120_000);
    expect(netnsOf(child.pid!).length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const { code } = await done;
    expect(code).toBe(130);
    await waitFor('the package processes to end', () => markedProcesses().length === 0, 5_000);
    expect(netnsOf(child.pid!)).toEqual([]);
    expect(tempDirsOf(child.pid!)).toEqual([]);
  }, 180_000);

  it('after kill -9 the sandbox dies with Bulwark, and the next run sweeps what was left', async () => {
    const child = start();
    const done = exited(child);
    await waitFor('the postinstall to run in the sandbox', () => markedProcesses().length > 0, 120_000);
    child.kill('SIGKILL');
    await done;
    // strace dies with Bulwark (pdeathsig), bwrap with strace, the pid namespace with bwrap.
    await waitFor('the package processes to end', () => markedProcesses().length === 0, 10_000);
    const stale = netnsOf(child.pid!);
    expect(stale.length).toBeGreaterThan(0);
    expect(tempDirsOf(child.pid!).length).toBeGreaterThan(0);

    const next = runCli(
      ['sandbox', fixture, '--no-ci', '--no-store', '--no-progress', '--install-timeout', '2'],
      {
        home,
      },
    );
    expect(next.stderr).not.toMatch(/internal error/);
    expect(netnsOf(child.pid!)).toEqual([]);
    expect(tempDirsOf(child.pid!)).toEqual([]);
    expect(markedProcesses()).toEqual([]);
  }, 240_000);
});
