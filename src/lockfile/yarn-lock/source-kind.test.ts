import { describe, expect, it } from 'vitest';
import { berrySourceKind, classicSourceKind } from './source-kind.js';

describe('Berry source kinds', () => {
  it.each([
    ['npm:1.0.0', 'registry'],
    ['npm:1.0.0::__archiveUrl=https%3A%2F%2Fx.invalid%2Ffoo.tgz', 'registry'],
    ['patch:foo@npm%3A1.0.0#~/.yarn/patches/foo.patch::version=1.0.0&hash=abc', 'registry'],
    ['patch:foo@https%3A%2F%2Fx.invalid%2Ffoo.tgz#./p.patch::version=1.0.0&hash=abc', 'tarball'],
    ['workspace:packages/a', 'workspace'],
    ['portal:../p::locator=app%40workspace%3A.', 'link'],
    ['link:./l::locator=app%40workspace%3A.', 'link'],
    ['file:./vendor/f#./vendor/f::hash=1&locator=app%40workspace%3A.', 'directory'],
    ['file:./vendor/f-1.0.0.tgz::locator=app%40workspace%3A.', 'tarball'],
    ['https://github.com/example/g.git#commit=0123456789abcdef0123456789abcdef01234567', 'git'],
    ['git+ssh://git@github.com/example/g.git#commit=0123', 'git'],
    ['github:example/g#commit=0123', 'git'],
    ['https://files.example.invalid/t-1.0.0.tgz', 'tarball'],
  ])('%s → %s', (range, kind) => {
    expect(berrySourceKind(range)).toBe(kind);
  });
});

describe('classic source kinds', () => {
  it.each([
    ['^1.0.0', 'https://registry.yarnpkg.com/foo/-/foo-1.0.0.tgz#abc', 'registry'],
    ['^1.0.0', 'https://registry.npmjs.org/@s/foo/-/foo-1.0.0.tgz', 'registry'],
    ['npm:real@^1.0.0', 'https://registry.yarnpkg.com/real/-/real-1.0.0.tgz', 'registry'],
    ['^1.0.0', 'https://cdn.example.invalid/foo.tgz', 'tarball'],
    ['^1.0.0', undefined, 'registry'],
    ['example/repo#v1', 'https://codeload.github.com/example/repo/tar.gz/0123', 'git'],
    ['git+https://x.invalid/r.git', 'git+https://x.invalid/r.git#0123', 'git'],
    ['git://x.invalid/r.git', undefined, 'git'],
    ['example/repo', undefined, 'git'],
    ['file:./dir', undefined, 'directory'],
    ['file:./a.tgz', 'file:./a.tgz#0123', 'tarball'],
    ['link:./l', undefined, 'link'],
    ['https://x.invalid/a.tgz', undefined, 'tarball'],
  ])('%s resolved %s → %s', (range, resolved, kind) => {
    expect(classicSourceKind(range, resolved)).toBe(kind);
  });
});
