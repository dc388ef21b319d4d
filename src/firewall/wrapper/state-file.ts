import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dataDir } from '../../core/paths.js';

/** What a running `bulwark firewall` leaves for `bulwark npm …` to find it. */
export interface RunningState {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  pid: number;
  /** The policy file in force, or `defaults`. */
  policy: string;
  startedAt: string;
  /** Scopes it proxies to their own registries (names only). */
  scopes?: string[];
}

export const stateFilePath = (env: NodeJS.ProcessEnv = process.env): string =>
  join(dataDir(env), 'firewall', 'running.json');

/** Written atomically (rename), so a reader never sees half a file. */
export const writeState = (file: string, state: RunningState): void => {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
};

/** Removes the state file if it still names this process (another firewall may have replaced it). */
export const removeState = (file: string, pid: number = process.pid): void => {
  const state = readState(file);
  if (state && state.pid !== pid) return;
  rmSync(file, { force: true });
};

/** The state file's contents, or undefined when it is missing or not what we write. */
export const readState = (file: string): RunningState | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const { url, pid, policy, startedAt, scopes } = parsed as Record<string, unknown>;
  if (typeof url !== 'string' || !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(url))
    return undefined;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (typeof policy !== 'string' || typeof startedAt !== 'string') return undefined;
  const state: RunningState = { url, pid, policy, startedAt };
  if (Array.isArray(scopes) && scopes.every((s) => typeof s === 'string')) state.scopes = scopes as string[];
  return state;
};

export const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};
