import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packument } from './rule-test-kit.js';
import { packageFactsFromFiles, packageFactsFromSample, SAMPLE_PACKUMENT } from './sample-facts.js';

const filesOf = (entries: Record<string, string>) =>
  new Map(Object.entries(entries).map(([path, text]) => [path, { bytes: new TextEncoder().encode(text) }]));

const registryDoc = packument('left-pad-fixture', {
  '1.0.0': { repository: 'github:someone/left-pad-fixture', scripts: { test: 'vitest' } },
});
const tarballManifest = {
  name: 'left-pad-fixture',
  version: '1.0.0',
  repository: 'github:someone/left-pad-fixture',
  scripts: { postinstall: 'node setup.js' },
};

describe('packageFactsFromFiles metadata', () => {
  it('compares the packument with the tarball package.json (manifest confusion)', () => {
    const facts = packageFactsFromFiles(
      filesOf({ 'package.json': JSON.stringify(tarballManifest), 'setup.js': '' }),
      {},
      { packument: registryDoc },
    );
    expect(facts.metadata).toContainEqual({
      kind: 'manifest-confusion',
      mismatches: [{ field: 'scripts', key: 'postinstall', registry: undefined, tarball: 'node setup.js' }],
    });
  });

  it('compares with the registry version the caller resolved, whatever version the tarball claims', () => {
    const files = filesOf({
      'package.json': JSON.stringify({ ...tarballManifest, version: '9.9.9' }),
      'setup.js': '',
    });
    const facts = packageFactsFromFiles(
      files,
      { name: 'left-pad-fixture', version: '1.0.0' },
      { packument: registryDoc },
    );
    const confusion = facts.metadata?.find((signal) => signal.kind === 'manifest-confusion');
    expect(confusion).toMatchObject({
      mismatches: expect.arrayContaining([
        { field: 'version', registry: '1.0.0', tarball: '9.9.9' },
        { field: 'scripts', key: 'postinstall', registry: undefined, tarball: 'node setup.js' },
      ]),
    });
  });

  it('computes the tarball-only signals without a packument', () => {
    const facts = packageFactsFromFiles(
      filesOf({ 'package.json': JSON.stringify({ name: 'lodahs', version: '1.0.0' }) }),
    );
    expect(facts.metadata?.map((signal) => signal.kind).sort()).toEqual(['missing-repository', 'typosquat']);
  });

  it('has no metadata for loose files without a package.json or packument', () => {
    expect(packageFactsFromFiles(filesOf({ 'index.js': 'module.exports = 1;' })).metadata).toBeUndefined();
  });

  it('reads registry-only signals from the packument when the tarball has no package.json', () => {
    const doc = packument('holder', { '0.0.1-security': {} });
    const facts = packageFactsFromFiles(
      filesOf({ 'index.js': '' }),
      { name: 'holder', version: '0.0.1-security' },
      { packument: doc },
    );
    expect(facts.metadata).toContainEqual({ kind: 'security-holding', version: '0.0.1-security' });
  });
});

describe('packageFactsFromSample', () => {
  it(`reads ${SAMPLE_PACKUMENT} as the registry document, not as a package file`, () => {
    const root = mkdtempSync(join(tmpdir(), 'bulwark-sample-'));
    const sample = join(root, 'confused');
    mkdirSync(sample);
    writeFileSync(join(sample, 'package.json'), JSON.stringify(tarballManifest));
    writeFileSync(join(sample, 'setup.js'), "console.log('FIXTURE');\n");
    writeFileSync(join(sample, SAMPLE_PACKUMENT), JSON.stringify(registryDoc));
    const facts = packageFactsFromSample(sample);
    expect(facts.files.map((file) => file.file).sort()).toEqual(['package.json', 'setup.js']);
    expect(facts.metadata?.some((signal) => signal.kind === 'manifest-confusion')).toBe(true);
  });

  it('gives a folder sample without a packument only tarball signals', () => {
    const root = mkdtempSync(join(tmpdir(), 'bulwark-sample-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify(tarballManifest));
    writeFileSync(join(root, 'setup.js'), '');
    const kinds = packageFactsFromSample(root).metadata?.map((signal) => signal.kind);
    expect(kinds).toEqual([]);
  });
});
