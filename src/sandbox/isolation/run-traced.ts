import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, createReadStream, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Primitives } from './preflight.js';
import { parseSupervisorLine, type SupervisorLine } from './supervisor-protocol.js';

/** The host uid/gid the sandbox runs as: `nobody`, so host files keep their normal protections. */
export const SANDBOX_HOST_ID = 65534;

/**
 * Per-sandbox resource limits. Processes (threads included) count against the unprivileged uid,
 * both runs together; a native build with make -j and a few Node processes stays far below.
 */
export const SANDBOX_LIMITS = { processes: 1024, fileBytes: 4 * 1024 ** 3 };

/** Syscalls recorded per process (see docs/internals/sandbox.md). */
export const TRACED_SYSCALLS = [
  'execve',
  'execveat',
  'clone',
  'clone3',
  'fork',
  'vfork',
  'exit_group',
  'openat',
  'open',
  'creat',
  'unlink',
  'unlinkat',
  'rmdir',
  'rename',
  'renameat',
  'renameat2',
  'mkdir',
  'mkdirat',
  'chmod',
  'fchmodat',
  'symlink',
  'symlinkat',
  'link',
  'linkat',
  'connect',
  'sendto',
  'sendmsg',
  'sendmmsg',
  'chdir',
  'fchdir',
];

export type TracedRunOptions = {
  primitives: Primitives;
  netns: string;
  /** bubblewrap arguments up to (not including) `--`, with `--seccomp <seccompFd>`. */
  bwrap: string[];
  seccompPath: string;
  seccompFd: number;
  /** Command run inside the sandbox (the supervisor). */
  command: string[];
  /** Where strace writes (a FIFO this function creates and reads). */
  fifo: string;
  /** Hard limit for the whole run, on top of the supervisor's own limits. */
  timeoutMs: number;
  onTraceLine: (line: string) => void;
  onSupervisorLine: (line: SupervisorLine) => void;
  /** Called with the child's pid as soon as it exists (for interruption handling). */
  onSpawn?: (kill: () => void) => void;
};

export type TracedRunResult = {
  exitCode: number | null;
  signal: string | null;
  /** bwrap's and strace's own complaints (not the package's output). */
  stderr: string;
  timedOut: boolean;
};

/**
 * Runs the supervisor under strace inside the network namespace: root for strace and the
 * namespace, then `setpriv` down to an unprivileged uid for bubblewrap. Every process dies with
 * its parent (strace with us, bwrap with strace, the sandbox with bwrap), and the whole group is
 * killed at the hard limit.
 */
export const runTraced = async (options: TracedRunOptions): Promise<TracedRunResult> => {
  const { primitives: p } = options;
  execFileSync('mkfifo', ['-m', '600', options.fifo]);
  const argv = [
    'netns',
    'exec',
    options.netns,
    p.setpriv,
    '--pdeathsig',
    'SIGKILL',
    p.strace,
    '-f',
    '-q',
    '-ttt',
    // Inside bwrap's pid namespace clone() returns namespace pids; this prints the host pid too.
    '--decode-pids=pidns',
    // Stop only at the traced syscalls (a seccomp filter in the tracee) instead of at every one:
    // npm's install under the tracer took 1.1–2.0 s, with this 0.95–1.1 s.
    '--seccomp-bpf',
    '-v',
    '-yy',
    '-s',
    '256',
    '-o',
    options.fifo,
    // Signal lines are ignored, but without them `+++ killed by SIGKILL +++` is hidden too.
    '-e',
    'signal=!SIGCHLD',
    '-e',
    `trace=${TRACED_SYSCALLS.join(',')}`,
    // Limits kept across the uid change below: a fork bomb or one endless file stops here, not at the host's.
    p.prlimit,
    `--nproc=${SANDBOX_LIMITS.processes}`,
    `--fsize=${SANDBOX_LIMITS.fileBytes}`,
    '--core=0',
    '--',
    p.setpriv,
    `--reuid=${SANDBOX_HOST_ID}`,
    `--regid=${SANDBOX_HOST_ID}`,
    '--clear-groups',
    '--pdeathsig',
    'SIGKILL',
    p.bwrap,
    ...options.bwrap,
    '--',
    ...options.command,
  ];
  const seccomp = openSync(options.seccompPath, 'r');
  const stdio: Array<'ignore' | 'pipe' | number> = ['ignore', 'pipe', 'pipe'];
  while (stdio.length < options.seccompFd) stdio.push('ignore');
  stdio.push(seccomp);
  const child = spawn(p.ip, argv, { stdio, detached: true, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
  closeSync(seccomp);
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };
  options.onSpawn?.(killGroup);

  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 16_384) stderr += chunk.toString('utf8');
  });
  const supervisor = createInterface({ input: child.stdout! });
  supervisor.on('line', (line) => {
    const parsed = parseSupervisorLine(line);
    if (parsed) options.onSupervisorLine(parsed);
  });

  // Opening a FIFO for reading waits for its writer; if strace never opens it, we do, to end the wait.
  let traceOpened = false;
  const trace = createReadStream(options.fifo);
  trace.on('open', () => {
    traceOpened = true;
  });
  const traceDone = new Promise<void>((resolve) => {
    const lines = createInterface({ input: trace, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', options.onTraceLine);
    lines.on('close', resolve);
    trace.on('error', () => resolve());
  });

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, options.timeoutMs);
  const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.on('error', () => resolve({ code: null, signal: null }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  killGroup();
  if (!traceOpened) {
    try {
      closeSync(openSync(options.fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {}
  }
  await traceDone;
  return { exitCode: exit.code, signal: exit.signal, stderr, timedOut };
};
