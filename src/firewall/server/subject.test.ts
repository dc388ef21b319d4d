import { describe, expect, it } from 'vitest';
import type { RegistryDocument } from '../registry/document.js';
import { integrityOf, metadataSubject, packageFacts } from './subject.js';

const doc = (
  name: string,
  versions: Record<string, Record<string, unknown>>,
  time: Record<string, string> = {},
) =>
  ({
    name,
    'dist-tags': {},
    versions: Object.fromEntries(
      Object.entries(versions).map(([v, body]) => [v, { name, version: v, ...body }]),
    ),
    time,
  }) as RegistryDocument;

const subjectOf = (d: RegistryDocument, version: string) =>
  metadataSubject(d, version, packageFacts(d), undefined);

describe('metadataSubject', () => {
  it('reads install scripts, dependencies of every kind, deprecation and publish time', () => {
    const d = doc(
      'thing',
      {
        '1.0.0': {
          scripts: { postinstall: 'node setup.js', test: 'vitest', preinstall: '' },
          dependencies: { a: '^1.0.0', b: 'github:user/b' },
          optionalDependencies: { c: 'file:../c' },
          peerDependencies: { react: '>=18' },
          deprecated: 'use other-thing',
        },
        '1.0.1': { gypfile: true },
        '1.0.2': { deprecated: '' },
      },
      { '1.0.0': '2025-01-01T00:00:00.000Z' },
    );
    expect(subjectOf(d, '1.0.0')).toEqual({
      name: 'thing',
      version: '1.0.0',
      publishedAt: '2025-01-01T00:00:00.000Z',
      installScripts: ['postinstall'],
      dependencies: { a: '^1.0.0', b: 'github:user/b', c: 'file:../c', react: '>=18' },
      deprecated: 'use other-thing',
    });
    // node-gyp runs at install for a gyp package even without a script named.
    expect(subjectOf(d, '1.0.1').installScripts).toEqual(['install']);
    // An empty deprecation message is how npm un-deprecates.
    expect(subjectOf(d, '1.0.2').deprecated).toBeUndefined();
  });

  it('compares publishing evidence with the best of every version published before', () => {
    const trusted = { _npmUser: { name: 'ci', trustedPublisher: { id: 'github' } } };
    const provenance = {
      dist: { attestations: { provenance: { predicateType: 'https://slsa.dev/provenance/v1' } } },
    };
    const d = doc(
      'trusty',
      { '1.0.0': {}, '1.1.0': provenance, '1.2.0': trusted, '1.3.0': {}, '1.2.1': provenance },
      {
        '1.0.0': '2025-01-01T00:00:00Z',
        '1.1.0': '2025-02-01T00:00:00Z',
        '1.2.0': '2025-03-01T00:00:00Z',
        '1.3.0': '2025-04-01T00:00:00Z',
        '1.2.1': '2025-05-01T00:00:00Z',
      },
    );
    expect(subjectOf(d, '1.0.0').trust).toBeUndefined();
    expect(subjectOf(d, '1.1.0').trust).toBeUndefined();
    expect(subjectOf(d, '1.2.0').trust).toEqual({
      current: 'trustedPublisher',
      bestEarlier: 'provenance',
      bestEarlierVersion: '1.1.0',
    });
    expect(subjectOf(d, '1.3.0').trust).toEqual({
      current: 'none',
      bestEarlier: 'trustedPublisher',
      bestEarlierVersion: '1.2.0',
    });
    // Published after 1.3.0 (a backport): still compared with everything before it in time.
    expect(subjectOf(d, '1.2.1').trust).toMatchObject({
      current: 'provenance',
      bestEarlier: 'trustedPublisher',
    });
  });

  it('names the popular package a look-alike imitates, but not a generic word beside a brand', () => {
    expect(subjectOf(doc('expresss', { '1.0.0': {} }), '1.0.0').typosquatOf).toBe('express');
    expect(subjectOf(doc('express', { '1.0.0': {} }), '1.0.0').typosquatOf).toBeUndefined();
    expect(subjectOf(doc('lodash-utils', { '1.0.0': {} }), '1.0.0').typosquatOf).toBeUndefined();
  });
});

describe('integrityOf', () => {
  it('prefers dist.integrity and falls back to the sha1 shasum', () => {
    const sha512 = `sha512-${Buffer.alloc(64, 1).toString('base64')}`;
    expect(integrityOf({ dist: { integrity: sha512, shasum: 'f'.repeat(40) } })).toBe(sha512);
    expect(integrityOf({ dist: { shasum: 'ff'.repeat(20) } })).toBe(
      `sha1-${Buffer.alloc(20, 0xff).toString('base64')}`,
    );
    expect(integrityOf({ dist: { shasum: 'not-hex' } })).toBeUndefined();
    expect(integrityOf({ dist: { integrity: 'md5-abc', shasum: 'ff'.repeat(20) } })).toMatch(/^sha1-/);
    expect(integrityOf({ dist: { integrity: 'sha512-tooshort' } })).toBeUndefined();
    expect(integrityOf({})).toBeUndefined();
  });
});
