/**
 * The pieces of gVisor's `--strace` log (runsc's debug log, glog format): the line header, the
 * `[pid: tid] comm E|X name(args)` body, the return value, and the argument kinds gVisor prints
 * (pkg/sentry/strace). Paths and fd names are printed UNQUOTED, so a path may contain `, `: the
 * arguments are split by what each syscall's fields look like, not by commas alone. Pure functions;
 * nothing here throws on malformed text (they return undefined instead).
 */
import type { SockAddr } from '../syscall-events.js';

/** `I1129 02:44:28.133405    3597 strace.go:570] ` */
const HEADER = /^([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})\s+(\d+) ([\w.-]+):(\d+)\] /;

export type LogHeader = {
  month: number;
  day: number;
  /** Milliseconds since midnight, microsecond precision. */
  msOfDay: number;
  /** The logging process (runsc's sandbox process: the sentry). */
  pid: number;
  file: string;
  /** Index where the message starts. */
  end: number;
};

export const parseLogHeader = (line: string): LogHeader | undefined => {
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const [h, mi, s, us] = [Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7])];
  return {
    month: Number(m[2]),
    day: Number(m[3]),
    msOfDay: ((h * 60 + mi) * 60 + s) * 1000 + us / 1000,
    pid: Number(m[8]),
    file: m[9]!,
    end: m[0].length,
  };
};

/** `[   1:   7] node E openat(` — the comm is at most 15 bytes but may hold anything (prctl). */
const BODY = /^\[\s*(\d+):\s*(\d+)\] (.{0,16}?) ([EX]) (\w+)\(/s;
/** `) = 3 (0x3) (47.081µs)` or `) = 0 (0x0) errno=2 (no such file or directory) (3.3µs)` at the very end. */
const EXIT_TAIL = /\) = (-?\d+) \((?:-?0x[0-9a-f]+)\)(?: errno=(\d+) \(([^()]*)\))? \(([^()]*)\)$/;

export type StraceBody = {
  pid: number;
  tid: number;
  comm: string;
  phase: 'E' | 'X';
  name: string;
  /** Text between the call's parentheses. */
  args: string;
  /** X lines: the return value, or the errno number when the call failed. */
  ret?: { value: number; errno?: number };
};

export const parseStraceBody = (text: string): StraceBody | undefined => {
  const m = BODY.exec(text);
  if (!m) return undefined;
  const rest = text.slice(m[0].length);
  const base = {
    pid: Number(m[1]),
    tid: Number(m[2]),
    comm: m[3]!,
    phase: m[4] as 'E' | 'X',
    name: m[5]!,
  };
  if (base.phase === 'E') {
    if (!rest.endsWith(')')) return undefined;
    return { ...base, args: rest.slice(0, -1) };
  }
  const tail = EXIT_TAIL.exec(rest);
  if (!tail) return undefined;
  return {
    ...base,
    args: rest.slice(0, tail.index),
    ret: { value: Number(tail[1]), ...(tail[2] === undefined ? {} : { errno: Number(tail[2]) }) },
  };
};

// ── Arguments ─────────────────────────────────────────────────────────────────────────────────────

/**
 * How gVisor prints each argument kind:
 * - `fd`: `AT_FDCWD /cwd`, `0x3 /etc`, `0x13 socket:[8]`, `0x5 (bad FD)` (name unquoted)
 * - `path`: `0x7f3b665a00b1 /etc/ld.so.cache` (unquoted), `0x0 (error decoding path: …)`
 * - `vector`: `0x58d8570 ["/bin/sh", "-c"]` (Go-quoted strings)
 * - `struct`: `0x7f… {Family: AF_INET, Addr: 203.0.113.9, Port: 4444}` or a `{…}` msghdr
 * - `blob`: a data buffer, `0x7f… "GET / HTTP/1.1\r\n"...`, or a bare number (a buffer printed as Hex)
 * - `word`: a number, flag set or mode with no `, ` inside (`O_RDONLY|O_CLOEXEC`, `0o644`, `0x10`)
 */
export type ArgKind = 'fd' | 'path' | 'vector' | 'struct' | 'blob' | 'word';

