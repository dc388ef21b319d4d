/**
 * The gVisor mode: the supervisor runs as the first process of a runsc container (gVisor's
 * user-space kernel between the package and the host's), inside the run's network namespace, with
 * gVisor's own syscall trace (`--strace`) instead of strace. See docs/internals/sandbox-gvisor.md.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  createReadStream,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { createGvisorTraceParser } from '../../trace/gvisor/parse-gvisor-strace.js';
import type { TraceLog } from '../../types.js';
import { SANDBOX_UID, type SandboxLayout } from '../bwrap-args.js';
import { TRACED_SYSCALLS } from '../run-traced.js';
import { parseSupervisorLine, type SupervisorLine } from '../supervisor-protocol.js';
import { sandboxEnv, writeBundle } from './oci-bundle.js';

const run = promisify(execFile);

export type GvisorRunOptions = {
  /** Path of `runsc`. */
  runsc: string;
  /** Path of `ip`. */
  ip: string;
  /** The run's network namespace: the sandbox's sockets are host sockets in it (--network=host). */
  netns: string;
  layout: SandboxLayout;
  /** The supervisor's argv inside the sandbox. */
  command: string[];
  /** Host directory for the OCI bundle, runsc's state and logs (created; removed by the caller). */
  workDir: string;
  /** Hard limit for the whole run, on top of the supervisor's own limits. */
  timeoutMs: number;
  onSupervisorLine: (line: SupervisorLine) => void;
  /** Called with a function that ends the run (for interruption handling). */
  onSpawn?: (kill: () => void) => void;
  /** The user inside (default 1000). */
  uid?: number;
  /** Each raw line of the sandbox's debug log (for keeping or debugging the trace). */
  onTraceLine?: (line: string) => void;
  /** gVisor platform (`ptrace`, the default, works everywhere; `kvm` needs /dev/kvm). */
  platform?: string;
};

export type GvisorRunResult = {
  result: {
    exitCode: number | null;
    signal: string | null;
    /** runsc's own complaints (not the package's output). */
    stderr: string;
    timedOut: boolean;
    /** No runsc process (sandbox, gofer) of this run was left. */
    cleanedUp: boolean;
  };
  trace: TraceLog;
};

/** Syscalls gVisor traces: the strace mode's, plus socket() for a connect's transport. */
export const GVISOR_TRACED_SYSCALLS = [...TRACED_SYSCALLS, 'socket'];

/** The uid the run's home belongs to on the host (run-once.ts chowns it for bubblewrap's mapping). */
const BWRAP_HOST_ID = 65534;
const STDERR_LIMIT = 16_384;
const TRACE_DRAIN_MS = 10_000;

/**
 * Runs `command` in a runsc container in `netns` and returns its exit and gVisor's trace of it. The
 * supervisor's stdout comes back through the container's stdout. Every runsc process of the run is
 * gone when this returns (killed at the hard limit or by `onSpawn`'s function, then deleted).
 */
