/**
 * Finds honeytoken values in bytes that reached the sinkhole, also when the package encoded them
 * on the way out. Every search is a linear scan for encoded runs plus `indexOf` per token, so a
 * 64 KiB payload against a few dozen tokens stays in the low milliseconds.
 *
 * `encoding` names the layer that directly hid the value (the innermost): a token inside base64
 * inside a URL-encoded form reports `base64`; a token seen as-is in URL-decoded text reports `url`.
 * `token` is the honeytoken's id.
 */
import { constants, gunzipSync } from 'node:zlib';
import type { Honeytoken, HoneytokenEgress } from '../types.js';

type Encoding = HoneytokenEgress['encoding'];
type Channel = HoneytokenEgress['channel'];

/** A view of the payload after one decoding step, labelled with that step. */
type View = { text: string; encoding: Encoding };

const MIN_TOKEN = 8;
/** Nesting: a decoded run is decoded once more (base64 of base64, hex of base64, …). */
const MAX_DEPTH = 2;

const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}/g;
const HEX_RUN = /[0-9A-Fa-f]{32,}/g;
const BASE32_RUN = /[A-Za-z2-7]{16,}/g;
const PERCENT = /%([0-9A-Fa-f]{2})/g;

export function findHoneytokenEgress(
  tokens: readonly Honeytoken[],
  payload: Uint8Array | string,
  channel: Channel,
  destination: string,
): HoneytokenEgress[] {
  const needles = tokens
    .filter((t) => t.value.length >= MIN_TOKEN)
    .map((t) => ({
      id: t.id,
      value: t.value,
      reversed: [...t.value].reverse().join(''),
      lower: t.value.toLowerCase(),
    }));
  if (needles.length === 0) return [];
  const text =
    typeof payload === 'string'
      ? payload
      : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('latin1');

  const found = new Map<string, HoneytokenEgress>();
  const add = (token: string, encoding: Encoding) => {
    const key = `${token}\0${encoding}`;
    if (!found.has(key)) found.set(key, { token, encoding, channel, destination });
  };
  // DNS names are case-insensitive (and resolvers may randomise case): compare lower-cased there.
  const caseless = channel === 'dns';
  const search = (view: View) => {
    const lower = caseless ? view.text.toLowerCase() : '';
    for (const n of needles) {
      if (view.text.includes(n.value) || (caseless && lower.includes(n.lower))) add(n.id, view.encoding);
      if (view.text.includes(n.reversed)) add(n.id, 'reversed');
    }
  };
  const visit = (view: View, depth: number) => {
    search(view);
    if (depth >= MAX_DEPTH) return;
    for (const decoded of decodeAll(view.text)) {
      search({ text: decoded.all, encoding: decoded.encoding });
      if (depth + 1 < MAX_DEPTH && decoded.printable !== '')
        visit({ text: decoded.printable, encoding: decoded.encoding }, depth + 1);
    }
  };

  visit({ text, encoding: 'raw' }, 0);
  // Long values get split over labels: search the name once more without its dots.
  if (channel === 'dns' && text.includes('.')) visit({ text: text.replaceAll('.', ''), encoding: 'raw' }, 0);
  return [...found.values()];
}

type Decoded = {
  encoding: Encoding;
  /** Every decoded run at every alignment, joined. Searched, not decoded further. */
  all: string;
  /** The decodings that came out as mostly printable text: decoded again one level deeper. */
  printable: string;
};

function decodeAll(text: string): Decoded[] {
  const out: Decoded[] = [];
  const gzip: string[][] = [[], []];
  inflateAll(text, gzip);
  if (text.includes('%')) {
    const url = text.replace(PERCENT, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    if (url !== text) out.push({ encoding: 'url', all: url, printable: url });
  }
  const b64: string[][] = [[], []];
  const b64url: string[][] = [[], []];
  for (const m of text.matchAll(BASE64_RUN)) {
    const run = m[0];
    const target = /[-_]/.test(run) ? b64url : b64;
    // A run may start mid-quantum (a prefix glued to it, a DNS label boundary): try all four.
    for (let k = 0; k < 4 && run.length - k >= 16; k++) {
      const decoded = Buffer.from(run.slice(k), 'base64').toString('latin1');
      collect(target, decoded);
      // Archives are compressed before they are encoded (the xmlrpc stealer gzips, then base64s).
      inflateAll(decoded, gzip);
    }
  }
  pushDecoded(out, 'base64', b64);
  pushDecoded(out, 'base64url', b64url);
  const hex: string[][] = [[], []];
  for (const m of text.matchAll(HEX_RUN)) {
    const run = m[0];
    const decoded = Buffer.from(run.length % 2 ? run.slice(0, -1) : run, 'hex').toString('latin1');
    collect(hex, decoded);
    inflateAll(decoded, gzip);
    collect(hex, Buffer.from(run.length % 2 ? run.slice(1) : run.slice(1, -1), 'hex').toString('latin1'));
  }
  pushDecoded(out, 'hex', hex);
  const b32: string[][] = [[], []];
  for (const m of text.matchAll(BASE32_RUN)) {
    const run = m[0].toUpperCase();
    for (let k = 0; k < 8 && run.length - k >= 16; k++) collect(b32, base32Decode(run.slice(k)));
  }
  pushDecoded(out, 'base32', b32);
  pushDecoded(out, 'gzip', gzip);
  return out;
}

const GZIP_MAGIC = '\x1f\x8b\x08';
const MAX_INFLATED = 4 * 1024 * 1024;
const MAX_MEMBERS = 8;

/** Inflates every gzip stream that starts in `text` (truncated ones as far as they go; one followed by other bytes is lost). */
function inflateAll(text: string, into: string[][]): void {
  let from = text.indexOf(GZIP_MAGIC);
  for (let n = 0; from !== -1 && n < MAX_MEMBERS; n++) {
    try {
      const inflated = gunzipSync(Buffer.from(text.slice(from), 'latin1'), {
        finishFlush: constants.Z_SYNC_FLUSH,
        maxOutputLength: MAX_INFLATED,
      });
      collect(into, inflated.toString('latin1'));
    } catch {}
    from = text.indexOf(GZIP_MAGIC, from + 3);
  }
}

function collect(into: string[][], decoded: string): void {
  into[0]?.push(decoded);
  if (decoded.length >= MIN_TOKEN && isMostlyPrintable(decoded)) into[1]?.push(decoded);
}

function pushDecoded(out: Decoded[], encoding: Encoding, parts: string[][]): void {
  const [all = [], printable = []] = parts;
  if (all.length > 0) out.push({ encoding, all: all.join('\n'), printable: printable.join('\n') });
}

function isMostlyPrintable(s: string): boolean {
  let ok = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d) ok++;
  }
  return ok >= s.length * 0.85;
}

const BASE32_VALUES = (() => {
  const v = new Int8Array(128).fill(-1);
  for (const [i, ch] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'].entries()) v[ch.charCodeAt(0)] = i;
  return v;
})();

/** RFC 4648 base32 (upper-case input, no padding), to a latin1 string. */
function base32Decode(s: string): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (let i = 0; i < s.length; i++) {
    const v = BASE32_VALUES[s.charCodeAt(i)] ?? -1;
    if (v < 0) break;
    value = ((value << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((value >>> bits) & 0xff);
    }
  }
  return out;
}
