import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBulwark, sandboxFixtures } from '../../support/sandbox-e2e.js';
import { ensureSandboxPrimitives } from '../../support/sandbox-primitives.js';

const NOBODY = 65534;

/** One line on stderr, no stack trace. */
const expectOneLine = (stderr: string): string => {
  const lines = stderr.split('\n').filter(Boolean);
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
};

describe('bulwark sandbox: bad input and a machine it cannot run on', () => {
  const base = mkdtempSync(join(tmpdir(), 'bulwark-e2e-'));
  const home = join(base, 'home');

  beforeAll(() => {
    ensureSandboxPrimitives();
    mkdirSync(home);
  });

  afterAll(() => {
    rmSync(base, { recursive: true, force: true });
  });

  it('a missing path: exit 2 and one line naming it', async () => {
    const missing = join(base, 'no-such-package');
    const run = await runBulwark(['sandbox', missing, '--format', 'json', '--no-progress'], {
      env: { BULWARK_HOME: home },
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(expectOneLine(run.stderr)).toContain(missing);
  });

  it('a directory without package.json: exit 2 and one line naming it', async () => {
    const empty = join(base, 'not-a-package');
    mkdirSync(empty);
    writeFileSync(join(empty, 'index.js'), 'module.exports = 1;\n');
    const run = await runBulwark(['sandbox', empty, '--no-progress'], { env: { BULWARK_HOME: home } });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const line = expectOneLine(run.stderr);
    expect(line).toContain(empty);
    expect(line).toMatch(/package\.json/);
  });

  it('not root: exit 2 with a line naming root, and nothing run', async () => {
    const userHome = join(base, 'nobody');
    mkdirSync(userHome);
    chownSync(userHome, NOBODY, NOBODY);
    chmodSync(base, 0o755);
    const run = await runBulwark(['sandbox', join(sandboxFixtures, 'plain-library'), '--no-progress'], {
      command: [
        'setpriv',
        '--reuid',
        String(NOBODY),
        '--regid',
        String(NOBODY),
        '--clear-groups',
        process.execPath,
      ],
      env: { HOME: userHome, BULWARK_HOME: join(userHome, '.bulwark') },
    });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(expectOneLine(run.stderr)).toMatch(/\broot\b/);
  });
});
