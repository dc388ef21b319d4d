import { describe, expect, it } from 'vitest';
import { readDeclaredSpec, specAdmits } from './declared-spec.js';

describe('readDeclaredSpec', () => {
  it.each([
    ['^1.2.0', { kind: 'range', range: '^1.2.0' }],
    ['', { kind: 'range', range: '*' }],
    ['1.x || >=2.5.0', { kind: 'range', range: '1.x || >=2.5.0' }],
    ['npm:^1.2.0', { kind: 'range', range: '^1.2.0' }],
    ['npm:real-name@~1.2.0', { kind: 'range', range: '~1.2.0' }],
    ['npm:@scope/real@2', { kind: 'range', range: '2' }],
    ['npm:real-name', { kind: 'range', range: '*' }],
    ['latest', { kind: 'tag', tag: 'latest' }],
    ['next', { kind: 'tag', tag: 'next' }],
  ])('%s', (spec, expected) => {
    expect(readDeclaredSpec(spec)).toEqual(expected);
  });

  it.each([
    'github:user/repo',
    'user/repo#v1',
    'git+https://example.invalid/r.git',
    'https://example.invalid/p.tgz',
    'file:../local',
    'link:../local',
    'workspace:*',
    'patch:lodash@npm%3A4.17.20#./p.patch',
  ])('%s is pinned', (spec) => {
    expect(readDeclaredSpec(spec).kind).toBe('pinned');
  });
});

describe('specAdmits', () => {
  it('uses npm semver semantics: a stable range excludes prereleases', () => {
    expect(specAdmits(readDeclaredSpec('^1.2.0'), '1.9.0')).toBe(true);
    expect(specAdmits(readDeclaredSpec('~1.2.0'), '1.3.0')).toBe(false);
    expect(specAdmits(readDeclaredSpec('^1.2.0'), '1.3.0-rc.1')).toBe(false);
  });
  it('resolves tags through registry data when given, assuming only `latest` moves forward otherwise', () => {
    expect(specAdmits(readDeclaredSpec('latest'), '2.0.0')).toBe(true);
    expect(specAdmits(readDeclaredSpec('next'), '2.0.0')).toBe(false);
    expect(specAdmits(readDeclaredSpec('next'), '2.0.0', () => '2.1.0')).toBe(true);
    expect(specAdmits(readDeclaredSpec('latest'), '2.0.0', () => '1.9.0')).toBe(false);
    expect(specAdmits(readDeclaredSpec('file:../x'), '2.0.0')).toBe(false);
  });
});
