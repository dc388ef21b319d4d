import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What `bulwark sandbox` needs on the machine, and the Debian package that brings it. */
const TOOLS = [
  { command: 'bwrap', pkg: 'bubblewrap' },
  { command: 'nft', pkg: 'nftables' },
  { command: 'strace', pkg: 'strace' },
  { command: 'ip', pkg: 'iproute2' },
  { command: 'setpriv', pkg: 'util-linux' },
  { command: 'python3', pkg: 'python3' },
  { command: 'runsc', pkg: 'runsc' },
] as const;

const PACKAGES = ['bubblewrap', 'nftables', 'strace', 'python3-seccomp', 'runsc'];
const APT_UPDATE_MS = 180_000;
const APT_INSTALL_MS = 300_000;

/** The same search order as the sandbox's preflight: system directories before the user's PATH. */
const which = (command: string): string | undefined => {
  const dirs = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', ...(process.env.PATH ?? '').split(delimiter)];
  for (const dir of dirs) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {}
  }
  return undefined;
};

/** What is missing, as `command (package)` entries. */
export const missingSandboxPrimitives = (): string[] => {
  const missing: string[] = [];
  for (const tool of TOOLS) if (!which(tool.command)) missing.push(`${tool.command} (${tool.pkg})`);
  const python3 = which('python3');
  if (python3) {
    const probe = spawnSync(python3, ['-c', 'import seccomp'], { stdio: 'ignore', timeout: 10_000 });
    if (probe.status !== 0) missing.push('python3 seccomp module (python3-seccomp)');
  }
  return missing;
};

let installAttempt: string | undefined;

/**
 * Makes sure bubblewrap, nftables, strace and python3-seccomp are installed: when one is missing
 * and we are root with apt-get, installs them once (bounded in time). Throws with the reason when
 * they are still missing, so the sandbox end-to-end tests fail instead of skipping.
 */
export const ensureSandboxPrimitives = (): void => {
  if (process.platform !== 'linux') throw new Error('the sandbox end-to-end tests need Linux');
  if (process.getuid?.() !== 0) throw new Error('the sandbox end-to-end tests need root (run them as root)');
  let missing = missingSandboxPrimitives();
  if (missing.length === 0) return;
  const aptGet = which('apt-get');
  if (aptGet && installAttempt === undefined) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync(aptGet, ['update', '-qq'], { env, timeout: APT_UPDATE_MS, encoding: 'utf8' });
    const install =
      update.status === 0
        ? spawnSync(aptGet, ['install', '-y', '-qq', '--no-install-recommends', ...PACKAGES], {
            env,
            timeout: APT_INSTALL_MS,
            encoding: 'utf8',
          })
        : update;
    installAttempt =
      install.status === 0
        ? 'apt-get install succeeded'
        : `apt-get ${update.status === 0 ? 'install' : 'update'} failed (${
            install.error?.message ?? `exit ${install.status ?? install.signal}`
          }: ${(install.stderr ?? '').trim().split('\n').slice(-2).join(' ')})`;
    missing = missingSandboxPrimitives();
    if (missing.length === 0) return;
  }
  throw new Error(
    `the sandbox end-to-end tests cannot run, missing: ${missing.join(', ')}${
      installAttempt ? ` (${installAttempt})` : aptGet ? '' : ' (no apt-get to install them with)'
    }`,
  );
};
