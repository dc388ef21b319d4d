/**
 * What a finished syscall means as TraceEvents, shared by the strace and gVisor parsers: which argument
 * is the path, the dirfd, the flags or the address, how paths are made absolute, which flags write.
 * How each log prints an argument (quoting, fd annotations, structs) is the front end's ArgSyntax.
 */
import { posix } from 'node:path';
import type { FileAccess, SyscallResult, TracedExec, TraceEvent } from '../types.js';
import { envOf } from './trace-recorder.js';

export type SockAddr = { family: 'inet' | 'inet6' | 'unix' | 'other'; address: string; port?: number };

/** A finished call: its arguments as printed, and its outcome. */
export type SyscallCall = {
  name: string;
  pid: number;
  tid: number;
  at: number;
  args: readonly string[];
  result: SyscallResult;
};

/** How one log format prints arguments. */
export type ArgSyntax<C extends SyscallCall> = {
  /** A string argument's text (a path, a symlink target); undefined when not printed as a string. */
  text(arg: string | undefined): string | undefined;
  /** The process's working directory, when known. */
  cwd(pid: number): string | undefined;
  /**
   * The directory dirfd argument `index` names, when known. `paired`: the call's other dirfd argument
   * (renameat's olddirfd, for newdirfd), which some logs print in full only once.
   */
  dir(call: C, index: number, paired?: number): string | undefined;
  /** The working directory an `AT_FDCWD` argument is printed with, when it is (absolute). */
  cwdShown(arg: string): string | undefined;
  /** The path an fd argument is printed with (fchmod, fchdir). */
  fdPath(arg: string | undefined): string | undefined;
  /** Strings of a printed array (execve's argv and envp). */
  strings(arg: string | undefined): string[] | undefined;
  flags(arg: string | undefined): string[];
  /** A bare-number flags word tells the access mode too (`01` is O_WRONLY). */
  numericFlags: boolean;
  /** openat2's flags, from its `struct open_how`; without this openat2 makes no event. */
  openHowFlags?(arg: string | undefined): string[];
  /** The file an open's result is printed with, when it is. */
  opened?(call: C): string | undefined;
  mode(arg: string | undefined): number | undefined;
  /** unlinkat's flags say AT_REMOVEDIR. */
  removesDir(arg: string | undefined): boolean;
  sockAddr(arg: string | undefined): SockAddr | undefined;
  /** The destination in a sendmsg/sendmmsg message header, when printed. */
  msgName(arg: string | undefined): SockAddr | undefined;
  /** Bytes a successful sendmmsg sent (its result counts messages), from its message vector. */
  mmsgBytes(arg: string | undefined): number;
  /** `tcp`/`udp` of the socket a connect is on, when known. */
  transport(call: C, addr: SockAddr): 'tcp' | 'udp' | undefined;
};

/** What a front end does with the calls that are not events. */
export type CallHandlers<C extends SyscallCall> = {
  /** clone, clone2, clone3, fork, vfork. */
  clone(call: C): void;
  /** execve, execveat. */
  exec(call: C): void;
  /** The process's working directory is `dir` (a chdir, or printed beside an argument). */
  cwd(pid: number, dir: string): void;
  emit(event: TraceEvent): void;
  /** Calls only this log format handles; true when it did. */
  special?(call: C): boolean;
};

/** Routes a finished call: process bookkeeping to the front end, the rest to TraceEvents. */
export function dispatchCall<C extends SyscallCall>(
  call: C,
  syntax: ArgSyntax<C>,
  on: CallHandlers<C>,
): void {
  let shown: string | undefined;
  for (const arg of call.args) shown = syntax.cwdShown(arg) ?? shown;
  if (shown !== undefined) on.cwd(call.pid, shown);
  if (on.special?.(call)) return;
  switch (call.name) {
    case 'clone':
    case 'clone2':
    case 'clone3':
    case 'fork':
    case 'vfork':
      on.clone(call);
      return;
    case 'execve':
    case 'execveat':
      on.exec(call);
      return;
    case 'chdir':
    case 'fchdir': {
      const dir = chdirTarget(call, syntax);
      if (dir) on.cwd(call.pid, dir);
      return;
    }
    default: {
      const event = callEvent(call, syntax);
      if (event) on.emit(event);
    }
  }
}

/** `path` made absolute against `base`; undefined when relative and `base` is not an absolute path. */
export function resolvePath(base: string | undefined, path: string): string | undefined {
  if (path.startsWith('/')) return posix.resolve(path);
  if (!base?.startsWith('/')) return undefined;
  return path === '' ? base : posix.resolve(base, path);
}

