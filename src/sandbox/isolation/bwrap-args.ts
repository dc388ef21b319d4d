/** Where things are inside the sandbox, and the host directories behind them. */
export type SandboxLayout = {
  hostname: string;
  user: string;
  /** Sandbox path of the user's home (`/home/<user>`); the project lives inside it. */
  home: string;
  /** Host directory mounted read-write as the home. */
  hostHome: string;
  /** Host directory with `hostname`, `hosts`, `resolv.conf`, `passwd`, `group` and `ca-certificates.crt` (the system bundle plus the run's CA), mounted over /etc's. */
  hostEtc: string;
  /** Host directory with the supervisor and its plan, mounted read-only at `controlDir`. */
  hostControl: string;
  controlDir: string;
  /** Host npm cache (`_cacache`), mounted at `~/.npm/_cacache`. */
  hostNpmCache?: string;
  /** The cache is this run's own linked copy: mounted read-write (npm in a script writes to it). */
  npmCacheWritable?: boolean;
  /** Working directory of the supervisor. */
  cwd: string;
};

/** Sandbox path of the supervisor's files. Plain-looking: payloads probe for analysis tooling. */
export const CONTROL_DIR = '/opt/devtools';

export const SANDBOX_UID = 1000;

/**
 * bubblewrap's arguments: new user (uid 1000 inside, an unprivileged host uid outside), pid, uts,
 * ipc and cgroup namespaces; the host's /usr and /etc read-only with our identity files on top;
 * fresh /proc, /dev and /tmp; the fake home read-write; no host environment. The network
 * namespace is entered before bwrap runs (`ip netns exec`), so it is not unshared here.
 */
export const bwrapArgs = (layout: SandboxLayout, seccompFd: number): string[] => {
  const etc = (name: string) => ['--ro-bind', `${layout.hostEtc}/${name}`, `/etc/${name}`];
  return [
    '--unshare-user',
    '--uid',
    String(SANDBOX_UID),
    '--gid',
    String(SANDBOX_UID),
    '--unshare-pid',
    '--unshare-uts',
    '--unshare-ipc',
    '--unshare-cgroup-try',
    '--hostname',
    layout.hostname,
    '--die-with-parent',
    '--new-session',
    '--clearenv',
    '--ro-bind',
    '/usr',
    '/usr',
    '--symlink',
    'usr/bin',
    '/bin',
    '--symlink',
    'usr/sbin',
    '/sbin',
    '--symlink',
    'usr/lib',
    '/lib',
    '--symlink',
    'usr/lib64',
    '/lib64',
    '--ro-bind',
    '/etc',
    '/etc',
    ...etc('hostname'),
    ...etc('hosts'),
    ...etc('resolv.conf'),
    ...etc('passwd'),
    ...etc('group'),
    '--ro-bind',
    `${layout.hostEtc}/ca-certificates.crt`,
    '/etc/ssl/certs/ca-certificates.crt',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    '--tmpfs',
    '/var/tmp',
    '--tmpfs',
    '/run',
    '--dir',
    '/home',
    '--bind',
    layout.hostHome,
    layout.home,
    ...(layout.hostNpmCache
      ? [
          layout.npmCacheWritable ? '--bind' : '--ro-bind',
          layout.hostNpmCache,
          `${layout.home}/.npm/_cacache`,
        ]
      : []),
    '--ro-bind',
    layout.hostControl,
    layout.controlDir,
    '--chdir',
    layout.cwd,
    '--setenv',
    'HOME',
    layout.home,
    '--setenv',
    'USER',
    layout.user,
    '--setenv',
    'PATH',
    '/usr/local/bin:/usr/bin:/bin',
    '--seccomp',
    String(seccompFd),
  ];
};
