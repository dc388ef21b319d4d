/**
 * Streaming parser for gVisor's `runsc --strace` output (the sandbox process's debug log): one log
 * line at a time in, a TraceLog out with the same semantics as parse-strace.ts (the strace parser).
 *
 * gVisor prints each traced call twice, `E` on entry (arguments) and `X` on exit (arguments again and
 * the result), prefixed `[pid: tid]` with the sandbox's own numbers: the thread group is printed, so
 * threads fold into their process without guessing, and a clone's result is the child's pid. Entry and
 * exit are joined per thread. Paths are printed unquoted after their address, with the dirfd's path
 * (`AT_FDCWD /tmp`, `0x3 /etc`) beside it.
 *
 * A log line continues on the next physical line when a printed path or comm held a newline: lines
 * without a header from the same sentry process are joined to the previous one, so a package cannot
 * forge a syscall line by putting one in a file name (unless it guesses the sentry's host pid).
 * Untrusted input: never throws, memory stays bounded by the options.
 */
import type { SyscallResult, TracedProcess, TraceLog } from '../../types.js';
import {
  type ArgSyntax,
  type CallHandlers,
  dispatchCall,
  execOf,
  type SyscallCall,
} from '../syscall-events.js';
import {
  awaitBirth,
  createTraceRecorder,
  MAX_AWAITING,
  MAX_LINE_CHARS,
  type TraceLimits,
} from '../trace-recorder.js';
import { takeUnfinished } from '../unfinished-calls.js';
import {
  errnoName,
  isAtFdcwd,
  parseFd,
  parseLogHeader,
  parseMode,
  parseNumber,
  parseSockAddr,
  parseStraceBody,
  parseVector,
  pathText,
  type StraceBody,
  SYSCALL_ARGS,
  signalName,
  socketInode,
  socketTransport,
  splitArgs,
  splitFlags,
} from './gvisor-syntax.js';

export type GvisorTraceOptions = TraceLimits & {
  /**
   * The container's first process as started (gVisor does not trace that exec): recorded as pid 1's
   * exec, so the supervisor is found by its argv like under strace.
   */
  root?: { path: string; argv: string[]; env: Record<string, string>; cwd?: string };
  /** The sentry's host pid, when known; otherwise the pid of the log's first line. */
  loggerPid?: number;
  /** How the log's wall-clock times are read: runGvisorTraced runs runsc with TZ=UTC. Default 'local'. */
  timeZone?: 'local' | 'utc';
  /** A time near the log's (epoch ms) to take the year from: the log has none. Default now. */
  referenceTime?: number;
};

export type GvisorTraceParser = {
  push(line: string): void;
  finish(): TraceLog;
};

type Entry = { name: string; args: string; at: number; tid: number; pid: number };
type Call = SyscallCall & { args: string[]; ret?: number };
type Birth = { value: number; parent: number; at: number };

const MAX_PENDING = 65_536;
const MAX_SOCKETS = 65_536;
const UNKNOWN: SyscallResult = { ok: false, errno: '?' };

