/**
 * Lines of lockfile entries, found by scanning npm's own formatting (one key per line, fixed
 * indentation). A hand-edited or minified file yields fewer or no lines; lines are a courtesy.
 */

const OBJECT_KEY = /^( *)"((?:[^"\\]|\\.)*)": \{\s*$/;
const CLOSE = /^( *)\}/;

/** v2/v3: `packages` keys → 1-based line. */
export const packagesEntryLines = (text: string): Map<string, number> => {
  const found = new Map<string, number>();
  const lines = text.split('\n');
  const unit = indentUnit(lines);
  if (unit === 0) return found;
  let inPackages = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const key = OBJECT_KEY.exec(line);
    if (key) {
      const indent = key[1]!.length;
      if (indent === unit) inPackages = key[2] === 'packages';
      else if (inPackages && indent === 2 * unit) found.set(unescapeKey(key[2]!), i + 1);
      continue;
    }
    if (inPackages && CLOSE.exec(line)?.[1]?.length === unit) inPackages = false;
  }
  return found;
};

/** v1: entries of the nested `dependencies` tree, keyed like v2/v3 (`node_modules/a/node_modules/b`). */
export const dependencyTreeLines = (text: string): Map<string, number> => {
  const found = new Map<string, number>();
  const lines = text.split('\n');
  const unit = indentUnit(lines);
  if (unit === 0) return found;
  // Entries at depth d sit at indent (2 + 2d) units; their `dependencies` objects at (1 + 2d).
  const open: boolean[] = [];
  const names: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const key = OBJECT_KEY.exec(line);
    if (key) {
      const level = key[1]!.length / unit;
      if (!Number.isInteger(level)) continue;
      if (level % 2 === 1) {
        if (key[2] === 'dependencies') open[(level - 1) / 2] = true;
      } else if (level >= 2) {
        const depth = level / 2 - 1;
        if (!open[depth]) continue;
        names.length = depth;
        names.push(unescapeKey(key[2]!));
        found.set(`node_modules/${names.join('/node_modules/')}`, i + 1);
      }
      continue;
    }
    const close = CLOSE.exec(line);
    if (close) {
      const level = close[1]!.length / unit;
      if (Number.isInteger(level) && level % 2 === 1) open[(level - 1) / 2] = false;
    }
  }
  return found;
};

/** Indentation of the first member line of the top-level object; 0 when the file is not laid out. */
const indentUnit = (lines: string[]): number => {
  const second = lines[1];
  if (second === undefined) return 0;
  return /^( *)"/.exec(second)?.[1]?.length ?? 0;
};

const unescapeKey = (raw: string): string => {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
};