export const runGvisorTraced = async (options: GvisorRunOptions): Promise<GvisorRunResult> => {
  const uid = options.uid ?? SANDBOX_UID;
  const { layout } = options;
  const bundle = join(options.workDir, 'bundle');
  const state = join(options.workDir, 'state');
  const logs = join(options.workDir, 'logs');
  for (const dir of [bundle, state, logs]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  prepareOwnership(layout, uid);
  writeBundle(bundle, layout, options.command, uid);
  const id = `bwk-gv-${randomBytes(6).toString('hex')}`;
  const bootLog = join(logs, 'boot.txt');
  execFileSync('mkfifo', ['-m', '600', bootLog]);

  const runscArgs = (...rest: string[]) => [
    'netns',
    'exec',
    options.netns,
    options.runsc,
    `--root=${state}`,
    // `ip netns exec` remounts /sys without the cgroup hierarchy.
    '--ignore-cgroups',
    ...rest,
  ];
  const argv = runscArgs(
    '--network=host',
    `--platform=${options.platform ?? 'ptrace'}`,
    '--strace',
    `--strace-syscalls=${GVISOR_TRACED_SYSCALLS.join(',')}`,
    '--strace-log-size=256',
    // %COMMAND%: the sandbox process logs to the FIFO `boot.txt`, runsc and the gofer to files beside it.
    `--debug-log=${logs}/%COMMAND%.txt`,
    'run',
    '--bundle',
    bundle,
    id,
  );
  const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', TZ: 'UTC' };
  const child = spawn(options.ip, argv, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env });

  let ended = false;
  const stop = async (): Promise<void> => {
    // The container's processes first (runsc's control socket is in the namespace), then runsc itself.
    await run(options.ip, runscArgs('kill', '--all', id, 'KILL'), { env, timeout: 5_000 }).catch(() => {});
    killGroup();
  };
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };
  options.onSpawn?.(() => {
    if (!ended) void stop();
    killGroup();
  });

  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < STDERR_LIMIT) stderr += chunk.toString('utf8');
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const parsed = parseSupervisorLine(line);
    if (parsed) options.onSupervisorLine(parsed);
  });

  const parser = createGvisorTraceParser({
    root: {
      path: options.command[0] ?? '',
      argv: options.command,
      env: envRecord(sandboxEnv(layout)),
      cwd: layout.cwd,
    },
    timeZone: 'utc',
  });
  let traceOpened = false;
  const trace = createReadStream(bootLog);
  trace.on('open', () => {
    traceOpened = true;
  });
  const traceDone = new Promise<void>((resolve) => {
    const lines = createInterface({ input: trace, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => {
      options.onTraceLine?.(line);
      parser.push(line);
    });
    lines.on('close', resolve);
    trace.on('error', () => resolve());
  });

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stop();
  }, options.timeoutMs);
  const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.on('error', () => resolve({ code: null, signal: null }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  ended = true;
  clearTimeout(timer);
  killGroup();

  await run(options.ip, runscArgs('delete', '--force', id), { env, timeout: 10_000 }).catch(() => {});
  const left = await sweep(state);
  if (!traceOpened) {
    // runsc never opened the log (it failed early): open it ourselves so the reader's open returns.
    try {
      closeSync(openSync(bootLog, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {}
  }
  await Promise.race([traceDone, new Promise((resolve) => setTimeout(resolve, TRACE_DRAIN_MS).unref())]);
  trace.destroy();
  return {
    result: { exitCode: exit.code, signal: exit.signal, stderr, timedOut, cleanedUp: left === 0 },
    trace: parser.finish(),
  };
};

/**
 * gVisor checks permissions itself against host owners: the home (and the run's own npm cache
 * copy's directories) go to the sandbox uid. Only what the run made for bubblewrap's `nobody`
 * mapping is touched; the shared cache files hard-linked into the copy stay root's.
 */
const prepareOwnership = (layout: SandboxLayout, uid: number): void => {
  const owner = `${uid}:${uid}`;
  const chownFrom = (dir: string, extra: string[]) =>
    execFileSync(
      'find',
      [dir, '-xdev', ...extra, '-uid', String(BWRAP_HOST_ID), '-exec', 'chown', '-h', owner, '{}', '+'],
      {
        stdio: 'ignore',
      },
    );
  if (layout.hostNpmCache) {
    // The cache's mount point, inside the home (bubblewrap creates it itself).
    mkdirSync(join(layout.hostHome, '.npm', '_cacache'), { recursive: true });
    execFileSync('chown', [owner, join(layout.hostHome, '.npm'), join(layout.hostHome, '.npm', '_cacache')]);
    if (layout.npmCacheWritable) chownFrom(layout.hostNpmCache, ['-type', 'd']);
  }
  chownFrom(layout.hostHome, []);
};

const envRecord = (entries: string[]): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
};

/** Host processes started for this run: runsc passes `--root=<state>` to its sandbox and gofer. */
export const runProcesses = (state: string): number[] => {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args.includes(`--root=${state}`)) pids.push(pid);
    } catch {}
  }
  return pids;
};

/** Kills what is left of the run's runsc processes; returns how many survived. */
const sweep = async (state: string): Promise<number> => {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pids = runProcesses(state);
    if (pids.length === 0) return 0;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return runProcesses(state).length;
};