export function accessOf(flags: readonly string[], numericFlags: boolean): FileAccess {
  if (flags.includes('O_RDWR')) return 'read-write';
  if (flags.includes('O_WRONLY')) return 'write';
  const numeric = numericFlags ? flags.find((f) => /^(0x[0-9a-f]+|\d+)$/i.test(f)) : undefined;
  if (numeric !== undefined) {
    const mode = Number(
      numeric.startsWith('0') && !numeric.startsWith('0x') ? Number.parseInt(numeric, 8) : numeric,
    );
    if ((mode & 3) === 2) return 'read-write';
    if ((mode & 3) === 1) return 'write';
  }
  return 'read';
}

/** Path argument `index` as text and, when it can be, absolute (against dirfd argument `dir`, else the cwd). */
function locate<C extends SyscallCall>(
  call: C,
  syntax: ArgSyntax<C>,
  index: number,
  dir?: number,
  paired?: number,
): { text?: string; absolute?: string } {
  const text = syntax.text(call.args[index]);
  if (text === undefined) return {};
  const base = dir === undefined ? syntax.cwd(call.pid) : syntax.dir(call, dir, paired);
  const absolute = resolvePath(base, text);
  return absolute === undefined ? { text } : { text, absolute };
}

/** A path argument made absolute, or as printed when it cannot be (unknown directory, not a string). */
export function pathOf<C extends SyscallCall>(
  call: C,
  syntax: ArgSyntax<C>,
  index: number,
  dir?: number,
  paired?: number,
): string {
  const { text, absolute } = locate(call, syntax, index, dir, paired);
  return absolute ?? text ?? call.args[index] ?? '';
}

/** An execve/execveat as recorded; `onEnv` sees the environment before the path is resolved. */
export function execOf<C extends SyscallCall>(
  call: C,
  syntax: ArgSyntax<C>,
  onEnv?: (env: Record<string, string>) => void,
): TracedExec {
  const i = call.name === 'execveat' ? 1 : 0;
  const env = envOf(syntax.strings(call.args[i + 2]) ?? []);
  onEnv?.(env);
  return {
    at: call.at,
    tid: call.tid,
    path: call.name === 'execveat' ? pathOf(call, syntax, 1, 0) : pathOf(call, syntax, 0),
    argv: syntax.strings(call.args[i + 1]) ?? [],
    env,
    result: call.result,
  };
}

/** The new working directory of a successful chdir/fchdir, when it is known. */
export function chdirTarget<C extends SyscallCall>(call: C, syntax: ArgSyntax<C>): string | undefined {
  if (!call.result.ok) return undefined;
  const dir = call.name === 'chdir' ? pathOf(call, syntax, 0) : syntax.fdPath(call.args[0]);
  return dir?.startsWith('/') ? dir : undefined;
}

/** The event of a file or network call (open…, unlink…, rename…, link…, mkdir…, chmod…, connect, send…). */
export function callEvent<C extends SyscallCall>(call: C, syntax: ArgSyntax<C>): TraceEvent | undefined {
  switch (call.name) {
    case 'open':
    case 'openat':
    case 'openat2':
    case 'creat':
      return openEvent(call, syntax);
    case 'connect':
      return connectEvent(call, syntax);
    case 'sendto':
    case 'sendmsg':
    case 'sendmmsg':
      return sendEvent(call, syntax);
    default:
      return fileEvent(call, syntax);
  }
}

const base = (call: SyscallCall) => ({ pid: call.pid, tid: call.tid, at: call.at, result: call.result });

function openEvent<C extends SyscallCall>(call: C, syntax: ArgSyntax<C>): TraceEvent | undefined {
  const a = call.args;
  let dir: number | undefined;
  let pathIndex = 0;
  let flags: string[];
  switch (call.name) {
    case 'creat':
      flags = ['O_WRONLY', 'O_CREAT', 'O_TRUNC'];
      break;
    case 'open':
      flags = syntax.flags(a[1]);
      break;
    case 'openat':
      dir = 0;
      pathIndex = 1;
      flags = syntax.flags(a[2]);
      break;
    default: {
      // openat2(dirfd, path, {flags=…, resolve=…}, size)
      if (!syntax.openHowFlags) return undefined;
      dir = 0;
      pathIndex = 1;
      flags = syntax.openHowFlags(a[2]);
    }
  }
  const { text, absolute } = locate(call, syntax, pathIndex, dir);
  const returned = syntax.opened?.(call);
  const opened = returned?.startsWith('/') ? returned : undefined;
  const path = text === undefined ? (a[pathIndex] ?? '') : (absolute ?? opened ?? text);
  const realPath = opened !== undefined && opened !== path ? opened : undefined;
  return {
    kind: 'open',
    ...base(call),
    path,
    ...(realPath ? { realPath } : {}),
    access: accessOf(flags, syntax.numericFlags),
    flags,
  };
}

