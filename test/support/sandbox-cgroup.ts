import { mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * A cgroup (v2) of its own for a test file's CLI runs, so "what did this run leave running" and
 * "what did this run send" have exact answers even when other programs on the machine run sandboxes
 * or talk to the same addresses: every process the CLI starts (the sinkhole, strace, bubblewrap and
 * whatever the package spawns, detached or not) stays in the cgroup after the CLI exits, and
 * nftables can count the host-side sockets of exactly those processes (`socket cgroupv2`).
 */
export type RunCgroup = {
  /** The `cgroup.procs` file to write a pid into. */
  procsFile: string;
  /** Processes in the cgroup now. */
  pids: () => number[];
  /** How nftables names it: the path under /sys/fs/cgroup and its level in the hierarchy. */
  nft?: { path: string; level: number };
  /** Removes the cgroup (only possible once it is empty). */
  remove: () => void;
};

/** Where cgroup v2 is mounted (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` on hybrid systems). */
const cgroup2Mount = (): string | undefined => {
  try {
    for (const line of readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
      const [, mountpoint, type] = line.split(' ');
      if (type === 'cgroup2' && mountpoint) return mountpoint;
    }
  } catch {}
  return undefined;
};

export const createRunCgroup = (name: string): RunCgroup | undefined => {
  const mount = cgroup2Mount();
  if (!mount) return undefined;
  const dir = join(mount, name);
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  const procsFile = join(dir, 'cgroup.procs');
  const underSysfs = relative('/sys/fs/cgroup', dir);
  return {
    procsFile,
    pids: () =>
      readFileSync(procsFile, 'utf8')
        .split('\n')
        .map(Number)
        .filter((pid) => Number.isInteger(pid) && pid > 0),
    ...(underSysfs.startsWith('..') ? {} : { nft: { path: underSysfs, level: 1 } }),
    remove: () => {
      try {
        rmdirSync(dir);
      } catch {}
    },
  };
};
