/**
 * The OCI bundle gVisor runs: the same filesystem view as bwrap-args.ts (host /usr and /etc
 * read-only with the run's identity files on top, fresh /proc, /dev and tmpfs /tmp, the fake home
 * read-write, the supervisor read-only) over an empty read-only root, as an unprivileged user with
 * no capabilities in new pid, ipc, uts and mount namespaces. The network is not in the spec: runsc
 * runs with --network=host inside the run's network namespace.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxLayout } from '../bwrap-args.js';
import { SANDBOX_LIMITS } from '../run-traced.js';

export type OciMount = { destination: string; type: string; source: string; options: string[] };

/** The identity files the layout puts over the host's /etc (as bwrap-args.ts does). */
const ETC_FILES = ['hostname', 'hosts', 'resolv.conf', 'passwd', 'group'];
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

export const sandboxEnv = (layout: SandboxLayout): string[] => [
  `HOME=${layout.home}`,
  `USER=${layout.user}`,
  'PATH=/usr/local/bin:/usr/bin:/bin',
];

export const ociMounts = (layout: SandboxLayout): OciMount[] => {
  const bind = (source: string, destination: string, readOnly: boolean): OciMount => ({
    destination,
    type: 'bind',
    source,
    options: ['rbind', readOnly ? 'ro' : 'rw', 'nosuid', 'nodev'],
  });
  const tmpfs = (destination: string, mode = '1777'): OciMount => ({
    destination,
    type: 'tmpfs',
    source: 'tmpfs',
    options: ['nosuid', 'nodev', `mode=${mode}`],
  });
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec'] },
    tmpfs('/dev/shm'),
    // Before /etc: a host /etc/resolv.conf may be a symlink into /run.
    tmpfs('/tmp'),
    tmpfs('/var/tmp'),
    tmpfs('/run', '755'),
    bind('/usr', '/usr', true),
    bind('/etc', '/etc', true),
    ...ETC_FILES.map((name) => bind(join(layout.hostEtc, name), `/etc/${name}`, true)),
    bind(join(layout.hostEtc, 'ca-certificates.crt'), CA_BUNDLE, true),
    bind(layout.hostHome, layout.home, false),
    ...(layout.hostNpmCache
      ? [bind(layout.hostNpmCache, `${layout.home}/.npm/_cacache`, !layout.npmCacheWritable)]
      : []),
    bind(layout.hostControl, layout.controlDir, true),
  ];
};

export const ociSpec = (layout: SandboxLayout, command: string[], uid: number): Record<string, unknown> => {
  const none: string[] = [];
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid, gid: uid, additionalGids: [] },
      args: command,
      env: sandboxEnv(layout),
      cwd: layout.cwd,
      capabilities: { bounding: none, effective: none, inheritable: none, permitted: none, ambient: none },
      noNewPrivileges: true,
      // The same caps as bubblewrap mode's prlimit, enforced by gVisor's own kernel.
      rlimits: [
        { type: 'RLIMIT_NPROC', hard: SANDBOX_LIMITS.processes, soft: SANDBOX_LIMITS.processes },
        { type: 'RLIMIT_FSIZE', hard: SANDBOX_LIMITS.fileBytes, soft: SANDBOX_LIMITS.fileBytes },
        { type: 'RLIMIT_CORE', hard: 0, soft: 0 },
      ],
    },
    root: { path: 'rootfs', readonly: true },
    hostname: layout.hostname,
    mounts: ociMounts(layout),
    linux: {
      namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }],
    },
  };
};

/**
 * Writes `<dir>/config.json` and `<dir>/rootfs`: an empty root with the mount points and the usual
 * /bin, /sbin, /lib, /lib64 symlinks into /usr. Returns the bundle directory.
 */
export const writeBundle = (dir: string, layout: SandboxLayout, command: string[], uid: number): string => {
  const rootfs = join(dir, 'rootfs');
  for (const path of ['usr', 'etc', 'proc', 'dev', 'tmp', 'var/tmp', 'run', layout.home, layout.controlDir])
    mkdirSync(join(rootfs, path), { recursive: true, mode: 0o755 });
  for (const [link, target] of [
    ['bin', 'usr/bin'],
    ['sbin', 'usr/sbin'],
    ['lib', 'usr/lib'],
    ['lib64', 'usr/lib64'],
  ] as const)
    symlinkSync(target, join(rootfs, link));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(ociSpec(layout, command, uid), null, 2));
  return dir;
};
