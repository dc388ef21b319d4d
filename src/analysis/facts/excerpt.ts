/**
 * Short, terminal-safe excerpts of untrusted source: a window of at most 160 characters around an
 * offset, on one line, with control, bidi and invisible characters written as `\u{…}` escapes.
 * Bounded work per call even on a 5 MB one-line file (no scan to the line start).
 */
export const MAX_EXCERPT = 160;

// Controls, format characters (zero-width, bidi, BOM, tags), separators, private use, lone
// surrogates and variation selectors.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Variation_Selector}]/gu;

/** Escapes characters that could move the cursor, hide text or reorder it in a terminal. */
export const escapeForTerminal = (text: string): string =>
  text.replace(UNSAFE, (c) => {
    const cp = c.codePointAt(0) ?? 0;
    return `\\u{${cp.toString(16)}}`;
  });

/** Truncates to `max` characters (adding `…`) and escapes the result. */
export const clip = (text: string, max: number): string =>
  escapeForTerminal(text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The source around `offset`, within its line, at most MAX_EXCERPT characters once escaped. */
export const excerptAt = (text: string, offset: number): string => {
  const at = Math.max(0, Math.min(offset, text.length));
  let start = at;
  const floor = Math.max(0, at - 40);
  while (start > floor && !isLineBreak(text.charCodeAt(start - 1))) start--;
  let end = at;
  const ceiling = Math.min(text.length, start + MAX_EXCERPT);
  while (end < ceiling && !isLineBreak(text.charCodeAt(end))) end++;
  const raw = text.slice(start, end).trim();
  const escaped = escapeForTerminal(raw.replace(/\s+/g, ' '));
  return escaped.length > MAX_EXCERPT ? `${escaped.slice(0, MAX_EXCERPT - 1)}…` : escaped;
};

const isLineBreak = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
