import { spawnSync } from 'node:child_process';
import { missingPrimitives, which } from '../../src/sandbox/isolation/preflight.js';

const APT_UPDATE_MS = 180_000;
const APT_INSTALL_MS = 300_000;

/** What the sandbox (and its --gvisor mode) would find missing. */
const missingForTests = () => missingPrimitives({ gvisor: true });

let installAttempt: string | undefined;

/**
 * Makes sure what the sandbox needs is installed (its preflight's list): when something is missing
 * and we are root with apt-get, installs them once (bounded in time). Throws with the reason when
 * they are still missing, so the sandbox end-to-end tests fail instead of skipping.
 */
export const ensureSandboxPrimitives = (): void => {
  if (process.platform !== 'linux') throw new Error('the sandbox end-to-end tests need Linux');
  if (process.getuid?.() !== 0) throw new Error('the sandbox end-to-end tests need root (run them as root)');
  let missing = missingForTests();
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map(({ pkg }) => pkg))];
  const aptGet = which('apt-get');
  if (aptGet && installAttempt === undefined) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync(aptGet, ['update', '-qq'], { env, timeout: APT_UPDATE_MS, encoding: 'utf8' });
    const install =
      update.status === 0
        ? spawnSync(aptGet, ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
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
    missing = missingForTests();
    if (missing.length === 0) return;
  }
  throw new Error(
    `the sandbox end-to-end tests cannot run, missing: ${missing.map(({ name, pkg }) => `${name} (${pkg})`).join(', ')}${
      installAttempt ? ` (${installAttempt})` : aptGet ? '' : ' (no apt-get to install them with)'
    }`,
  );
};
