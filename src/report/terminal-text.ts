/**
 * Makes untrusted text (advisory summaries, package names, versions) safe to print on a terminal.
 * Every control character is shown as a visible escape, so an ESC sequence in a package
 * description cannot move the cursor, clear the screen, recolour or hide lines, and a newline
 * cannot forge a report line. Bidi overrides (Trojan Source) and line separators are escaped too.
 */
export const terminalSafe = (text: string): string => text.replace(UNSAFE, visibleEscape);

/** Like `terminalSafe`, but tabs and line breaks become single spaces: for one-line fields. */
export const terminalLine = (text: string): string =>
  terminalSafe(
    text
      .replace(/[\t\r\n]+/g, ' ')
      .replace(/ {2,}/g, ' ')
      .trim(),
  );

// C0 controls (except none), DEL, C1 controls (0x9b is a one-byte CSI), bidi controls,
// line/paragraph separators, and the BOM / zero-width no-break space.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const visibleEscape = (char: string): string => {
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** Word-wraps already-safe text to `width` columns, each line prefixed with `indent`. */
export const wrap = (text: string, width: number, indent: string): string[] => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (word === '') continue;
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = '';
    }
    line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines;
};

/** Shortens text to `max` characters with an ellipsis. */
export const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;
