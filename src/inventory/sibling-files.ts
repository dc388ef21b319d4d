import { readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../core/errors.js';
import { readInputFile } from '../core/input.js';

/** Most entries listed from one directory while expanding workspace globs. */
const MAX_DIR_ENTRIES = 10_000;

export type SiblingFiles = {
  readSibling: (relativePath: string) => string | undefined;
  listDir: (relativePath: string) => string[] | undefined;
};

/**
 * File access for a parser, confined to the lockfile's directory: absolute paths and `..` are
 * refused, and so are symlinks that lead out of it. Reads are size-limited and UTF-8 checked.
 */
export const siblingFiles = (lockfile: string, baseDir: string): SiblingFiles => {
  let realBase: string | undefined;
  const inside = (relativePath: string): string | undefined => {
    if (isAbsolute(relativePath) || /^[A-Za-z]:|^[\\/]/.test(relativePath)) {
      throw new InputError(lockfile, `refers to a path outside its directory: ${relativePath}`);
    }
    const target = resolve(baseDir, relativePath);
    if (escapes(baseDir, target)) {
      throw new InputError(lockfile, `refers to a path outside its directory: ${relativePath}`);
    }
    let realTarget: string;
    try {
      realTarget = realpathSync(target);
    } catch {
      return undefined;
    }
    realBase ??= realpathSync(baseDir);
    if (escapes(realBase, realTarget)) {
      throw new InputError(lockfile, `refers to a path that leads outside its directory: ${relativePath}`);
    }
    return target;
  };
  return {
    readSibling: (relativePath) => {
      const target = inside(relativePath);
      if (target === undefined || !statSync(target).isFile()) return undefined;
      return readInputFile(target);
    },
    listDir: (relativePath) => {
      const target = inside(relativePath === '' ? '.' : relativePath);
      if (target === undefined || !statSync(target).isDirectory()) return undefined;
      let entries: import('node:fs').Dirent[];
      try {
        entries = readdirSync(target, { withFileTypes: true });
      } catch {
        return undefined;
      }
      return entries
        .filter((entry) => entry.isDirectory())
        .slice(0, MAX_DIR_ENTRIES)
        .map((entry) => entry.name)
        .sort();
    },
  };
};

const escapes = (base: string, target: string): boolean => {
  const rel = relative(base, target);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
};
