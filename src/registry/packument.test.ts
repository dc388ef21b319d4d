import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { parsePackument, resolveRange, sortedVersions } from './packument.js';
import { makePackument } from './testdata/fake-registry.js';

describe('parsePackument', () => {
  const doc = makePackument('demo', {
    '1.0.0': {},
    '1.2.0': { dependencies: { dep: '^2.0.0' } },
    '1.10.0': { deprecated: 'use 2' },
    '2.0.0-beta.1': {},
  });

  it('reads versions, dependencies, dist and time into maps', () => {
    const packument = parsePackument(JSON.stringify(doc), 'demo.json', 'demo');
    expect(sortedVersions(packument).map((v) => v.version)).toEqual([
      '1.0.0',
      '1.2.0',
      '1.10.0',
      '2.0.0-beta.1',
    ]);
    expect(packument.versions.get('1.2.0')?.dependencies.get('dep')).toBe('^2.0.0');
    expect(packument.versions.get('1.10.0')?.deprecated).toBe('use 2');
    expect(packument.versions.get('1.0.0')?.integrity).toMatch(/^sha512-/);
    expect(packument.time.size).toBe(4);
  });

  it('refuses a document for another package', () => {
    expect(() => parsePackument(JSON.stringify(doc), 'x.json', 'other')).toThrow(
      /document of "demo", expected "other"/,
    );
  });

  it('rejects __proto__ keys and broken JSON as InputError with a position', () => {
    const hostile = '{"name":"demo","versions":{"__proto__":{"polluted":true}}}';
    expect(() => parsePackument(hostile, 'h.json')).toThrow(InputError);
    expect(() => parsePackument('{"name": "demo", "versions": {', 'b.json')).toThrow(
      /b\.json:1:\d+: invalid JSON/,
    );
    expect(() => parsePackument('[]', 'a.json')).toThrow(/\$ must be an object/);
  });

  it('drops malformed versions instead of failing the whole document', () => {
    const odd = {
      name: 'odd',
      versions: { 'not-semver': {}, '1.0.0': { dependencies: { a: 1, b: '^1' } }, '2.0.0': 'string' },
    };
    const packument = parsePackument(JSON.stringify(odd), 'odd.json');
    expect([...packument.versions.keys()]).toEqual(['1.0.0']);
    expect([...packument.versions.get('1.0.0')!.dependencies]).toEqual([['b', '^1']]);
  });
});

describe('resolveRange', () => {
  it('picks the newest match, preferring the latest tag when it satisfies', () => {
    const packument = parsePackument(
      JSON.stringify(makePackument('p', { '1.0.0': {}, '1.1.0': {}, '1.2.0': {}, '2.0.0': {} }, '1.1.0')),
      'p',
    );
    expect(resolveRange(packument, '^1.0.0')?.version).toBe('1.1.0');
    expect(resolveRange(packument, '~1.2.0')?.version).toBe('1.2.0');
    expect(resolveRange(packument, '^2')?.version).toBe('2.0.0');
    expect(resolveRange(packument, '^3')).toBeUndefined();
  });
});