/** The printed argument kinds of the syscalls the sandbox traces (gVisor's pkg/sentry/strace tables). */
export const SYSCALL_ARGS: Record<string, ArgKind[]> = {
  open: ['path', 'word', 'word'],
  openat: ['fd', 'path', 'word', 'word'],
  creat: ['path', 'word'],
  execve: ['path', 'vector', 'vector'],
  execveat: ['fd', 'path', 'vector', 'vector', 'word'],
  unlink: ['path'],
  rmdir: ['path'],
  unlinkat: ['fd', 'path', 'word'],
  rename: ['path', 'path'],
  // The second dirfd is printed as a bare number by some versions, with its path by others.
  renameat: ['fd', 'path', 'fd', 'path'],
  renameat2: ['fd', 'path', 'fd', 'path', 'word'],
  mkdir: ['path', 'word'],
  mkdirat: ['fd', 'path', 'word'],
  chmod: ['path', 'word'],
  fchmodat: ['fd', 'path', 'word'],
  fchmod: ['fd', 'word'],
  link: ['path', 'path'],
  linkat: ['fd', 'path', 'fd', 'path', 'word'],
  symlink: ['path', 'path'],
  symlinkat: ['path', 'fd', 'path'],
  chdir: ['path'],
  fchdir: ['fd'],
  connect: ['fd', 'struct', 'word'],
  sendto: ['fd', 'blob', 'word', 'word', 'struct', 'word'],
  sendmsg: ['fd', 'struct', 'word'],
  sendmmsg: ['fd', 'word', 'word', 'word'],
  socket: ['word', 'word', 'word'],
  clone: ['word', 'word', 'word', 'word', 'word'],
  // clone3's flags are inside the struct gVisor prints as an address: thread or process is told later.
  clone3: ['word', 'word'],
  fork: [],
  vfork: [],
  exit_group: ['word'],
  exit: ['word'],
};

const WORD = /^[\w|.-]*$/;
const ADDR_PREFIX = /^0x[0-9a-f]+ /;
/** Splits tried per line before giving up (paths full of `, ` cannot make parsing slow). */
const MAX_STEPS = 4096;

/** Index after a Go-quoted string starting at `i` (a `"`), or -1. */
const skipQuoted = (text: string, i: number): number => {
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '"') return j + 1;
  }
  return -1;
};

/** Index after the bracketed group opening at `i` (quoted strings skipped), or -1. */
const skipGroup = (text: string, i: number): number => {
  const stack: string[] = [];
  for (let j = i; j < text.length; j++) {
    const c = text[j]!;
    if (c === '"') {
      j = skipQuoted(text, j) - 1;
      if (j < 0) return -1;
    } else if (c === '[' || c === '{') stack.push(c === '[' ? ']' : '}');
    else if (c === ']' || c === '}') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return j + 1;
    }
  }
  return -1;
};

/** Where an argument of `kind` starting at `start` may end (ascending), each followed by `, ` or the end. */
function* candidateEnds(text: string, start: number, kind: ArgKind): Generator<number> {
  if (kind === 'vector' || kind === 'struct') {
    const prefix = ADDR_PREFIX.exec(text.slice(start, start + 24));
    const open = start + (prefix ? prefix[0].length : 0);
    if (text[open] === '[' || text[open] === '{') {
      const end = skipGroup(text, open);
      if (end > 0) yield end;
      return;
    }
    // `null`, `0x0`, `0x… (error …)`: as free text.
  }
  if (kind === 'blob') {
    const prefix = ADDR_PREFIX.exec(text.slice(start, start + 24));
    if (prefix && text[start + prefix[0].length] === '"') {
      const s = parseGoString(text.slice(start + prefix[0].length));
      if (!s) return;
      const end = start + prefix[0].length + s.end;
      yield text.startsWith('...', end) ? end + 3 : end;
      return;
    }
    kind = 'word';
  }
  if (kind === 'word') {
    const comma = text.indexOf(', ', start);
    const end = comma < 0 ? text.length : comma;
    if (WORD.test(text.slice(start, end))) yield end;
    return;
  }
  for (let i = text.indexOf(', ', start); i >= 0; i = text.indexOf(', ', i + 1)) yield i;
  yield text.length;
}

const fits = (kind: ArgKind, arg: string): boolean => {
  switch (kind) {
    case 'fd':
      return /^(AT_FDCWD|0x[0-9a-f]+)( |$)/.test(arg);
    case 'path':
      return /^(0x[0-9a-f]+( |$)|null$)/.test(arg);
    default:
      return true;
  }
};

/**
 * The arguments as `kinds` says they are printed. The first split that fits wins: a path holding
 * `, 0x1 /x` could be read two ways, and the earlier comma is taken.
 */
export const splitArgs = (text: string, kinds: ArgKind[]): string[] | undefined => {
  let steps = 0;
  const fitFrom = (start: number, k: number): string[] | undefined => {
    if (k === kinds.length) return start === text.length ? [] : undefined;
    const last = k === kinds.length - 1;
    for (const end of candidateEnds(text, start, kinds[k]!)) {
      if (++steps > MAX_STEPS) return undefined;
      if (last ? end !== text.length : end === text.length) continue;
      const arg = text.slice(start, end);
      if (!fits(kinds[k]!, arg)) continue;
      const rest = last ? [] : fitFrom(end + 2, k + 1);
      if (rest) return [arg, ...rest];
    }
    return undefined;
  };
  if (kinds.length === 0) return text === '' ? [] : undefined;
  return fitFrom(0, 0);
};

