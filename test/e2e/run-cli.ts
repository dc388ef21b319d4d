import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../..');
const bin = join(repoRoot, 'bin/bulwark.js');

export type CliRun = { status: number | null; stdout: string; stderr: string };

/** A throwaway data directory, so tests never touch the user's database or caches. */
export const makeHome = (): string => mkdtempSync(join(tmpdir(), 'bulwark-e2e-'));

/** Runs the compiled CLI as a user would; no colour, an isolated data directory. */
export const runCli = (
  args: string[],
  options: { home: string; cwd?: string; env?: NodeJS.ProcessEnv },
): CliRun => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BULWARK_HOME: options.home,
    NO_COLOR: '1',
    ...options.env,
  };
  delete env.BULWARK_DB;
  delete env.FORCE_COLOR;
  const run = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
};
