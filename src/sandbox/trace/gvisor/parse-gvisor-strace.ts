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
import { posix } from 'node:path';
import type {
  FileAccess,
  SyscallResult,
  TracedExec,
  TracedProcess,
  TraceEvent,
  TraceLog,
} from '../../types.js';
import { createTraceRecorder, envOf, MAX_LINE_CHARS, type TraceLimits } from '../trace-recorder.js';
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
  type SockAddr,
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
type Call = {
  name: string;
  args: string[];
  result: SyscallResult;
  ret?: number;
  at: number;
  tid: number;
  pid: number;
};
type Birth = { value: number; parent: number; at: number };

const MAX_PENDING = 65_536;
const MAX_AWAITING = 1024;
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
    const parent = /\bCLONE_PARENT\b/.test(call.args[0] ?? '') ? processes.get(call.pid)?.parent : call.pid;
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
    const older = awaiting.findIndex((b) => b.value === value);
    if (older >= 0) awaiting.splice(older, 1);
    awaiting.push({ value, parent, at: call.at });
    if (awaiting.length > MAX_AWAITING) awaiting.shift();
  };

  const resolve = (pid: number, base: string | undefined, path: string): string => {
    if (path.startsWith('/')) return posix.resolve(path);
    const dir = base ?? cwdOf.get(pid);
    if (!dir?.startsWith('/')) return path;
    return path === '' ? dir : posix.resolve(dir, path);
  };

  /** The directory an fd argument names (`AT_FDCWD /cwd` or `0x3 /dir`). */
  const fdBase = (pid: number, arg: string | undefined): string | undefined => {
    const fd = parseFd(arg);
    if (!fd) return undefined;
    if (fd.name?.startsWith('/')) return fd.name;
    return fd.atCwd ? cwdOf.get(pid) : undefined;
  };

  const pathArg = (call: Call, base: string | undefined, arg: string | undefined): string => {
    const text = pathText(arg);
    if (text === undefined) return arg ?? '';
    return resolve(call.pid, base, text);
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

  const base = (call: Call) => ({ pid: call.pid, tid: call.tid, at: call.at, result: call.result });

  const handleExec = (call: Call): void => {
    const at = call.name === 'execveat' ? 1 : 0;
    const dir = call.name === 'execveat' ? fdBase(call.pid, call.args[0]) : undefined;
    const env = envOf(parseVector(call.args[at + 2]) ?? []);
    const exec: TracedExec = {
      at: call.at,
      tid: call.tid,
      path: pathArg(call, dir, call.args[at]),
      argv: parseVector(call.args[at + 1]) ?? [],
      env,
      result: call.result,
    };
    if (!recorder.addExec(call.pid, exec) || !exec.result.ok) return;
    // The other threads are gone: their half-printed calls will never finish.
    for (const [tid, entry] of entries) if (entry.pid === call.pid && tid !== call.tid) entries.delete(tid);
  };

  const handleOpen = (call: Call): void => {
    let dir: string | undefined;
    let pathIndex = 0;
    let flags: string[];
    if (call.name === 'creat') flags = ['O_WRONLY', 'O_CREAT', 'O_TRUNC'];
    else if (call.name === 'open') flags = splitFlags(call.args[1]);
    else {
      dir = fdBase(call.pid, call.args[0]);
      pathIndex = 1;
      flags = splitFlags(call.args[2]);
    }
    emit({
      kind: 'open',
      ...base(call),
      path: pathArg(call, dir, call.args[pathIndex]),
      access: accessOf(flags),
      flags,
    });
  };

  const transportOf = (call: Call, fdArg: string | undefined): 'tcp' | 'udp' | undefined => {
    const fd = parseFd(fdArg);
    const number = socketInode(fd?.name);
    const byFd = fd?.fd === undefined ? undefined : socketFds.get(`${call.pid}:${fd.fd}`);
    if (byFd && number !== undefined && socketNumbers.size < MAX_SOCKETS) socketNumbers.set(number, byFd);
    return (number === undefined ? undefined : socketNumbers.get(number)) ?? byFd;
  };

  const handleConnect = (call: Call): void => {
    const addr: SockAddr = parseSockAddr(call.args[1]) ?? { family: 'other', address: call.args[1] ?? '' };
    const transport =
      addr.family === 'inet' || addr.family === 'inet6' ? transportOf(call, call.args[0]) : undefined;
    let result = call.result;
    if (!result.ok && result.errno === 'EINPROGRESS') result = { ok: true, value: 0 };
    emit({
      kind: 'connect',
      pid: call.pid,
      tid: call.tid,
      at: call.at,
      family: addr.family,
      address: addr.address,
      ...(addr.port === undefined ? {} : { port: addr.port }),
      ...(transport ? { transport } : {}),
      result,
    });
  };

  const handleSend = (call: Call): void => {
    let addr: SockAddr | undefined;
    // sendmmsg returns a count of messages, and gVisor prints no lengths: bytes unknown (0).
    const bytes = call.name !== 'sendmmsg' && call.result.ok ? call.result.value : 0;
    if (call.name === 'sendto') addr = parseSockAddr(call.args[4]);
    else if (call.name === 'sendmsg') {
      // Newer gVisor versions decode msg_name; the 2022 one prints only its address.
      const name = /\bname=(0x[0-9a-f]+ )?(\{Family: [^}]*\})/.exec(call.args[1] ?? '');
      addr = name ? parseSockAddr(name[2]) : undefined;
    }
    if (addr?.family === 'other') addr = undefined;
    emit({
      kind: 'send',
      ...base(call),
      ...(addr ? { address: addr.address } : {}),
      ...(addr?.port === undefined ? {} : { port: addr.port }),
      bytes,
    });
  };

  const handleSocket = (call: Call): void => {
    if (!call.result.ok) return;
    const key = `${call.pid}:${call.result.value}`;
    const transport = socketTransport(call.args[0], call.args[1]);
    // The fd number is new again: forget what an earlier socket there was.
    if (!transport) socketFds.delete(key);
    else if (socketFds.size < MAX_SOCKETS) socketFds.set(key, transport);
  };

  const fileEvent = (call: Call): TraceEvent | undefined => {
    const a = call.args;
    switch (call.name) {
      case 'unlink':
      case 'rmdir':
        return {
          kind: 'unlink',
          ...base(call),
          path: pathArg(call, undefined, a[0]),
          directory: call.name === 'rmdir',
        };
      case 'unlinkat':
        return {
          kind: 'unlink',
          ...base(call),
          path: pathArg(call, fdBase(call.pid, a[0]), a[1]),
          directory: ((parseNumber(a[2]) ?? 0) & 0x200) !== 0 || /\bAT_REMOVEDIR\b/.test(a[2] ?? ''),
        };
      case 'rename':
        return {
          kind: 'rename',
          ...base(call),
          from: pathArg(call, undefined, a[0]),
          to: pathArg(call, undefined, a[1]),
        };
      case 'renameat':
      case 'renameat2':
        return {
          kind: 'rename',
          ...base(call),
          from: pathArg(call, fdBase(call.pid, a[0]), a[1]),
          to: pathArg(call, secondBase(call, a[2], a[0]), a[3]),
        };
      case 'link':
        return {
          kind: 'link',
          ...base(call),
          from: pathArg(call, undefined, a[0]),
          to: pathArg(call, undefined, a[1]),
          symbolic: false,
        };
      case 'linkat':
        return {
          kind: 'link',
          ...base(call),
          from: pathArg(call, fdBase(call.pid, a[0]), a[1]),
          to: pathArg(call, secondBase(call, a[2], a[0]), a[3]),
          symbolic: false,
        };
      case 'symlink':
      case 'symlinkat': {
        const to =
          call.name === 'symlink'
            ? pathArg(call, undefined, a[1])
            : pathArg(call, secondBase(call, a[1]), a[2]);
        const target = pathText(a[0]) ?? a[0] ?? '';
        // A relative target is relative to the link's directory, not to the cwd.
        const from = target.startsWith('/')
          ? posix.resolve(target)
          : to.startsWith('/')
            ? posix.resolve(posix.dirname(to), target)
            : target;
        return { kind: 'link', ...base(call), from, to, symbolic: true };
      }
      case 'mkdir':
        return { kind: 'mkdir', ...base(call), path: pathArg(call, undefined, a[0]) };
      case 'mkdirat':
        return { kind: 'mkdir', ...base(call), path: pathArg(call, fdBase(call.pid, a[0]), a[1]) };
      case 'chmod':
        return {
          kind: 'chmod',
          ...base(call),
          path: pathArg(call, undefined, a[0]),
          mode: parseMode(a[1]) ?? 0,
        };
      case 'fchmodat':
        return {
          kind: 'chmod',
          ...base(call),
          path: pathArg(call, fdBase(call.pid, a[0]), a[1]),
          mode: parseMode(a[2]) ?? 0,
        };
      case 'fchmod': {
        const fd = parseFd(a[0]);
        return { kind: 'chmod', ...base(call), path: fd?.name ?? a[0] ?? '', mode: parseMode(a[1]) ?? 0 };
      }
      default:
        return undefined;
    }
  };

  const learnCwd = (pid: number, args: string[]): void => {
    for (const arg of args) {
      if (!arg.startsWith('AT_FDCWD ')) continue;
      const name = parseFd(arg)?.name;
      if (name?.startsWith('/')) cwdOf.set(pid, name);
    }
  };

  const dispatch = (call: Call): void => {
    learnCwd(call.pid, call.args);
    switch (call.name) {
      case 'clone':
      case 'fork':
      case 'vfork':
      case 'clone3':
        handleClone(call);
        return;
      case 'execve':
      case 'execveat':
        handleExec(call);
        return;
      case 'chdir':
      case 'fchdir': {
        if (!call.result.ok) return;
        const dir =
          call.name === 'chdir' ? pathArg(call, undefined, call.args[0]) : parseFd(call.args[0])?.name;
        if (dir?.startsWith('/')) cwdOf.set(call.pid, dir);
        return;
      }
      case 'open':
      case 'openat':
      case 'creat':
        handleOpen(call);
        return;
      case 'connect':
        handleConnect(call);
        return;
      case 'sendto':
      case 'sendmsg':
      case 'sendmmsg':
        handleSend(call);
        return;
      case 'socket':
        handleSocket(call);
        return;
      default: {
        const event = fileEvent(call);
        if (event) emit(event);
      }
    }
  };

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
  const takeEntry = (body: StraceBody): Entry | undefined => {
    const own = entries.get(body.tid);
    if (own && own.name === body.name) {
      entries.delete(body.tid);
      return own;
    }
    if (body.name !== 'execve' && body.name !== 'execveat') return undefined;
    for (const [tid, entry] of entries) {
      if (entry.pid === body.pid && entry.name === body.name) {
        entries.delete(tid);
        return entry;
      }
    }
    return undefined;
  };

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

function accessOf(flags: string[]): FileAccess {
  if (flags.includes('O_RDWR')) return 'read-write';
  if (flags.includes('O_WRONLY')) return 'write';
  return 'read';
}
