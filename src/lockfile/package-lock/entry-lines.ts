/**
 * Lines of lockfile entries, found by scanning npm's own layout (one key per line, fixed
 * indentation). A hand-edited or minified file yields fewer or no lines; lines are a courtesy.
 * Hand-rolled line loop: a regex runs only on lines that open an object.
 */

const OBJECT_KEY = /^ *"((?:[^"\\]|\\.)*)": \{$/;
const SPACE = 32;
const QUOTE = 34;
const OPEN = 123;
const CLOSE = 125;

type Line = { start: number; end: number; indent: number; first: number; last: number; number: number };

const eachLine = (text: string, visit: (line: Line) => void): void => {
  const line: Line = { start: 0, end: 0, indent: 0, first: 0, last: 0, number: 0 };
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let contentEnd = end;
    if (text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    let indent = 0;
    while (start + indent < contentEnd && text.charCodeAt(start + indent) === SPACE) indent++;
    line.start = start;
    line.end = contentEnd;
    line.indent = indent;
    line.first = text.charCodeAt(start + indent);
    line.last = text.charCodeAt(contentEnd - 1);
    line.number++;
    visit(line);
    start = end + 1;
  }
};

const keyOf = (text: string, line: Line): string | undefined => {
  if (line.first !== QUOTE || line.last !== OPEN) return undefined;
  const raw = OBJECT_KEY.exec(text.slice(line.start, line.end))?.[1];
  return raw === undefined ? undefined : unescapeKey(raw);
};

/** v2/v3: `packages` keys → 1-based line. */
export const packagesEntryLines = (text: string): Map<string, number> => {
  const found = new Map<string, number>();
  const unit = indentUnit(text);
  if (unit === 0) return found;
  let inPackages = false;
  eachLine(text, (line) => {
    if (line.indent === unit) {
      if (line.first === CLOSE) inPackages = false;
      else if (line.last === OPEN) inPackages = keyOf(text, line) === 'packages';
    } else if (inPackages && line.indent === 2 * unit) {
      const key = keyOf(text, line);
      if (key !== undefined) found.set(key, line.number);
    }
  });
  return found;
};

/** v1: entries of the nested `dependencies` tree, keyed like v2/v3 (`node_modules/a/node_modules/b`). */
export const dependencyTreeLines = (text: string): Map<string, number> => {
  const found = new Map<string, number>();
  const unit = indentUnit(text);
  if (unit === 0) return found;
  // Entries at depth d sit at indent (2 + 2d) units; their `dependencies` objects at (1 + 2d).
  const open: boolean[] = [];
  const names: string[] = [];
  eachLine(text, (line) => {
    const level = line.indent / unit;
    if (!Number.isInteger(level)) return;
    if (level % 2 === 1) {
      if (line.first === CLOSE) open[(level - 1) / 2] = false;
      else if (keyOf(text, line) === 'dependencies') open[(level - 1) / 2] = true;
    } else if (level >= 2 && open[level / 2 - 1]) {
      const key = keyOf(text, line);
      if (key === undefined) return;
      names.length = level / 2 - 1;
      names.push(key);
      found.set(`node_modules/${names.join('/node_modules/')}`, line.number);
    }
  });
  return found;
};

/** Indentation of the first member of the top-level object; 0 when the file is not laid out. */
const indentUnit = (text: string): number => {
  const second = text.indexOf('\n') + 1;
  if (second === 0) return 0;
  let indent = 0;
  while (text.charCodeAt(second + indent) === SPACE) indent++;
  return text.charCodeAt(second + indent) === QUOTE ? indent : 0;
};

const unescapeKey = (raw: string): string => {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
};
