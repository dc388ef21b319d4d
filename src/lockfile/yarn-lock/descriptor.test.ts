import { describe, expect, it } from 'vitest';
import {
  aliasTarget,
  bindingValue,
  normalizeBerryRange,
  parseDescriptor,
  patchTarget,
  protocolOf,
  splitDescriptors,
  stripBindings,
} from './descriptor.js';

describe('descriptors', () => {
  it('splits names from ranges, scoped or not', () => {
    expect(parseDescriptor('foo@^1.0.0')).toEqual({ name: 'foo', range: '^1.0.0' });
    expect(parseDescriptor('@scope/x@npm:^1')).toEqual({ name: '@scope/x', range: 'npm:^1' });
    expect(parseDescriptor('alias@npm:@scope/real@^1')).toEqual({
      name: 'alias',
      range: 'npm:@scope/real@^1',
    });
    expect(parseDescriptor('foo@')).toEqual({ name: 'foo', range: '' });
    for (const bad of ['foo', '@scope', '@scope/', '@foo@1', '@/x@1', '@1'])
      expect(parseDescriptor(bad), bad).toBeUndefined();
  });

  it('splits comma-joined keys', () => {
    expect(splitDescriptors('foo@npm:^1.0.0, foo@npm:^1.2.0')).toEqual(['foo@npm:^1.0.0', 'foo@npm:^1.2.0']);
    expect(splitDescriptors('foo@^1')).toEqual(['foo@^1']);
  });

  it('gives bare ranges and tags the npm: protocol, as Berry does', () => {
    expect(normalizeBerryRange('^1.0.0')).toBe('npm:^1.0.0');
    expect(normalizeBerryRange('>= 1 < 3')).toBe('npm:>= 1 < 3');
    expect(normalizeBerryRange('latest')).toBe('npm:latest');
    expect(normalizeBerryRange('npm:^1.0.0')).toBe('npm:^1.0.0');
    expect(normalizeBerryRange('workspace:*')).toBe('workspace:*');
    expect(normalizeBerryRange('https://x.invalid/a.tgz')).toBe('https://x.invalid/a.tgz');
    expect(normalizeBerryRange('user/repo')).toBe('user/repo');
  });

  it('reads protocols, aliases, patches and bindings', () => {
    expect(protocolOf('git+https://x.invalid/a.git')).toBe('git+https');
    expect(protocolOf('^1.0.0')).toBeUndefined();
    expect(aliasTarget('npm:string-width@^4.2.0')).toEqual({ name: 'string-width', range: '^4.2.0' });
    expect(aliasTarget('npm:^4.2.0')).toBeUndefined();
    expect(
      patchTarget(
        'patch:typescript@npm%3A5.9.3#optional!builtin<compat/typescript>::version=5.9.3&hash=5786d5',
      ),
    ).toEqual({ name: 'typescript', range: 'npm:5.9.3' });
    expect(patchTarget('patch:bad%E0%A4%A@npm%3A1#x')).toBeUndefined();
    expect(patchTarget('npm:1.0.0')).toBeUndefined();
    expect(stripBindings('f@file:./f::locator=app%40workspace%3A.')).toBe('f@file:./f');
    expect(
      bindingValue('foo@npm:1.0.0::__archiveUrl=https%3A%2F%2Fx.invalid%2Ffoo.tgz', '__archiveUrl'),
    ).toBe('https://x.invalid/foo.tgz');
    expect(bindingValue('foo@npm:1.0.0', '__archiveUrl')).toBeUndefined();
  });
});