/** A path argument's text: what follows the address (`0x7f… /etc/hosts` → `/etc/hosts`). */
export const pathText = (arg: string | undefined): string | undefined => {
  const m = /^0x[0-9a-f]+ (.*)$/s.exec(arg ?? '');
  if (!m || m[1]!.startsWith('(error decoding')) return undefined;
  return m[1];
};

export type FdArg = { atCwd: boolean; fd?: number; name?: string };

/** `AT_FDCWD /tmp` → the cwd; `0x3 /etc` → fd 3 named /etc; `0x13 socket:[8]`. */
export const parseFd = (arg: string | undefined): FdArg | undefined => {
  const m = /^(AT_FDCWD|0x[0-9a-f]+)(?: (.*))?$/s.exec(arg ?? '');
  if (!m) return undefined;
  const name = m[2] === undefined || m[2] === '(bad FD)' ? undefined : m[2];
  if (m[1] === 'AT_FDCWD') return { atCwd: true, ...(name === undefined ? {} : { name }) };
  return { atCwd: false, fd: Number(m[1]), ...(name === undefined ? {} : { name }) };
};

/** A directory fd printed as a bare number (renameat's newdirfd): AT_FDCWD is -100 in 64 or 32 bits. */
export const isAtFdcwd = (word: string | undefined): boolean =>
  word === '0xffffffffffffff9c' || word === '0xffffff9c' || word === '-100';

export const parseNumber = (word: string | undefined): number | undefined => {
  if (word === undefined) return undefined;
  if (/^0x[0-9a-f]+$/i.test(word)) return Number(word);
  if (/^0o[0-7]+$/.test(word)) return Number.parseInt(word.slice(2), 8);
  if (/^-?\d+$/.test(word)) return Number(word);
  return undefined;
};

/** `0o755` (possibly after type bits: `S_IFREG|0o644`) → 0o755. */
export const parseMode = (word: string | undefined): number | undefined => {
  const m = /0o([0-7]+)$/.exec(word ?? '');
  return m ? Number.parseInt(m[1]!, 8) : parseNumber(word);
};

export const splitFlags = (word: string | undefined): string[] =>
  (word ?? '').split('|').filter((flag) => flag !== '' && flag !== '0x0');

/** Go's `%q` quoting (strconv.Quote) undone: escapes to bytes, the bytes read as UTF-8. */
export const parseGoString = (text: string): { text: string; end: number } | undefined => {
  if (text[0] !== '"') return undefined;
  const bytes: number[] = [];
  const pushChar = (cp: number) => {
    for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(b);
  };
  const SIMPLE: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };
  for (let i = 1; i < text.length; ) {
    const c = text[i]!;
    if (c === '"') return { text: Buffer.from(bytes).toString('utf8'), end: i + 1 };
    if (c !== '\\') {
      const cp = text.codePointAt(i)!;
      pushChar(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) return undefined;
    if (SIMPLE[e] !== undefined) {
      bytes.push(SIMPLE[e]!);
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const size = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, i + 2 + size);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== size) return undefined;
      const value = Number.parseInt(hex, 16);
      if (e === 'x') bytes.push(value);
      else if (value <= 0x10ffff) pushChar(value);
      i += 2 + size;
    } else if (/[0-7]/.test(e)) {
      const oct = text.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      bytes.push(Number.parseInt(oct, 8) & 0xff);
      i += 4;
    } else return undefined;
  }
  return undefined;
};

