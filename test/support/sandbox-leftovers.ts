import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What a `bulwark sandbox` run may leave on the host, looked at before and after the run: its
 * network namespaces (`bwk-<cli pid>-…`), its temporary directories (`bulwark-sandbox-<cli pid>-…`),
 * processes (the sinkhole, strace, bwrap, anything the package started), and files the package
 * wrote into the real home instead of the fake one. Scoped to the run's own pid and cgroup, so
 * other sandbox runs on the machine do not count.
 */
export type HostSnapshot = {
  processes: Set<number>;
  /** sha256 of sensitive real-home files (absent files as `-`). */
  home: Map<string, string>;
};

/** Command-line fragments of the sandbox's own programs. */
const SANDBOX_MARKERS = ['sandbox-sinkhole', 'sandbox-supervisor', 'session.mjs', 'trace.fifo'];

/** Real-home files a test package goes for; they must be exactly as they were. */
const SENSITIVE_HOME = ['.npmrc', '.ssh/id_rsa', '.bash_history', '.aws/credentials', '.gitconfig'];

const cmdlines = (): Map<number, string> => {
  const found = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      found.set(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim());
    } catch {}
  }
  return found;
};

const hashFile = (path: string): string => {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return '-';
  }
};

export const snapshotHost = (): HostSnapshot => ({
  processes: new Set(cmdlines().keys()),
  home: new Map(SENSITIVE_HOME.map((file) => [file, hashFile(join(homedir(), file))])),
});

export type LeftoverOptions = {
  /** pid of the CLI process (namespaces and temp dirs carry it). */
  cliPid: number;
  before: HostSnapshot;
  /** Command-line fragments of what the package starts (`.xsync/kworker`). */
  markers?: string[];
  /** Paths that must not exist on the host afterwards (`~/.config/systemd/user/x.service`). */
  hostPaths?: string[];
  /**
   * Processes still in the run's own cgroup: the exact answer. Without one, new processes whose
   * command line carries a marker are counted instead (which other sandbox runs on the machine
   * can trip).
   */
  cgroupPids?: number[];
};

/** Everything the run left behind, one line each; empty when the host is as it was. */
export const findLeftovers = (options: LeftoverOptions): string[] => {
  const problems: string[] = [];
  const { cliPid, before } = options;
  const netnsPrefix = `bwk-${cliPid}-`;
  const tempPrefix = `bulwark-sandbox-${cliPid}-`;

  const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name.startsWith(netnsPrefix));
  for (const name of netns) problems.push(`network namespace ${name} still exists`);
  if (existsSync('/run/netns'))
    for (const name of readdirSync('/run/netns'))
      if (name.startsWith(netnsPrefix) && !netns.includes(name))
        problems.push(`/run/netns/${name} still exists`);

  for (const entry of readdirSync(tmpdir()))
    if (entry.startsWith(tempPrefix)) problems.push(`${join(tmpdir(), entry)} still exists`);

  const running = cmdlines();
  if (options.cgroupPids) {
    for (const pid of options.cgroupPids)
      problems.push(`process ${pid} is still running (${(running.get(pid) ?? '?').slice(0, 200)})`);
  } else {
    const markers = [...SANDBOX_MARKERS, netnsPrefix, tempPrefix, ...(options.markers ?? [])];
    for (const [pid, cmdline] of running) {
      if (before.processes.has(pid)) continue;
      if (markers.some((m) => cmdline.includes(m)))
        problems.push(`process ${pid} is still running (${cmdline.slice(0, 200)})`);
    }
  }

  for (const path of options.hostPaths ?? [])
    if (existsSync(path)) problems.push(`${path} exists on the host`);
  for (const [file, hash] of before.home)
    if (hashFile(join(homedir(), file)) !== hash) problems.push(`~/${file} on the host changed`);
  return problems;
};
