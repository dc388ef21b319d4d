import { describe, expect, it } from 'vitest';
import {
  isValidPackageName,
  parseUpstreamDocument,
  UpstreamDocumentError,
  unscopedName,
} from './document.js';
import { leftPadFull, scopedFull } from './testdata/documents.js';

const bytes = (value: unknown): Uint8Array =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

const problemOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    if (error instanceof UpstreamDocumentError) return error.problem;
    throw error;
  }
  return undefined;
};

describe('parseUpstreamDocument', () => {
  it('reads full and scoped documents unchanged', () => {
    expect(parseUpstreamDocument(bytes(leftPadFull()), 'left-pad')).toEqual(leftPadFull());
    expect(
      parseUpstreamDocument(bytes(scopedFull()), '@acme/widget', { expectedName: '@acme/widget' }),
    ).toEqual(scopedFull());
  });

  it('refuses oversized documents and too many versions', () => {
    const body = bytes(leftPadFull());
    expect(problemOf(() => parseUpstreamDocument(body, 'x', { limits: { maxBytes: 100 } }))).toBe(
      'too-large',
    );
    expect(problemOf(() => parseUpstreamDocument(body, 'x', { limits: { maxVersions: 3 } }))).toBe(
      'too-large',
    );
  });

  it('refuses malformed JSON, bad UTF-8, deep nesting and __proto__ keys with a clear message', () => {
    expect(() => parseUpstreamDocument(bytes('{"name": "x", '), 'up/x')).toThrow(/^up\/x: invalid JSON/);
    expect(problemOf(() => parseUpstreamDocument(bytes(''), 'x'))).toBe('malformed');
    expect(problemOf(() => parseUpstreamDocument(new Uint8Array([0x7b, 0xff, 0x7d]), 'x'))).toBe('malformed');
    expect(problemOf(() => parseUpstreamDocument(bytes(`${'['.repeat(5000)}${']'.repeat(5000)}`), 'x'))).toBe(
      'malformed',
    );
    const deep = `{"name":"x","versions":{"1.0.0":{"a":${'['.repeat(20)}${']'.repeat(20)}}}}`;
    expect(problemOf(() => parseUpstreamDocument(bytes(deep), 'x', { limits: { maxDepth: 10 } }))).toBe(
      'malformed',
    );
    expect(problemOf(() => parseUpstreamDocument(bytes(deep), 'x'))).toBeUndefined();
    expect(
      problemOf(() => parseUpstreamDocument(bytes('{"name":"x","__proto__":{"polluted":1}}'), 'x')),
    ).toBe('malformed');
  });

  it('refuses documents that are not packuments or are for another package', () => {
    expect(problemOf(() => parseUpstreamDocument(bytes([]), 'x'))).toBe('not-a-packument');
    expect(problemOf(() => parseUpstreamDocument(bytes({ error: 'not found' }), 'x'))).toBe(
      'not-a-packument',
    );
    expect(problemOf(() => parseUpstreamDocument(bytes({ name: 'x', versions: [] }), 'x'))).toBe(
      'not-a-packument',
    );
    expect(problemOf(() => parseUpstreamDocument(bytes({ name: 'x', 'dist-tags': 'latest' }), 'x'))).toBe(
      'not-a-packument',
    );
    expect(problemOf(() => parseUpstreamDocument(bytes({ name: 'x', time: 1 }), 'x'))).toBe(
      'not-a-packument',
    );
    expect(
      problemOf(() => parseUpstreamDocument(bytes({ name: 'evil' }), 'x', { expectedName: 'left-pad' })),
    ).toBe('wrong-name');
  });

  it('drops entries clients cannot use', () => {
    const doc = parseUpstreamDocument(
      bytes({
        name: 'x',
        'dist-tags': { latest: '1.0.0', bad: 7 },
        versions: {
          '1.0.0': { name: 'x', version: '1.0.0' },
          '0.0.1': 'corrupt',
          '0.0.2': null,
          'v0.0.3': { name: 'x', version: 'v0.0.3' },
          '../../etc': { name: 'x' },
        },
        time: { '1.0.0': '2020-01-01T00:00:00.000Z', weird: {} },
      }),
      'x',
    );
    expect(doc['dist-tags']).toEqual({ latest: '1.0.0' });
    expect(Object.keys(doc.versions)).toEqual(['1.0.0']);
    expect(doc.time).toEqual({ '1.0.0': '2020-01-01T00:00:00.000Z' });
    expect(parseUpstreamDocument(bytes({ name: 'x' }), 'x')).toEqual({
      name: 'x',
      'dist-tags': {},
      versions: {},
    });
  });
});

describe('package names', () => {
  it('accepts names valid when published and refuses path-like ones', () => {
    for (const name of ['left-pad', 'JSONStream', '@acme/widget', '@acme/_internal', 'lodash.merge', 'a~b']) {
      expect(isValidPackageName(name), name).toBe(true);
    }
    for (const name of [
      '',
      '.',
      '..',
      '.bin',
      '_x',
      '@acme',
      '@acme/',
      '@/x',
      '@a/b/c',
      'a/b',
      'a b',
      'a%2fb',
      'ä',
    ]) {
      expect(isValidPackageName(name), name).toBe(false);
    }
    expect(unscopedName('@acme/widget')).toBe('widget');
    expect(unscopedName('left-pad')).toBe('left-pad');
  });
});