export function createGvisorTraceParser(options: GvisorTraceOptions = {}): GvisorTraceParser {
  const reference = new Date(options.referenceTime ?? Date.now());
  const utc = options.timeZone === 'utc';

  const recorder = createTraceRecorder(options);
  const { processes, addProcess, noteUnparsed, emit } = recorder;

  let loggerPid = options.loggerPid;
  /** The logical line being assembled (a header line plus its continuations). */
  let held: string | undefined;
  let heldLength = 0;

  const entries = new Map<number, Entry>();
  const cwdOf = new Map<number, string>();
  const awaiting: Birth[] = [];
  /** (pid, fd) → transport, from socket() results; socket number → transport, for inherited fds. */
  const socketFds = new Map<string, 'tcp' | 'udp'>();
  const socketNumbers = new Map<number, 'tcp' | 'udp'>();
  let rootPid: number | undefined;
  /** Tids seen as threads of another process (a clone3 result may be one: its flags are not printed). */
  const threadTids = new Set<number>();

  /** A pid seen on a line: known, the child an earlier clone announced, the root, or parentless for now. */
  const processOf = (pid: number, at: number): number => {
    if (processes.has(pid)) return pid;
    if (rootPid === undefined) {
      rootPid = pid;
      const proc: TracedProcess = { pid, startedAt: at, execs: [] };
      const root = options.root;
      if (root) {
        proc.execs.push({
          at,
          tid: pid,
          path: root.path,
          argv: [...root.argv],
          env: Object.assign(Object.create(null), root.env),
          result: { ok: true, value: 0 },
        });
        if (root.cwd) cwdOf.set(pid, root.cwd);
      }
      addProcess(proc);
      return pid;
    }
    const index = awaiting.findIndex((b) => b.value === pid);
    const birth = index < 0 ? undefined : awaiting.splice(index, 1)[0];
    const proc: TracedProcess = { pid, startedAt: birth?.at ?? at, execs: [] };
    if (birth) proc.parent = birth.parent;
    addProcess(proc);
    inheritCwd(pid, birth?.parent);
    return pid;
  };

  const inheritCwd = (pid: number, parent: number | undefined): void => {
    const cwd = parent === undefined ? undefined : cwdOf.get(parent);
    if (cwd && !cwdOf.has(pid)) cwdOf.set(pid, cwd);
  };

  const handleClone = (call: Call): void => {
    const value = call.ret;
    if (!call.result.ok || value === undefined || value <= 0) return;
    if (/\bCLONE_THREAD\b/.test(call.args[0] ?? '')) return;
    const parent = recorder.parentOfClone(call.pid, call.args[0] ?? '');
    if (parent === undefined) return;
    const existing = processes.get(value);
    if (existing && existing.parent === undefined && value !== rootPid) {
      // The child printed before its creator's clone returned.
      existing.parent = parent;
      existing.startedAt = Math.min(existing.startedAt, call.at);
      inheritCwd(value, parent);
      return;
    }
    if (existing && existing.exitedAt !== undefined) {
      // A reused pid: the newer process replaces the older record.
      processes.delete(value);
      cwdOf.delete(value);
    } else if (existing) return;
    awaitBirth(awaiting, { value, parent, at: call.at });
  };

  /** The directory an fd argument names (`AT_FDCWD /cwd` or `0x3 /dir`). */
  const fdBase = (pid: number, arg: string | undefined): string | undefined => {
    const fd = parseFd(arg);
    if (!fd) return undefined;
    if (fd.name?.startsWith('/')) return fd.name;
    return fd.atCwd ? cwdOf.get(pid) : undefined;
  };

  /** The base of a second path (renameat, linkat, symlinkat): its dirfd's path, or a bare number's. */
  const secondBase = (call: Call, arg: string | undefined, firstFd?: string): string | undefined => {
    const fd = parseFd(arg);
    if (fd?.name?.startsWith('/') || fd?.atCwd) return fdBase(call.pid, arg);
    if (isAtFdcwd(arg)) return cwdOf.get(call.pid);
    const first = parseFd(firstFd);
    if (first && !first.atCwd && fd?.fd !== undefined && first.fd === fd.fd) return fdBase(call.pid, firstFd);
    return undefined;
  };

  const transportOf = (call: Call, fdArg: string | undefined): 'tcp' | 'udp' | undefined => {
    const fd = parseFd(fdArg);
    const number = socketInode(fd?.name);
    const byFd = fd?.fd === undefined ? undefined : socketFds.get(`${call.pid}:${fd.fd}`);
    if (byFd && number !== undefined && socketNumbers.size < MAX_SOCKETS) socketNumbers.set(number, byFd);
    return (number === undefined ? undefined : socketNumbers.get(number)) ?? byFd;
  };

  /** How gVisor prints arguments: `0x… /path` strings, `AT_FDCWD /cwd` and `0x3 /dir` fds, Go structs. */
  const syntax: ArgSyntax<Call> = {
    text: pathText,
    cwd: (pid) => cwdOf.get(pid),
    // An fd printed without its path resolves against the cwd.
    dir: (call, index, paired) =>
      (paired === undefined
        ? fdBase(call.pid, call.args[index])
        : secondBase(call, call.args[index], call.args[paired])) ?? cwdOf.get(call.pid),
    cwdShown: (arg) => {
      const name = arg.startsWith('AT_FDCWD ') ? parseFd(arg)?.name : undefined;
      return name?.startsWith('/') ? name : undefined;
    },
    fdPath: (arg) => parseFd(arg)?.name,
    strings: parseVector,
    flags: splitFlags,
    numericFlags: false,
    mode: parseMode,
    removesDir: (arg) => ((parseNumber(arg) ?? 0) & 0x200) !== 0 || /\bAT_REMOVEDIR\b/.test(arg ?? ''),
    sockAddr: parseSockAddr,
    msgName: (arg) => {
      // Newer gVisor versions decode msg_name; the 2022 one prints only its address.
      const name = /\bname=(0x[0-9a-f]+ )?(\{Family: [^}]*\})/.exec(arg ?? '');
      return name ? parseSockAddr(name[2]) : undefined;
    },
    // gVisor prints no message lengths: bytes unknown.
    mmsgBytes: () => 0,
    transport: (call, addr) =>
      addr.family === 'inet' || addr.family === 'inet6' ? transportOf(call, call.args[0]) : undefined,
  };

  const handleExec = (call: Call): void => {
    const exec = execOf(call, syntax);
    if (!recorder.addExec(call.pid, exec) || !exec.result.ok) return;
    // The other threads are gone: their half-printed calls will never finish.
    for (const [tid, entry] of entries) if (entry.pid === call.pid && tid !== call.tid) entries.delete(tid);
  };

  const handleSocket = (call: Call): void => {
    if (!call.result.ok) return;
    const key = `${call.pid}:${call.result.value}`;
    const transport = socketTransport(call.args[0], call.args[1]);
    // The fd number is new again: forget what an earlier socket there was.
    if (!transport) socketFds.delete(key);
    else if (socketFds.size < MAX_SOCKETS) socketFds.set(key, transport);
  };

  const handlers: CallHandlers<Call> = {
    clone: handleClone,
    exec: handleExec,
    cwd: (pid, dir) => cwdOf.set(pid, dir),
    emit,
    special: (call) => {
      if (call.name !== 'socket') return false;
      handleSocket(call);
      return true;
    },
  };
  const dispatch = (call: Call): void => dispatchCall(call, syntax, handlers);

  /** The exit status is known at entry: exit_group never returns. */
  const handleExitGroup = (body: StraceBody, at: number): void => {
    const proc = processes.get(body.pid);
    const status = parseNumber(body.args);
    if (!proc || status === undefined || proc.exitedAt !== undefined) return;
    proc.exit = status & 0xff;
    proc.exitedAt = at;
    for (const [tid, entry] of entries) if (entry.pid === body.pid) entries.delete(tid);
  };

  const toCall = (entry: Entry, result: SyscallResult, ret: number | undefined): Call | undefined => {
    const kinds = SYSCALL_ARGS[entry.name];
    if (!kinds) return undefined;
    const args = splitArgs(entry.args, kinds);
    if (!args) return undefined;
    return {
      name: entry.name,
      args,
      result,
      ...(ret === undefined ? {} : { ret }),
      at: entry.at,
      tid: entry.tid,
      pid: entry.pid,
    };
  };

  /** The entry an exit line finishes: its own thread's, or (execve) another thread's of the same process. */
  const takeEntry = (body: StraceBody): Entry | undefined =>
    takeUnfinished(entries, body.tid, body.name, body.pid, (entry) => entry.pid);

  const handleBody = (body: StraceBody, at: number, line: string): void => {
    const pid = processOf(body.pid, at);
    if (body.tid !== body.pid && threadTids.size < MAX_AWAITING * 64) threadTids.add(body.tid);
    const proc = processes.get(pid);
    if (proc && typeof proc.exit === 'string') {
      // Still running: the "killed" thread was the leader replaced by an exec.
      delete proc.exit;
      delete proc.exitedAt;
    }
    if (!SYSCALL_ARGS[body.name]) return;
    if (body.phase === 'E') {
      if (body.name === 'exit_group') {
        handleExitGroup(body, at);
        return;
      }
      if (body.name === 'exit') return;
      if (entries.size >= MAX_PENDING && !entries.has(body.tid)) {
        recorder.drop();
        return;
      }
      // A previous entry of this thread that never printed its exit (the call was interrupted) is lost.
      entries.set(body.tid, { name: body.name, args: body.args, at, tid: body.tid, pid });
      return;
    }
    if (body.name === 'exit_group' || body.name === 'exit') return;
    const entry = takeEntry(body) ?? { name: body.name, args: body.args, at, tid: body.tid, pid };
    const ret = body.ret!;
    const result: SyscallResult =
      ret.errno === undefined ? { ok: true, value: ret.value } : { ok: false, errno: errnoName(ret.errno) };
    const call = toCall(entry, result, ret.errno === undefined ? ret.value : undefined);
    if (!call) {
      noteUnparsed(line);
      return;
    }
    dispatch(call);
  };

  const timeOf = (month: number, day: number, msOfDay: number): number => {
    const year = utc ? reference.getUTCFullYear() : reference.getFullYear();
    const at = (y: number) => {
      const midnight = utc ? Date.UTC(y, month - 1, day) : new Date(y, month - 1, day).getTime();
      return midnight + msOfDay;
    };
    const guess = at(year);
    // A log from late December read in January (or the other way round).
    if (guess - reference.getTime() > 180 * 86_400_000) return at(year - 1);
    if (reference.getTime() - guess > 180 * 86_400_000) return at(year + 1);
    return guess;
  };

  /** `Uncaught signal: "killed" (9), PID: 8, TID: 8`: a thread killed by a signal (strace's `+++ killed by`). */
  const handleSignal = (message: string, at: number): void => {
    const m = /^Uncaught signal: ".*" \((\d+)\), PID: (\d+), TID: (\d+)/.exec(message);
    if (!m) return;
    // A thread group leader killed while another thread execs is not the process dying: lines that
    // follow from the pid undo this (see handleBody).
    if (m[2] !== m[3]) return;
    const pid = Number(m[2]);
    // A child killed before it made a traced call is known only from its creator's clone.
    if (!processes.has(pid) && awaiting.some((b) => b.value === pid)) processOf(pid, at);
    const proc = processes.get(pid);
    if (!proc || proc.exitedAt !== undefined) return;
    proc.exit = signalName(Number(m[1]));
    proc.exitedAt = at;
  };

  const handleLogical = (line: string): void => {
    const header = parseLogHeader(line);
    if (!header) return;
    const at = timeOf(header.month, header.day, header.msOfDay);
    if (header.file.startsWith('compat.go')) {
      handleSignal(line.slice(header.end), at);
      return;
    }
    if (!header.file.startsWith('strace.go')) return;
    const body = parseStraceBody(line.slice(header.end));
    if (!body) {
      noteUnparsed(line);
      return;
    }
    handleBody(body, at, line);
  };

  const flush = (): void => {
    if (held === undefined) return;
    const line = held;
    held = undefined;
    handleLogical(line);
  };

  return {
    push(line: string): void {
      try {
        const text = line.replace(/\r?\n$/, '');
        const header = parseLogHeader(text);
        if (header && loggerPid === undefined) loggerPid = header.pid;
        if (header && header.pid === loggerPid) {
          flush();
          if (text.length > MAX_LINE_CHARS) {
            noteUnparsed(text);
            return;
          }
          held = text;
          heldLength = text.length;
          return;
        }
        // A continuation: the previous line's message held a newline.
        if (held === undefined || text === '') return;
        heldLength += text.length + 1;
        if (heldLength > MAX_LINE_CHARS) {
          noteUnparsed(held);
          held = undefined;
          return;
        }
        held += `\n${text}`;
      } catch {
        noteUnparsed(String(line));
      }
    },
    finish(): TraceLog {
      try {
        flush();
        // Calls that never returned (the process was killed inside them) count, with an unknown result,
        // as strace's `<unfinished ...>) = ?` does.
        for (const entry of [...entries.values()].sort((a, b) => a.at - b.at)) {
          const call = toCall(entry, UNKNOWN, undefined);
          if (call) dispatch(call);
        }
      } catch {}
      entries.clear();
      // Children that never made a traced call: the clone's number is their pid.
      for (const birth of awaiting) {
        if (!processes.has(birth.value) && !threadTids.has(birth.value))
          addProcess({ pid: birth.value, parent: birth.parent, startedAt: birth.at, execs: [] });
      }
      awaiting.length = 0;
      return recorder.finish();
    },
  };
}

/** Parses a whole log (the lines of runsc's boot debug log). */
export const parseGvisorStrace = (lines: Iterable<string>, options?: GvisorTraceOptions): TraceLog => {
  const parser = createGvisorTraceParser(options);
  for (const line of lines) parser.push(line);
  return parser.finish();
};
