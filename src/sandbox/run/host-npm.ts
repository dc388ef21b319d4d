import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { InputError } from '../../core/errors.js';

const run = promisify(execFile);

/**
 * npm on the host, for the steps that run nothing of the package (`pack --ignore-scripts`,
 * `install --package-lock-only --ignore-scripts`, `cache add`). A failure is bad input: one line
 * naming `input` with npm's own first words on it.
 */
export const hostNpm = async (
  npm: { node: string; npmCli: string },
  args: string[],
  options: { cwd?: string; timeoutMs: number; input: string; failure: string },
): Promise<void> => {
  try {
    await run(npm.node, [npm.npmCli, ...args], {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      timeout: options.timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, npm_config_loglevel: 'error', NO_UPDATE_NOTIFIER: '1' },
    });
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    const detail = (stderr || message)
      .split('\n')
      .map((line) => line.replace(/^npm error /, '').trim())
      .filter((line) => line && !line.startsWith('A complete log'))
      .slice(0, 2)
      .join(' ');
    throw new InputError(options.input, `${options.failure} (${detail})`);
  }
};
