import { describe, expect, it } from 'vitest';
import { ABBREVIATED_VERSION_FIELDS, abbreviateDocument, hasInstallScript } from './abbreviate.js';
import { leftPadFull, scopedFull } from './testdata/documents.js';

describe('abbreviateDocument', () => {
  it('keeps only name, modified, dist-tags and versions, in registry order', () => {
    const doc = abbreviateDocument(leftPadFull());
    expect(Object.keys(doc)).toEqual(['name', 'modified', 'dist-tags', 'versions']);
    expect(doc.name).toBe('left-pad');
    expect(doc.modified).toBe('2026-11-27T00:00:00.000Z');
    expect(doc['dist-tags']).toEqual({ latest: '1.3.0', next: '2.0.0-beta.1' });
    expect(Object.keys(doc.versions)).toEqual(['1.0.0', '1.2.0', '1.3.0', '2.0.0-beta.1']);
  });

  it('keeps the install-relevant version fields and drops the rest', () => {
    const full = leftPadFull();
    const doc = abbreviateDocument(full);
    expect(doc.versions['1.0.0']).toEqual({
      name: 'left-pad',
      version: '1.0.0',
      deprecated: 'use String.prototype.padStart()',
      directories: {},
      dist: full.versions['1.0.0']!.dist,
    });
    const v120 = doc.versions['1.2.0']!;
    expect(v120).toMatchObject({
      dependencies: { 'is-number': '^7.0.0' },
      devDependencies: { tape: '^4.0.0' },
      engines: { node: '>=4' },
      funding: { url: 'https://funding.example.invalid/left-pad' },
      hasInstallScript: true,
    });
    expect(v120).not.toHaveProperty('scripts');
    expect(v120).not.toHaveProperty('readme');
    expect(v120).not.toHaveProperty('main');
    expect(v120.dist).toEqual(full.versions['1.2.0']!.dist);
    expect(doc.versions['1.3.0']).toMatchObject({
      os: ['linux', 'darwin'],
      cpu: ['x64', 'arm64'],
      libc: ['glibc'],
      bin: { 'left-pad': 'bin/cli.js' },
      _hasShrinkwrap: false,
      hasInstallScript: true,
    });
    expect(doc.versions['1.3.0']).not.toHaveProperty('gypfile');
    expect(doc.versions['2.0.0-beta.1']).not.toHaveProperty('hasInstallScript');
  });

  it('keeps peer metadata, bundled and accepted dependencies, signatures and attestations', () => {
    const full = scopedFull();
    const doc = abbreviateDocument(full);
    expect(doc.versions['2.0.0']).toEqual({
      name: '@acme/widget',
      version: '2.0.0',
      optionalDependencies: { fsevents: '^2.3.0' },
      bundleDependencies: ['tiny-dep'],
      peerDependencies: { react: '>=18' },
      peerDependenciesMeta: { react: { optional: true } },
      acceptDependencies: { react: '>=17' },
      dist: full.versions['2.0.0']!.dist,
    });
    expect(doc.versions['2.1.0']!.dist).toEqual(full.versions['2.1.0']!.dist);
    expect(doc.versions['2.1.0']).toMatchObject({ hasInstallScript: true });
    expect(doc.versions['2.1.0']).not.toHaveProperty('_npmUser');
  });

  it('adds time only when asked, never mutates, and is idempotent', () => {
    const full = leftPadFull();
    const before = structuredClone(full);
    const doc = abbreviateDocument(full, { includeTime: true });
    expect(doc.time).toEqual(full.time);
    expect(full).toEqual(before);
    expect(abbreviateDocument(abbreviateDocument(full))).toEqual(abbreviateDocument(full));
  });

  it('omits modified when the upstream gave none', () => {
    const full = leftPadFull();
    delete full.time;
    expect(abbreviateDocument(full)).not.toHaveProperty('modified');
  });

  it('covers the fields npm documents for the abbreviated form', () => {
    for (const field of [
      'name',
      'version',
      'dependencies',
      'optionalDependencies',
      'devDependencies',
      'bundleDependencies',
      'peerDependencies',
      'bin',
      'directories',
      'dist',
      'engines',
      '_hasShrinkwrap',
    ]) {
      expect(ABBREVIATED_VERSION_FIELDS).toContain(field);
    }
  });
});

describe('hasInstallScript', () => {
  it('derives from scripts and gypfile, trusting only a positive upstream flag', () => {
    expect(hasInstallScript({ scripts: { install: 'node-gyp rebuild' } })).toBe(true);
    expect(hasInstallScript({ scripts: { preinstall: 'x' } })).toBe(true);
    expect(hasInstallScript({ scripts: { postinstall: '   ' } })).toBe(false);
    expect(hasInstallScript({ scripts: { prepare: 'tsc', test: 'x' } })).toBe(false);
    expect(hasInstallScript({ gypfile: true })).toBe(true);
    expect(hasInstallScript({ hasInstallScript: true })).toBe(true);
    expect(hasInstallScript({ hasInstallScript: false, scripts: { postinstall: 'x' } })).toBe(true);
    expect(hasInstallScript({ scripts: 'not an object' })).toBe(false);
  });
});
