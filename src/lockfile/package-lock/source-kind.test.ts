import { describe, expect, it } from 'vitest';
import {
  looksLikeRegistryTarball,
  npmrcRegistryHosts,
  PUBLIC_REGISTRY_HOSTS,
  sourceOfSpec,
} from './source-kind.js';
import { workspaceMatcher } from './workspace-patterns.js';

describe('sourceOfSpec', () => {
  it.each([
    ['https://registry.npmjs.org/a/-/a-1.0.0.tgz', 'registry'],
    ['https://REGISTRY.YARNPKG.COM/a/-/a-1.0.0.tgz', 'registry'],
    ['https://evil.example.invalid/a/-/a-1.0.0.tgz', 'tarball'],
    ['http://192.0.2.1/pkg.tgz', 'tarball'],
    ['git+ssh://git@github.com/o/r.git#abc', 'git'],
    ['git+https://github.com/o/r.git#abc', 'git'],
    ['github:o/r#v1', 'git'],
    ['o/r#v1', 'git'],
    ['file:vendor/a-1.0.0.tgz', 'tarball'],
    ['file:../lib', 'directory'],
    ['../lib', 'directory'],
  ])('%s → %s', (spec, kind) => {
    expect(sourceOfSpec(spec, PUBLIC_REGISTRY_HOSTS)).toBe(kind);
  });

  it('reads registry hosts from .npmrc lines only', () => {
    const npmrc =
      'registry=https://a.example.invalid/\n@s:registry = "https://b.example.invalid/npm/"\n//c.example.invalid/:_authToken=x\n# registry=https://d.example.invalid/';
    expect(npmrcRegistryHosts(npmrc)).toEqual(['a.example.invalid', 'b.example.invalid']);
    expect(npmrcRegistryHosts(undefined)).toEqual([]);
  });

  it('recognises registry-shaped tarball URLs', () => {
    expect(looksLikeRegistryTarball('https://m.example.invalid/@s/p/-/p-1.0.0.tgz', '@s/p')).toBe(true);
    expect(looksLikeRegistryTarball('https://m.example.invalid/dl/p.tgz', 'p')).toBe(false);
  });
});

describe('workspaceMatcher', () => {
  it('matches npm workspace globs', () => {
    const matches = workspaceMatcher(['packages/*', './docs', 'tools/**', '!packages/skip']);
    expect(['packages/a', 'docs', 'tools/x/y', 'tools'].map(matches)).toEqual([true, true, true, true]);
    expect(['packages/a/b', 'packages/skip', 'doc', 'other', '../packages/a'].map(matches)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(workspaceMatcher([])('packages/a')).toBe(false);
  });
});
