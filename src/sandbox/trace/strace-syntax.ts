/**
 * The pieces of one strace line: balanced argument lists, `-yy` fd annotations, string arrays, socket
 * addresses and return values. Pure functions; nothing here throws on malformed text (they return
 * undefined instead).
 */
import { decodeStraceText, parseStraceString } from './decode-strace-string.js';
import type { SockAddr } from './syscall-events.js';

const OPENERS = '([{';
const CLOSERS = ')]}';

/** Index after a quoted string starting at `i` (a `"`), or -1 when it never closes. */
function skipQuoted(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '"') return j + 1;
  }
  return -1;
}

/** Index after a `-yy` annotation starting at `i` (a `<`); annotations nest (`</dev/null<char 1:3>>`). */
function skipAnnotation(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '<') depth++;
    // `->` joins the two ends of a socket (`TCP:[1.2.3.4:5->6.7.8.9:10]`); a `>` in a path is escaped.
    else if (c === '>' && text[j - 1] !== '-' && --depth === 0) return j + 1;
  }
  return -1;
}

/** An annotation opens right after an fd number or `AT_FDCWD`, never after a space (`<unfinished ...>`). */
function opensAnnotation(text: string, i: number): boolean {
  return text[i] === '<' && i > 0 && /\w/.test(text[i - 1]!);
}

/**
 * Splits a comma-separated list starting at `start` (just after its opener) up to the closer at depth 0.
 * Returns the trimmed items and the index after the closer, or undefined when the text is unbalanced.
 */
export function splitList(
  text: string,
  start: number,
  closer = ')',
): { items: string[]; end: number } | undefined {
  const items: string[] = [];
  let depth = 0;
  let itemStart = start;
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      i = skipQuoted(text, i);
      if (i < 0) return undefined;
      continue;
    }
    if (opensAnnotation(text, i)) {
      i = skipAnnotation(text, i);
      if (i < 0) return undefined;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return undefined;
      i = close + 2;
      continue;
    }
    if (OPENERS.includes(c)) depth++;
    else if (CLOSERS.includes(c)) {
      if (depth === 0) {
        if (c !== closer) return undefined;
        const last = text.slice(itemStart, i).trim();
        if (last !== '' || items.length > 0) items.push(last);
        return { items, end: i + 1 };
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      items.push(text.slice(itemStart, i).trim());
      itemStart = i + 1;
    }
    i++;
  }
  return undefined;
}

/** The text of a balanced `{…}` / `[…]` / `(…)` starting at `open`, brackets included. */
export function balancedAt(text: string, open: number): string | undefined {
  const opener = text[open];
  const idx = opener === undefined ? -1 : OPENERS.indexOf(opener);
  if (idx < 0) return undefined;
  const list = splitList(text, open + 1, CLOSERS[idx]);
  return list ? text.slice(open, list.end) : undefined;
}

export type FdArg = {
  /** The number, or -100 for `AT_FDCWD`. */
  fd: number;
  atCwd: boolean;
  /** Decoded annotation: a path (`/etc/passwd`) or a socket/pipe description (`TCP:[…]`). */
  annotation?: string;
};

export const AT_FDCWD = -100;

/** `3</etc/passwd>`, `AT_FDCWD</home/alex>`, `19<TCP:[1.2.3.4:5->6.7.8.9:10]>`, `3`. */
export function parseFdArg(arg: string): FdArg | undefined {
  const m = /^(AT_FDCWD|-?\d+)(?:<(.*)>)?$/s.exec(arg.trim());
  if (!m) return undefined;
  const atCwd = m[1] === 'AT_FDCWD';
  const fd = atCwd ? AT_FDCWD : Number(m[1]);
  if (m[2] === undefined) return { fd, atCwd };
  return { fd, atCwd, annotation: decodeAnnotation(m[2]) };
}

/** Drops a device suffix (`/dev/null<char 1:3>`): a raw `<` never belongs to a path (strace escapes it). */
export function decodeAnnotation(raw: string): string {
  const cut = raw.indexOf('<');
  return decodeStraceText(cut < 0 ? raw : raw.slice(0, cut));
}

/** The path of an annotation, when it names a file (starts with `/`). */
export function annotationPath(fd: FdArg | undefined): string | undefined {
  const a = fd?.annotation;
  return a?.startsWith('/') ? a : undefined;
}

/** `tcp`/`udp` from a socket annotation (`TCP:[…]`, `UDPv6:[…]`). */
export function socketTransport(annotation: string | undefined): 'tcp' | 'udp' | undefined {
  const m = annotation ? /^(TCP|UDP)(?:v6)?:/.exec(annotation) : null;
  if (!m) return undefined;
  return m[1] === 'TCP' ? 'tcp' : 'udp';
}

