import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A primitive the sandbox needs, and the Debian/Ubuntu package that provides it. */
type Requirement = { name: string; command: string; pkg: string };

const REQUIRED: Requirement[] = [
  { name: 'bubblewrap', command: 'bwrap', pkg: 'bubblewrap' },
  { name: 'strace', command: 'strace', pkg: 'strace' },
  { name: 'nftables', command: 'nft', pkg: 'nftables' },
  { name: 'iproute2', command: 'ip', pkg: 'iproute2' },
  { name: 'setpriv', command: 'setpriv', pkg: 'util-linux' },
  { name: 'prlimit', command: 'prlimit', pkg: 'util-linux' },
  { name: 'python3', command: 'python3', pkg: 'python3' },
];

const GVISOR: Requirement = { name: 'gVisor', command: 'runsc', pkg: 'runsc' };

/** What is missing on this machine (root aside), each with the package to install. */
export const missingPrimitives = (
  options: { gvisor?: boolean; env?: NodeJS.ProcessEnv } = {},
): Array<{ name: string; pkg: string }> => findPrimitives(options).missing;

const findPrimitives = (options: { gvisor?: boolean; env?: NodeJS.ProcessEnv }) => {
  const env = options.env ?? process.env;
  const found = new Map<string, string>();
  const missing: Array<{ name: string; pkg: string }> = [];
  for (const requirement of options.gvisor ? [...REQUIRED, GVISOR] : REQUIRED) {
    const path = which(requirement.command, env);
    if (path) found.set(requirement.command, path);
    else missing.push({ name: requirement.name, pkg: requirement.pkg });
  }
  const python3 = found.get('python3');
  if (python3 && !hasPythonSeccomp(python3))
    missing.push({ name: 'libseccomp for python3', pkg: 'python3-seccomp' });
  return { found, missing };
};

export type Primitives = {
  bwrap: string;
  strace: string;
  nft: string;
  ip: string;
  setpriv: string;
  prlimit: string;
  python3: string;
  runsc?: string;
  node: string;
  npmCli: string;
};

/** Why the sandbox cannot run here, as one line: what is missing and how to install it. */
export class SandboxUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxUnavailableError';
  }
}

/**
 * Finds every primitive the sandbox is built on. Never degrades: when one is missing the run
 * stops with the list of what is missing, instead of running the package with less isolation.
 */
export const checkPrimitives = (options: { gvisor?: boolean; env?: NodeJS.ProcessEnv } = {}): Primitives => {
  const problems: string[] = [];
  if (process.platform !== 'linux')
    throw new SandboxUnavailableError('the sandbox needs Linux (namespaces, seccomp)');
  if (process.getuid?.() !== 0)
    problems.push('root (network namespaces and nftables need it: run as root, e.g. with sudo)');
  const { found, missing } = findPrimitives(options);
  for (const { name, pkg } of missing) problems.push(`${name} (apt-get install ${pkg})`);
  if (problems.length > 0)
    throw new SandboxUnavailableError(`the sandbox cannot run here, missing: ${problems.join('; ')}`);
  const npmCli = findNpmCli();
  if (!npmCli)
    throw new SandboxUnavailableError('the sandbox cannot run here, missing: npm beside this Node.js');
  return {
    bwrap: found.get('bwrap')!,
    strace: found.get('strace')!,
    nft: found.get('nft')!,
    ip: found.get('ip')!,
    setpriv: found.get('setpriv')!,
    prlimit: found.get('prlimit')!,
    python3: found.get('python3')!,
    ...(found.has('runsc') ? { runsc: found.get('runsc')! } : {}),
    node: process.execPath,
    npmCli,
  };
};

/** A command's path: the system directories first (a PATH may put shims, pyenv's or volta's, before the real tools). */
export const which = (command: string, env: NodeJS.ProcessEnv = process.env): string | undefined => {
  const dirs = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', ...(env.PATH ?? '').split(delimiter)];
  for (const dir of dirs) {
    if (!dir) continue;
    const path = join(dir, command);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {}
  }
  return undefined;
};

const hasPythonSeccomp = (python3: string): boolean => {
  try {
    execFileSync(python3, ['-c', 'import seccomp'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
};

/** npm's CLI script shipped with the running Node.js (`<prefix>/lib/node_modules/npm/bin/npm-cli.js`). */
const findNpmCli = (): string | undefined => {
  const prefix = join(process.execPath, '..', '..');
  for (const candidate of [join(prefix, 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')]) {
    try {
      accessSync(candidate, constants.R_OK);
      return candidate;
    } catch {}
  }
  return undefined;
};
