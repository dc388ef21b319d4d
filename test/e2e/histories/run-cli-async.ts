import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CliRun } from '../run-cli.js';
import { makeHome, repoRoot } from '../run-cli.js';

/** Two cores are shared by everyone: at most this many CLI processes at once. */
const MAX_RUNNING = 3;
let running = 0;
const waiting: (() => void)[] = [];

const acquire = async (): Promise<void> => {
  if (running < MAX_RUNNING) {
    running++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
};

const release = (): void => {
  const next = waiting.shift();
  if (next) next();
  else running--;
};

/**
 * Runs the bundled CLI without blocking this process (the loopback registry answering it runs
 * here), in a fresh home with no `.npmrc` and no npm settings from the environment, killed after
 * `timeoutMs`.
 */
export const runCliAsync = async (args: string[], timeoutMs = 90_000): Promise<CliRun> => {
  await acquire();
  const home = makeHome();
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, BULWARK_HOME: home, NO_COLOR: '1' };
    for (const key of Object.keys(env))
      if (/^npm_config_|^(?:https?|no)_proxy$/i.test(key) || key === 'BULWARK_DB' || key === 'FORCE_COLOR')
        delete env[key];
    return await new Promise<CliRun>((resolve) => {
      const child = spawn(process.execPath, [join(repoRoot, 'bin/bulwark.js'), ...args], { cwd: home, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      const timer = setTimeout(() => {
        stderr += `\n[killed after ${timeoutMs} ms]`;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
    release();
  }
};