/** `0x58d8570 ["/bin/sh", "-c", "echo hi"]` → the strings; undefined when not a vector. */
export const parseVector = (arg: string | undefined): string[] | undefined => {
  const m = /^(?:0x[0-9a-f]+ )?\[/.exec(arg ?? '');
  if (!m || arg === undefined) return undefined;
  const items: string[] = [];
  let i = m[0].length;
  if (arg[i] === ']') return i + 1 === arg.length ? items : undefined;
  for (;;) {
    const s = parseGoString(arg.slice(i));
    if (!s) return undefined;
    items.push(s.text);
    i += s.end;
    if (arg[i] === ']') return i + 1 === arg.length ? items : undefined;
    if (arg.slice(i, i + 2) !== ', ') return undefined;
    i += 2;
  }
};

export type { SockAddr };

/** `0x… {Family: AF_INET, Addr: 203.0.113.9, Port: 4444}`, `{Family: AF_UNIX, Addr: "/tmp/s"}`. */
export const parseSockAddr = (arg: string | undefined): SockAddr | undefined => {
  const m = /^(?:0x[0-9a-f]+ )?\{Family: (\w+)(.*)\}$/s.exec(arg ?? '');
  if (!m) return undefined;
  const [family, rest] = [m[1]!, m[2]!];
  if (family === 'AF_INET' || family === 'AF_INET6') {
    const a = /^, Addr: ([0-9a-fA-F.:]*), Port: (\d+)/.exec(rest);
    if (!a) return undefined;
    return { family: family === 'AF_INET' ? 'inet' : 'inet6', address: a[1]!, port: Number(a[2]) };
  }
  if (family === 'AF_UNIX') {
    const a = /^, Addr: (".*)$/s.exec(rest);
    const s = a ? parseGoString(a[1]!) : undefined;
    return { family: 'unix', address: s?.text ?? '' };
  }
  return { family: 'other', address: family };
};

/** `socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, …)` → the transport of an IP socket. */
export const socketTransport = (
  family: string | undefined,
  type: string | undefined,
): 'tcp' | 'udp' | undefined => {
  if (family !== 'AF_INET' && family !== 'AF_INET6') return undefined;
  const base = (type ?? '').split('|')[0];
  if (base === 'SOCK_STREAM') return 'tcp';
  if (base === 'SOCK_DGRAM') return 'udp';
  return undefined;
};

/** `socket:[8]` → 8: sockets are numbered per sandbox, so the number follows a socket across fork. */
export const socketInode = (name: string | undefined): number | undefined => {
  const m = /^socket:\[(\d+)\]$/.exec(name ?? '');
  return m ? Number(m[1]) : undefined;
};

/** Linux x86-64 errno numbers, named as strace names them. */
const ERRNO: Record<number, string> = {
  1: 'EPERM',
  2: 'ENOENT',
  3: 'ESRCH',
  4: 'EINTR',
  5: 'EIO',
  6: 'ENXIO',
  7: 'E2BIG',
  8: 'ENOEXEC',
  9: 'EBADF',
  10: 'ECHILD',
  11: 'EAGAIN',
  12: 'ENOMEM',
  13: 'EACCES',
  14: 'EFAULT',
  15: 'ENOTBLK',
  16: 'EBUSY',
  17: 'EEXIST',
  18: 'EXDEV',
  19: 'ENODEV',
  20: 'ENOTDIR',
  21: 'EISDIR',
  22: 'EINVAL',
  23: 'ENFILE',
  24: 'EMFILE',
  25: 'ENOTTY',
  26: 'ETXTBSY',
  27: 'EFBIG',
  28: 'ENOSPC',
  29: 'ESPIPE',
  30: 'EROFS',
  31: 'EMLINK',
  32: 'EPIPE',
  33: 'EDOM',
  34: 'ERANGE',
  35: 'EDEADLK',
  36: 'ENAMETOOLONG',
  37: 'ENOLCK',
  38: 'ENOSYS',
  39: 'ENOTEMPTY',
  40: 'ELOOP',
  42: 'ENOMSG',
  43: 'EIDRM',
  61: 'ENODATA',
  62: 'ETIME',
  71: 'EPROTO',
  74: 'EBADMSG',
  75: 'EOVERFLOW',
  84: 'EILSEQ',
  88: 'ENOTSOCK',
  89: 'EDESTADDRREQ',
  90: 'EMSGSIZE',
  91: 'EPROTOTYPE',
  92: 'ENOPROTOOPT',
  93: 'EPROTONOSUPPORT',
  94: 'ESOCKTNOSUPPORT',
  95: 'EOPNOTSUPP',
  96: 'EPFNOSUPPORT',
  97: 'EAFNOSUPPORT',
  98: 'EADDRINUSE',
  99: 'EADDRNOTAVAIL',
  100: 'ENETDOWN',
  101: 'ENETUNREACH',
  102: 'ENETRESET',
  103: 'ECONNABORTED',
  104: 'ECONNRESET',
  105: 'ENOBUFS',
  106: 'EISCONN',
  107: 'ENOTCONN',
  108: 'ESHUTDOWN',
  109: 'ETOOMANYREFS',
  110: 'ETIMEDOUT',
  111: 'ECONNREFUSED',
  112: 'EHOSTDOWN',
  113: 'EHOSTUNREACH',
  114: 'EALREADY',
  115: 'EINPROGRESS',
  116: 'ESTALE',
  122: 'EDQUOT',
  125: 'ECANCELED',
  512: 'ERESTARTSYS',
  513: 'ERESTARTNOINTR',
  514: 'ERESTARTNOHAND',
  516: 'ERESTART_RESTARTBLOCK',
};

export const errnoName = (errno: number): string => ERRNO[errno] ?? `E${errno}`;

const SIGNALS = [
  '',
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGUSR1',
  'SIGSEGV',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGSTKFLT',
  'SIGCHLD',
  'SIGCONT',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
];

export const signalName = (signal: number): string => SIGNALS[signal] || `SIGRT${signal}`;
