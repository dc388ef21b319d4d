import { describe, expect, it } from 'vitest';
import { parsePackageKey, refToKey, splitNameAt, stripPeerSuffix } from './dep-path.js';

describe('splitNameAt', () => {
  it('splits plain and scoped names at the version @', () => {
    expect(splitNameAt('lodash@4.17.21')).toEqual({ name: 'lodash', rest: '4.17.21' });
    expect(splitNameAt('@types/node@22.19.19')).toEqual({ name: '@types/node', rest: '22.19.19' });
    expect(splitNameAt('@types/node')).toBeUndefined();
    expect(splitNameAt('@x')).toBeUndefined();
  });
});

describe('parsePackageKey', () => {
  it('v5: /name/version with `_` peer suffixes, scoped names', () => {
    expect(parsePackageKey('/left-pad/1.3.0', 5)).toEqual({
      base: '/left-pad/1.3.0',
      name: 'left-pad',
      ref: '1.3.0',
    });
    expect(parsePackageKey('/@scope/lib/2.1.0_@types+react@18.2.0+react@18.2.0', 5)).toEqual({
      base: '/@scope/lib/2.1.0',
      name: '@scope/lib',
      ref: '2.1.0',
    });
    expect(parsePackageKey('/foo/1.0.0-beta.1_bar@2.0.0', 5).ref).toBe('1.0.0-beta.1');
    expect(parsePackageKey('github.com/acme/repo/0123abc', 5)).toEqual({
      base: 'github.com/acme/repo/0123abc',
    });
    expect(parsePackageKey('/lonely', 5)).toEqual({ base: '/lonely' });
  });

  it('v6: /name@version(peer@x) and hashed `_` suffixes', () => {
    expect(parsePackageKey('/react-dom@18.2.0(react@18.2.0)', 6)).toEqual({
      base: '/react-dom@18.2.0',
      name: 'react-dom',
      ref: '18.2.0',
    });
    expect(parsePackageKey('/@acme/x@1.0.0(@types/react@18.2.15)(react@18.2.0)', 6).base).toBe(
      '/@acme/x@1.0.0',
    );
    expect(parsePackageKey('/foo@1.0.0_abcdefghijklmnop', 6).ref).toBe('1.0.0');
    expect(parsePackageKey('file:../local', 6)).toEqual({ base: 'file:../local' });
  });

  it('v9: name@version(peer@x), URLs and file: references', () => {
    expect(parsePackageKey('react-dom@19.2.4(react@19.2.4)', 9)).toEqual({
      base: 'react-dom@19.2.4',
      name: 'react-dom',
      ref: '19.2.4',
    });
    expect(parsePackageKey('@changesets/cli@2.29.8(@types/node@22.19.19)', 9).base).toBe(
      '@changesets/cli@2.29.8',
    );
    expect(parsePackageKey('fake@file:pkgs/fake(svelte@5.55.3)', 9)).toEqual({
      base: 'fake@file:pkgs/fake',
      name: 'fake',
      ref: 'file:pkgs/fake',
    });
    expect(parsePackageKey('x@https://cdn.example.invalid/x-1.0.0.tgz', 9).ref).toBe(
      'https://cdn.example.invalid/x-1.0.0.tgz',
    );
  });
});

describe('refToKey', () => {
  it('v9 (pnpm refToRelative)', () => {
    expect(refToKey('react', '19.2.4', 9)).toBe('react@19.2.4');
    expect(refToKey('react-dom', '19.2.4(react@19.2.4)', 9)).toBe('react-dom@19.2.4(react@19.2.4)');
    expect(refToKey('@types/react', 'types-react@19.0.0', 9)).toBe('types-react@19.0.0');
    expect(refToKey('my-fetch', '@acme/fetch@1.2.0', 9)).toBe('@acme/fetch@1.2.0');
    expect(refToKey('x', 'file:pkgs/x', 9)).toBe('x@file:pkgs/x');
    expect(refToKey('x', 'git+ssh://git@git.example.invalid/a/x.git#abc', 9)).toBe(
      'x@git+ssh://git@git.example.invalid/a/x.git#abc',
    );
    expect(refToKey('x', 'link:../x', 9)).toBeUndefined();
  });

  it('v6 and v5', () => {
    expect(refToKey('react-dom', '18.2.0(react@18.2.0)', 6)).toBe('/react-dom@18.2.0(react@18.2.0)');
    expect(refToKey('a', '1.0.0(@scope/peer@2.0.0)', 6)).toBe('/a@1.0.0(@scope/peer@2.0.0)');
    expect(refToKey('alias', '/real@1.0.0', 6)).toBe('/real@1.0.0');
    expect(refToKey('x', 'file:../x', 6)).toBe('file:../x');
    expect(refToKey('lib', '2.1.0_react@18.2.0', 5)).toBe('/lib/2.1.0_react@18.2.0');
    expect(refToKey('alias', '/express/4.18.2', 5)).toBe('/express/4.18.2');
    expect(refToKey('repo', 'github.com/acme/repo/0123abc', 5)).toBe('github.com/acme/repo/0123abc');
    expect(refToKey('x', 'link:packages/x', 5)).toBeUndefined();
  });
});

describe('stripPeerSuffix', () => {
  it('cuts at the first parenthesis', () => {
    expect(stripPeerSuffix('1.0.0(a@1)(b@2)')).toBe('1.0.0');
    expect(stripPeerSuffix('1.0.0')).toBe('1.0.0');
  });
});
