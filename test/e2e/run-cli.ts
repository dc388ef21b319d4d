import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../..');
const bin = join(repoRoot, 'bin/bulwark.js');

export type CliRun = { status: number | null; stdout: string; stderr: string };

/** A throwaway data directory, so tests never touch the user's database or caches. */
export const makeHome = (): string => mkdtempSync(join(tmpdir(), 'bulwark-e2e-'));

export type CliOptions = { home: string; cwd?: string; env?: NodeJS.ProcessEnv };

const spawnOptions = (options: CliOptions) => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BULWARK_HOME: options.home,
    NO_COLOR: '1',
    ...options.env,
  };
  delete env.BULWARK_DB;
  delete env.FORCE_COLOR;
  return {
    cwd: options.cwd ?? repoRoot,
    env,
    encoding: 'utf8' as const,
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  };
};

/** Runs the compiled CLI as a user would; no colour, an isolated data directory. */
export const runCli = (args: string[], options: CliOptions): CliRun => {
  const run = spawnSync(process.execPath, [bin, ...args], spawnOptions(options));
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
};

/**
 * `runCli` without blocking this process: for tests whose loopback registry runs here
 * (spawnSync would block the server the CLI talks to).
 */
export const runCliAsync = (args: string[], options: CliOptions): Promise<CliRun> =>
  new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], spawnOptions(options), (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ status, stdout, stderr });
    });
  });