function connectEvent<C extends SyscallCall>(call: C, syntax: ArgSyntax<C>): TraceEvent {
  const addr = syntax.sockAddr(call.args[1]) ?? { family: 'other', address: call.args[1] ?? '' };
  const transport = syntax.transport(call, addr);
  let result = call.result;
  if (!result.ok && result.errno === 'EINPROGRESS') result = { ok: true, value: 0 };
  return {
    kind: 'connect',
    pid: call.pid,
    tid: call.tid,
    at: call.at,
    family: addr.family,
    address: addr.address,
    ...(addr.port === undefined ? {} : { port: addr.port }),
    ...(transport ? { transport } : {}),
    result,
  };
}

function sendEvent<C extends SyscallCall>(call: C, syntax: ArgSyntax<C>): TraceEvent {
  const a = call.args;
  let addr = call.name === 'sendto' ? syntax.sockAddr(a[4]) : syntax.msgName(a[1]);
  // A netlink or packet "destination" is no place on the network.
  if (addr?.family === 'other') addr = undefined;
  // sendmmsg's result counts messages.
  const bytes = !call.result.ok ? 0 : call.name === 'sendmmsg' ? syntax.mmsgBytes(a[1]) : call.result.value;
  return {
    kind: 'send',
    ...base(call),
    ...(addr ? { address: addr.address } : {}),
    ...(addr?.port === undefined ? {} : { port: addr.port }),
    bytes,
  };
}

/** Events of the path-only calls (unlink, rename, link, mkdir, chmod). */
function fileEvent<C extends SyscallCall>(call: C, syntax: ArgSyntax<C>): TraceEvent | undefined {
  const a = call.args;
  const path = (index: number, dir?: number, paired?: number) => pathOf(call, syntax, index, dir, paired);
  switch (call.name) {
    case 'unlink':
    case 'rmdir':
      return { kind: 'unlink', ...base(call), path: path(0), directory: call.name === 'rmdir' };
    case 'unlinkat':
      return { kind: 'unlink', ...base(call), path: path(1, 0), directory: syntax.removesDir(a[2]) };
    case 'rename':
      return { kind: 'rename', ...base(call), from: path(0), to: path(1) };
    case 'renameat':
    case 'renameat2':
      return { kind: 'rename', ...base(call), from: path(1, 0), to: path(3, 2, 0) };
    case 'link':
      return { kind: 'link', ...base(call), from: path(0), to: path(1), symbolic: false };
    case 'linkat':
      return { kind: 'link', ...base(call), from: path(1, 0), to: path(3, 2, 0), symbolic: false };
    case 'symlink':
    case 'symlinkat': {
      const to = call.name === 'symlink' ? path(1) : path(2, 1);
      const target = syntax.text(a[0]) ?? a[0] ?? '';
      // A relative target is relative to the link's directory, not to the cwd.
      const from = target.startsWith('/')
        ? posix.resolve(target)
        : to.startsWith('/')
          ? posix.resolve(posix.dirname(to), target)
          : target;
      return { kind: 'link', ...base(call), from, to, symbolic: true };
    }
    case 'mkdir':
      return { kind: 'mkdir', ...base(call), path: path(0) };
    case 'mkdirat':
      return { kind: 'mkdir', ...base(call), path: path(1, 0) };
    case 'chmod':
      return { kind: 'chmod', ...base(call), path: path(0), mode: syntax.mode(a[1]) ?? 0 };
    case 'fchmodat':
    case 'fchmodat2':
      return { kind: 'chmod', ...base(call), path: path(1, 0), mode: syntax.mode(a[2]) ?? 0 };
    case 'fchmod':
      return {
        kind: 'chmod',
        ...base(call),
        path: syntax.fdPath(a[0]) ?? a[0] ?? '',
        mode: syntax.mode(a[1]) ?? 0,
      };
    default:
      return undefined;
  }
}
