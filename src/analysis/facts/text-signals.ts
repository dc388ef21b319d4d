import type { Collector } from './collector.js';
import { shannonEntropy } from './file-stats.js';

/**
 * Signals read from the raw text, parsed or not: invisible and bidi Unicode, code pushed
 * off-screen by long whitespace runs, a shell shebang on a `.js` file, many `\x` escapes and long
 * high-entropy lines. One linear pass; each signal is reported once, with its count.
 */

type UnicodeSignal = 'invisible' | 'bidi' | 'variation-selector' | 'private-use';

/**
 * What follows a long whitespace run starts a statement or expression (`eval(`, `;(`, `x.y`,
 * `a=`, a keyword), not prose: deeply indented block comments (Babel keeps their indentation)
 * hold sentences.
 */
const CODE_START =
  /^(?:[;!([{+~`'"]|(?:var|let|const|function|new|await|return|typeof|void|async|import|export|if|for|while|try)\b|[\w$]+\s*(?:[.([=+,]|\?\.|`))/;
const startsCode = (text: string, at: number): boolean => CODE_START.test(text.slice(at, at + 80));

const JS_RUNTIMES = /^(?:node|nodejs|deno|bun|zx|tsx|ts-node|esno|esr|sucrase-node|babel-node)$/;
const unicodeSignal = (cp: number): UnicodeSignal | undefined => {
  if (cp < 0x200b) return cp === 0x00ad || cp === 0x061c || cp === 0x180e ? 'invisible' : undefined;
  if (cp <= 0x200d || cp === 0x2060 || cp === 0xfeff || (cp >= 0x2061 && cp <= 0x2064)) return 'invisible';
  if (cp === 0x200e || cp === 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
    return 'bidi';
  if ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)) return 'variation-selector';
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'invisible';
  if ((cp >= 0xe000 && cp <= 0xf8ff) || (cp >= 0xf0000 && cp <= 0x10fffd)) return 'private-use';
  return undefined;
};

export const WHITESPACE_RUN = 200;
const LONG_LINE = 2000;
// Minified code sits at 5.0-5.7 bits/char; base64 and random-looking payloads at 5.9-6.5.
const HIGH_LINE_ENTROPY = 5.8;
const MANY_ESCAPES = 50;

export const scanText = (file: string, text: string, out: Collector): void => {
  const unicode = new Map<UnicodeSignal, { count: number; first: number }>();
  let run = 0;
  let hiddenReported = false;
  let lineStart = 0;
  let longLinesChecked = 0;
  let highEntropyReported = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      run++;
      continue;
    }
    if (c === 10 || c === 13) {
      if (!highEntropyReported && i - lineStart >= LONG_LINE && longLinesChecked < 50) {
        longLinesChecked++;
        highEntropyReported = highEntropyLine(text, lineStart, i, out);
      }
      run = 0;
      lineStart = i + 1;
      continue;
    }
    // `*` or `/` after the run is a comment line (aligned JSDoc, banner art): nothing runs there.
    if (run >= WHITESPACE_RUN && !hiddenReported && c !== 42 && c !== 47 && startsCode(text, i)) {
      hiddenReported = true;
      out.add({
        kind: 'obfuscation',
        signal: 'whitespace-hidden-code',
        detail: `${run} spaces/tabs, then code at column ${i - lineStart + 1}`,
        at: out.at(i),
      });
    }
    run = 0;
    if (c < 0xad) continue;
    let cp = c;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) cp = ((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
    }
    const kind = unicodeSignal(cp);
    if (kind) {
      // A BOM at the very start is ordinary.
      if (!(cp === 0xfeff && i === 0)) {
        const entry = unicode.get(kind);
        if (entry) entry.count++;
        else unicode.set(kind, { count: 1, first: i });
      }
    }
    if (cp > 0xffff) i++;
  }
  if (!highEntropyReported && text.length - lineStart >= LONG_LINE && longLinesChecked < 50) {
    highEntropyLine(text, lineStart, text.length, out);
  }
  for (const [signal, { count, first }] of unicode)
    out.add({ kind: 'unicode', signal, count, at: out.at(first) });

  const escapes = countEscapes(text);
  // Many and dense: a bundle carrying a few hundred escapes in a megabyte is not hiding anything.
  if (escapes >= MANY_ESCAPES && escapes * 4 * 100 >= text.length) {
    const first = text.indexOf('\\x');
    out.add({
      kind: 'obfuscation',
      signal: 'hex-escapes',
      detail: `${escapes} \\x escapes`,
      at: out.at(Math.max(0, first)),
    });
  }
  const shebang = /^#![ \t]*(\S{1,200})/.exec(text);
  // Runtimes that run JavaScript (zx scripts and TypeScript runners too): not a mismatch.
  if (shebang && /\.(?:c|m)?jsx?$/i.test(file)) {
    const interpreter = shebang[1] ?? '';
    if (!JS_RUNTIMES.test(interpreter.replace(/^.*\//, '')) && !/\/env$/.test(interpreter)) {
      out.add({
        kind: 'obfuscation',
        signal: 'shebang-mismatch',
        detail: `JavaScript file starts with #!${interpreter}`,
        at: out.at(0),
      });
    } else if (/\/env$/.test(interpreter)) {
      const program = /^#![ \t]*\S+[ \t]+(?:-S[ \t]+)?(\S{1,100})/.exec(text)?.[1] ?? '';
      if (!JS_RUNTIMES.test(program)) {
        out.add({
          kind: 'obfuscation',
          signal: 'shebang-mismatch',
          detail: `JavaScript file starts with #!${interpreter} ${program}`,
          at: out.at(0),
        });
      }
    }
  }
};

const highEntropyLine = (text: string, from: number, to: number, out: Collector): boolean => {
  const end = Math.min(to, from + 100_000);
  const entropy = shannonEntropy(text, from, end);
  if (entropy < HIGH_LINE_ENTROPY) return false;
  out.add({
    kind: 'obfuscation',
    signal: 'high-entropy-line',
    detail: `${to - from} characters at ${entropy.toFixed(2)} bits/char`,
    at: out.at(from),
  });
  return true;
};

const countEscapes = (text: string): number => {
  let count = 0;
  let at = text.indexOf('\\x');
  while (at !== -1 && count < 1_000_000) {
    const a = text.charCodeAt(at + 2);
    const b = text.charCodeAt(at + 3);
    if (isHex(a) && isHex(b)) count++;
    at = text.indexOf('\\x', at + 2);
  }
  return count;
};

const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
