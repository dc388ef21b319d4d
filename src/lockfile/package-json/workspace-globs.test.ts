import { describe, expect, it } from 'vitest';
import { expandWorkspaceGlobs, globToRegExp, matchesWorkspaceGlobs } from './workspace-globs.js';

const tree = new Map<string, string[]>([
  ['', ['apps', 'node_modules', 'packages']],
  ['apps', ['web']],
  ['apps/web', ['src']],
  ['apps/web/src', []],
  ['packages', ['a', 'b', 'legacy']],
  ['packages/a', []],
  ['packages/b', []],
  ['packages/legacy', []],
  ['node_modules', ['x']],
]);
const manifests = new Set(['apps/web', 'packages/a', 'packages/b', 'packages/legacy', 'node_modules/x']);
const expand = (patterns: string[]) =>
  expandWorkspaceGlobs(
    patterns,
    (dir) => tree.get(dir),
    (dir) => manifests.has(dir),
  );

describe('workspace globs', () => {
  it('expands *, ** and literal patterns to directories with a manifest', () => {
    expect(expand(['packages/*'])).toEqual(['packages/a', 'packages/b', 'packages/legacy']);
    expect(expand(['./apps/**/', 'packages/a'])).toEqual(['apps/web', 'packages/a']);
    expect(expand(['**'])).toEqual(['apps/web', 'packages/a', 'packages/b', 'packages/legacy']);
  });

  it('applies negations and ignores patterns that leave the project', () => {
    expect(expand(['packages/*', '!packages/legacy'])).toEqual(['packages/a', 'packages/b']);
    expect(expand(['../elsewhere/*', '/abs/*', 'packages/../apps/web'])).toEqual([]);
  });

  it('matches member paths as npm and pnpm do', () => {
    expect(matchesWorkspaceGlobs('packages/a', ['packages/*'])).toBe(true);
    expect(matchesWorkspaceGlobs('packages/a/b', ['packages/*'])).toBe(false);
    expect(matchesWorkspaceGlobs('packages/a/b', ['packages/**'])).toBe(true);
    expect(matchesWorkspaceGlobs('tools/x', ['**/x'])).toBe(true);
    expect(matchesWorkspaceGlobs('packages/legacy', ['packages/*', '!packages/legacy'])).toBe(false);
    expect(globToRegExp('a.b/c?').test('a.b/cd')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});
