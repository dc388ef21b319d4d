/**
 * Workspace globs as npm, yarn and pnpm write them (`packages/*`, `apps/**`, `!packages/legacy`).
 * Supports `*`, `?` and `**`; brace sets (`{a,b}`) are not supported.
 */

/** Deepest directory level `**` descends to; real monorepos stay far above it. */
const MAX_GLOBSTAR_DEPTH = 8;
/** Most workspace members accepted from one set of globs. */
export const MAX_WORKSPACE_MEMBERS = 10_000;

const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export const normalizeWorkspacePattern = (pattern: string): string =>
  pattern
    .trim()
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');

/** A pattern that stays inside the project: relative, no `..` segment. */
export const isInsidePattern = (pattern: string): boolean =>
  pattern !== '' &&
  !pattern.startsWith('/') &&
  !/^[A-Za-z]:/.test(pattern) &&
  !pattern.split('/').includes('..');

export const globToRegExp = (pattern: string): RegExp => {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      if (pattern[i + 2] === '/') {
        source += '(?:[^/]+/)*';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
};

/** Whether a project-relative directory (posix separators) is selected by the globs. */
export const matchesWorkspaceGlobs = (relativeDir: string, patterns: readonly string[]): boolean => {
  let selected = false;
  for (const raw of patterns) {
    const negated = raw.trim().startsWith('!');
    const pattern = normalizeWorkspacePattern(negated ? raw.trim().slice(1) : raw);
    if (!isInsidePattern(pattern)) continue;
    if (globToRegExp(pattern).test(relativeDir)) selected = !negated;
  }
  return selected;
};

/**
 * Expands workspace globs to member directories (project-relative, sorted) that hold a
 * package.json. `listDir` gives subdirectory names; `hasManifest` says whether a directory is a package.
 */
export const expandWorkspaceGlobs = (
  patterns: readonly string[],
  listDir: (relativeDir: string) => string[] | undefined,
  hasManifest: (relativeDir: string) => boolean,
): string[] => {
  const found = new Set<string>();
  for (const raw of patterns) {
    if (raw.trim().startsWith('!')) continue;
    const pattern = normalizeWorkspacePattern(raw);
    if (!isInsidePattern(pattern)) continue;
    for (const dir of expandOne(pattern.split('/'), listDir)) {
      if (found.size >= MAX_WORKSPACE_MEMBERS) break;
      found.add(dir);
    }
  }
  return [...found].filter((dir) => matchesWorkspaceGlobs(dir, patterns) && hasManifest(dir)).sort();
};

const expandOne = (segments: string[], listDir: (relativeDir: string) => string[] | undefined): string[] => {
  let current = [''];
  for (const segment of segments) {
    const next: string[] = [];
    for (const base of current) {
      if (segment === '**') next.push(base, ...descendants(base, listDir, MAX_GLOBSTAR_DEPTH));
      else if (/[*?]/.test(segment)) {
        const re = globToRegExp(segment);
        for (const name of listDir(base) ?? []) {
          if (!SKIPPED_DIRS.has(name) && re.test(name)) next.push(join(base, name));
        }
      } else next.push(join(base, segment));
      if (next.length > MAX_WORKSPACE_MEMBERS) break;
    }
    current = next;
  }
  return current.filter((dir) => dir !== '');
};

const descendants = (
  base: string,
  listDir: (relativeDir: string) => string[] | undefined,
  depth: number,
): string[] => {
  if (depth === 0) return [];
  const out: string[] = [];
  for (const name of listDir(base) ?? []) {
    if (SKIPPED_DIRS.has(name) || name.startsWith('.')) continue;
    const dir = join(base, name);
    out.push(dir, ...descendants(dir, listDir, depth - 1));
    if (out.length > MAX_WORKSPACE_MEMBERS) break;
  }
  return out;
};

const join = (base: string, name: string): string => (base === '' ? name : `${base}/${name}`);