/** The strings of a printed array (`["a", "b"...]`); a trailing `...` (cut at `-s`) is skipped. */
export function parseStringArray(arg: string): string[] | undefined {
  const trimmed = arg.trim();
  if (!trimmed.startsWith('[')) return undefined;
  const list = splitList(trimmed, 1, ']');
  if (!list) return undefined;
  const out: string[] = [];
  for (const item of list.items) {
    const s = parseStraceString(item);
    if (s) out.push(s.text);
  }
  return out;
}

export type { SockAddr };

const QUOTED = '"((?:[^"\\\\]|\\\\.)*)"';

/** A printed `struct sockaddr` (`{sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("…")}`). */
export function parseSockAddr(text: string): SockAddr | undefined {
  const family = /^\{\s*sa_family=(\w+)/.exec(text.trim());
  if (!family) return undefined;
  switch (family[1]) {
    case 'AF_INET': {
      const addr = new RegExp(`sin_addr=inet_addr\\(${QUOTED}\\)`).exec(text);
      const port = /sin_port=htons\((\d+)\)/.exec(text);
      return { family: 'inet', address: addr ? decodeStraceText(addr[1]!) : '', ...portOf(port) };
    }
    case 'AF_INET6': {
      const addr = new RegExp(`inet_pton\\(AF_INET6,\\s*${QUOTED}`).exec(text);
      const port = /sin6_port=htons\((\d+)\)/.exec(text);
      return { family: 'inet6', address: addr ? decodeStraceText(addr[1]!) : '', ...portOf(port) };
    }
    case 'AF_UNIX': {
      // Abstract sockets print as sun_path=@"name".
      const path = new RegExp(`sun_path=(@?)${QUOTED}`).exec(text);
      return { family: 'unix', address: path ? `${path[1]}${decodeStraceText(path[2]!)}` : '' };
    }
    default:
      return { family: 'other', address: family[1]! };
  }
}

function portOf(m: RegExpExecArray | null): { port?: number } {
  return m ? { port: Number(m[1]) } : {};
}

/** The balanced struct that follows `field=` (`msg_name={…}`), if any. */
export function structField(text: string, field: string): string | undefined {
  const at = text.indexOf(`${field}={`);
  return at < 0 ? undefined : balancedAt(text, at + field.length + 1);
}

export type ParsedReturn =
  // hostValue: with --decode-pids=pidns, the pid in strace's namespace (`= 2 /* 11240 in strace's PID NS */`).
  | { kind: 'value'; value: number; annotation?: string; hostValue?: number }
  | { kind: 'error'; errno: string }
  /** `= ?`: no return (exit_group, or the process died in the call); errno when strace named one. */
  | { kind: 'none'; errno?: string };

/** The text after the closing paren: ` = 3</etc/passwd>`, ` = -1 ENOENT (…)`, `   = ?`. */
export function parseReturn(text: string): ParsedReturn | undefined {
  const m = /^\s*=\s*(.*)$/s.exec(text);
  if (!m) return undefined;
  const body = m[1]!.trim();
  if (body.startsWith('?')) {
    const errno = /^\?\s+([A-Z][A-Z0-9_]*)/.exec(body);
    return errno ? { kind: 'none', errno: errno[1]! } : { kind: 'none' };
  }
  const error = /^-1\s+([A-Z][A-Z0-9_]*)/.exec(body);
  if (error) return { kind: 'error', errno: error[1]! };
  const value = /^(-?\d+|0x[0-9a-fA-F]+)(?:<(.*)>)?(?:\s|$)/s.exec(body);
  if (!value) return undefined;
  const n = Number(value[1]);
  if (!Number.isFinite(n)) return undefined;
  const out: ParsedReturn = { kind: 'value', value: n };
  if (value[2] !== undefined) out.annotation = decodeAnnotation(value[2]);
  const host = /^\/\* (\d+) in strace's PID NS \*\//.exec(body.slice(value[0].length).trim());
  if (host) out.hostValue = Number(host[1]);
  return out;
}

/** `O_WRONLY|O_CREAT|O_TRUNC` → its names; a bare number stays as printed. */
export function splitFlags(arg: string | undefined): string[] {
  if (!arg) return [];
  return arg
    .split('|')
    .map((f) => f.trim())
    .filter((f) => f !== '');
}

/** A mode argument: `0640` (octal), `S_IFREG|0644`, `0`. */
export function parseMode(arg: string | undefined): number | undefined {
  if (!arg) return undefined;
  const octal = /(?:^|\|)0([0-7]*)$/.exec(arg.trim());
  if (octal) return Number.parseInt(octal[1] || '0', 8);
  const dec = /^\d+$/.exec(arg.trim());
  return dec ? Number(dec[0]) : undefined;
}
