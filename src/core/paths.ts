import { homedir } from 'node:os';
import { join } from 'node:path';

/** Per-user data directory (XDG on Linux, the platform's usual place elsewhere). */
export const dataDir = (env: NodeJS.ProcessEnv = process.env): string => {
  if (env.BULWARK_HOME) return env.BULWARK_HOME;
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'bulwark');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'bulwark');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'bulwark');
};

/** The intel database every command uses: `--db`, else `BULWARK_DB`, else the data directory. */
export const defaultDbPath = (env: NodeJS.ProcessEnv = process.env): string =>
  env.BULWARK_DB || join(dataDir(env), 'bulwark.db');
