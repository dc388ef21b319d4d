/**
 * strace prints C strings with escapes: `\"`, `\\`, `\n`, `\t`, `\r`, `\v`, `\f`, octal `\377` (one to
 * three digits) and, with `-x`, `\xff`. Non-ASCII bytes are always escaped, so a UTF-8 name arrives as
 * `caf\303\251`. The same escaping is used inside `-yy` annotations (`<` and `>` become `\74`, `\76`).
 */

const SIMPLE_ESCAPES: Record<string, number> = {
  n: 0x0a,
  t: 0x09,
  r: 0x0d,
  v: 0x0b,
  f: 0x0c,
  a: 0x07,
  b: 0x08,
  e: 0x1b,
  '"': 0x22,
  "'": 0x27,
  '\\': 0x5c,
  '?': 0x3f,
};

const encoder = new TextEncoder();
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Bytes of an escaped string body (the text between the quotes). Malformed escapes are kept literally. */
export function decodeStraceBytes(body: string): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      const code = c.charCodeAt(0);
      if (code < 0x80) out.push(code);
      else for (const b of encoder.encode(c)) out.push(b);
      i++;
      continue;
    }
    const next = body[i + 1]!;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out.push(simple);
      i += 2;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1, i + 4));
    if (octal) {
      out.push(Number.parseInt(octal[0], 8) & 0xff);
      i += 1 + octal[0].length;
      continue;
    }
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(body.slice(i + 1, i + 4));
    if (hex) {
      out.push(Number.parseInt(hex[1]!, 16));
      i += 1 + hex[0].length;
      continue;
    }
    out.push(0x5c);
    i++;
  }
  return Uint8Array.from(out);
}

/** The body decoded as UTF-8 (invalid sequences become U+FFFD). */
export function decodeStraceText(body: string): string {
  if (!body.includes('\\') && !/[^\x20-\x7e]/.test(body)) return body;
  return utf8.decode(decodeStraceBytes(body));
}

export type StraceString = { text: string; truncated: boolean };

/**
 * A whole printed string argument: `"abc"` or `"abc"...` (cut at `-s`). Undefined for anything else
 * (`NULL`, a pointer, a number).
 */
export function parseStraceString(arg: string): StraceString | undefined {
  const m = /^"((?:[^"\\]|\\.)*)"(\.\.\.)?$/s.exec(arg.trim());
  if (!m) return undefined;
  return { text: decodeStraceText(m[1]!), truncated: m[2] !== undefined };
}
