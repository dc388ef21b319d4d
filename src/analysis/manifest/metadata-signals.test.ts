import { describe, expect, it } from 'vitest';
import {
  borrowedRepository,
  compareManifests,
  metadataSignals,
  previousVersion,
} from './metadata-signals.js';
import { popularIndex } from './typosquat.js';

type Doc = Record<string, unknown>;

const versionDoc = (name: string, version: string, extra: Doc = {}): Doc => ({
  name,
  version,
  repository: { type: 'git', url: `git+https://github.com/acme/${name}.git` },
  dist: { tarball: `https://registry.npmjs.invalid/${name}/-/${name}-${version}.tgz` },
  ...extra,
});

const packument = (name: string, versions: Doc[], time?: Record<string, string>): Doc => ({
  name,
  'dist-tags': { latest: versions.at(-1)?.version },
  versions: Object.fromEntries(versions.map((v) => [v.version, v])),
  ...(time ? { time } : {}),
});

const kinds = (signals: { kind: string }[]) => signals.map((signal) => signal.kind);

describe('metadataSignals', () => {
  it('reports nothing for an ordinary package whose tarball matches the registry', () => {
    const v = versionDoc('acme-widget', '2.1.0', {
      scripts: { test: 'vitest' },
      dependencies: { semver: '^7.0.0' },
    });
    const doc = packument('acme-widget', [versionDoc('acme-widget', '2.0.0'), v]);
    const { dist: _dist, ...tarballManifest } = v;
    expect(metadataSignals({ packument: doc, version: '2.1.0', tarballManifest })).toEqual([]);
  });

  it('finds manifest confusion: a hidden install script, dependency, name and version', () => {
    // The Darcy Clarke proof of concept: the registry shows no scripts or deps, the tarball has both.
    const registry = versionDoc('darcy-demo', '1.0.0');
    const tarballManifest = {
      name: 'darcy-demo-real',
      version: '2.0.0',
      scripts: { install: 'node ./payload.js' },
      dependencies: { sleepover: '*' },
    };
    const signals = metadataSignals({
      packument: packument('darcy-demo', [registry]),
      version: '1.0.0',
      tarballManifest,
    });
    expect(signals[0]).toEqual({
      kind: 'manifest-confusion',
      mismatches: [
        { field: 'name', registry: 'darcy-demo', tarball: 'darcy-demo-real' },
        { field: 'version', registry: '1.0.0', tarball: '2.0.0' },
        { field: 'scripts', key: 'install', registry: undefined, tarball: 'node ./payload.js' },
        { field: 'dependencies', key: 'sleepover', registry: undefined, tarball: '*' },
      ],
    });
  });

  it('does not mistake npm publish normalisation for confusion', () => {
    const registry = {
      name: 'native-thing',
      version: '1.0.0',
      bin: { 'native-thing': 'bin/cli.js' },
      scripts: { install: 'node-gyp rebuild' },
      gypfile: true,
    };
    const tarball = { name: 'native-thing', version: '1.0.0', bin: './bin/cli.js' };
    const files = new Map([['binding.gyp', { bytes: new Uint8Array() }]]);
    expect(compareManifests(registry, tarball, files)).toEqual([]);
    expect(compareManifests(registry, tarball)).toEqual([
      { field: 'scripts', key: 'install', registry: 'node-gyp rebuild', tarball: undefined },
    ]);
  });

  it('flags a 0.0.1-security holding package and deprecated versions', () => {
    const doc = packument('taken-down', [
      versionDoc('taken-down', '0.0.1-security', { deprecated: 'malware removed' }),
    ]);
    expect(metadataSignals({ packument: doc, version: '0.0.1-security' }).slice(0, 2)).toEqual([
      { kind: 'security-holding', version: '0.0.1-security' },
      { kind: 'deprecated', version: '0.0.1-security', message: 'malware removed' },
    ]);
  });

  it('flags every 0.0.N-security placeholder, not ordinary pre-releases', () => {
    const doc = packument('crossenv', [versionDoc('crossenv', '0.0.2-security')]);
    expect(metadataSignals({ packument: doc, version: '0.0.2-security' })[0]).toEqual({
      kind: 'security-holding',
      version: '0.0.2-security',
    });
    const beta = packument('acme-beta', [versionDoc('acme-beta', '0.0.2-beta.1')]);
    expect(kinds(metadataSignals({ packument: beta, version: '0.0.2-beta.1' }))).not.toContain(
      'security-holding',
    );
  });

  it('flags a first version of 99 or more and a jump of three majors', () => {
    const confusion = packument('acme-internal-sdk', [versionDoc('acme-internal-sdk', '99.10.9')]);
    expect(metadataSignals({ packument: confusion, version: '99.10.9' })).toContainEqual({
      kind: 'version-jump',
      version: '99.10.9',
      majors: 99,
    });
    const jumped = packument(
      'acme-jumper',
      ['1.0.0', '1.1.0', '5.0.0'].map((v) => versionDoc('acme-jumper', v)),
      { '1.0.0': '2024-01-01T00:00:00Z', '1.1.0': '2024-02-01T00:00:00Z', '5.0.0': '2025-01-01T00:00:00Z' },
    );
    expect(metadataSignals({ packument: jumped, version: '5.0.0' })).toContainEqual({
      kind: 'version-jump',
      version: '5.0.0',
      previous: '1.1.0',
      majors: 4,
    });
    expect(kinds(metadataSignals({ packument: jumped, version: '1.1.0' }))).not.toContain('version-jump');
  });

  it('does not count a backport published after a newer major as a jump', () => {
    const doc = packument(
      'acme-lts',
      ['1.0.0', '4.0.0', '1.0.1'].map((v) => versionDoc('acme-lts', v)),
      { '1.0.0': '2024-01-01T00:00:00Z', '4.0.0': '2024-01-02T00:00:00Z', '1.0.1': '2024-06-01T00:00:00Z' },
    );
    expect(kinds(metadataSignals({ packument: doc, version: '1.0.1' }))).not.toContain('version-jump');
    expect(kinds(metadataSignals({ packument: doc, version: '4.0.0' }))).toContain('version-jump');
  });

  it('reports a missing repository, a borrowed popular repository, remote deps and typosquats', () => {
    const tarballManifest = {
      name: 'reacct',
      version: '1.0.0',
      repository: 'github:facebook/react',
      dependencies: { payload: 'http://198.51.100.8/payload.tgz', ok: '^1.0.0' },
    };
    const doc = packument('reacct', [{ name: 'reacct', version: '1.0.0' }]);
    const signals = metadataSignals({ packument: doc, version: '1.0.0', tarballManifest });
    expect(signals).toContainEqual({
      kind: 'repository-of-popular-package',
      repository: 'https://github.com/facebook/react',
      popular: 'react',
    });
    expect(signals.filter((s) => s.kind === 'remote-dependency')).toEqual([
      {
        kind: 'remote-dependency',
        dependency: {
          name: 'payload',
          spec: 'http://198.51.100.8/payload.tgz',
          kind: 'url',
          field: 'dependencies',
        },
      },
    ]);
    expect(signals.find((s) => s.kind === 'typosquat')).toMatchObject({ match: { target: 'react' } });
    const bare = packument('acme-bare', [{ name: 'acme-bare', version: '1.0.0' }]);
    expect(kinds(metadataSignals({ packument: bare, version: '1.0.0' }))).toEqual(['missing-repository']);
  });

  it('reports install hooks new in this version, comparing with the previous version by semver', () => {
    // ua-parser-js 0.7.29: 0.7.28 had no install hook, 0.7.29 added a preinstall.
    const hijacked = versionDoc('acme-ua', '0.7.29', {
      scripts: { preinstall: 'start /B node preinstall.js & node preinstall.js', test: 'mocha' },
    });
    const doc = packument('acme-ua', [
      versionDoc('acme-ua', '0.7.28', { scripts: { test: 'mocha' } }),
      // Published later but lower: a backport must not be taken as the previous version.
      versionDoc('acme-ua', '0.7.30'),
      versionDoc('acme-ua', '0.7.27', { scripts: { postinstall: 'node old.js' } }),
      hijacked,
    ]);
    const { dist: _dist, ...tarballManifest } = hijacked;
    expect(metadataSignals({ packument: doc, version: '0.7.29', tarballManifest })).toContainEqual({
      kind: 'install-hook-added',
      version: '0.7.29',
      previous: '0.7.28',
      hooks: [{ hook: 'preinstall', command: 'start /B node preinstall.js & node preinstall.js' }],
    });
    // The tarball is what npm installs: a hook only there still counts.
    const registryOnly = metadataSignals({
      packument: packument('acme-ua', [versionDoc('acme-ua', '1.0.0'), versionDoc('acme-ua', '1.0.1')]),
      version: '1.0.1',
      tarballManifest: { name: 'acme-ua', version: '1.0.1', scripts: { install: 'node x.js' } },
    });
    expect(registryOnly.find((s) => s.kind === 'install-hook-added')).toMatchObject({
      hooks: [{ hook: 'install', command: 'node x.js' }],
    });
  });

  it('does not report hooks the previous version already had, prepare hooks, or a first version', () => {
    const had = packument('acme-native', [
      versionDoc('acme-native', '1.0.0', { scripts: { install: 'node-gyp rebuild' } }),
      versionDoc('acme-native', '1.1.0', { scripts: { postinstall: 'node setup.js' } }),
    ]);
    expect(kinds(metadataSignals({ packument: had, version: '1.1.0' }))).not.toContain('install-hook-added');
    const prepare = packument('acme-prep', [
      versionDoc('acme-prep', '1.0.0'),
      versionDoc('acme-prep', '1.0.1', { scripts: { prepare: 'husky' } }),
    ]);
    expect(kinds(metadataSignals({ packument: prepare, version: '1.0.1' }))).not.toContain(
      'install-hook-added',
    );
    const first = packument('acme-first', [
      versionDoc('acme-first', '1.0.0', { scripts: { postinstall: 'node setup.js' } }),
    ]);
    expect(kinds(metadataSignals({ packument: first, version: '1.0.0' }))).not.toContain(
      'install-hook-added',
    );
  });

  it('reports dependencies a patch release adds that the previous version did not name', () => {
    // axios 1.14.1: a patch release that added plain-crypto-js.
    const doc = packument('acme-http', [
      versionDoc('acme-http', '1.14.0', {
        dependencies: { 'follow-redirects': '^1.15.6' },
        devDependencies: { 'form-data': '^4.0.0' },
      }),
      versionDoc('acme-http', '1.14.1', {
        dependencies: { 'follow-redirects': '^1.15.6', 'form-data': '^4.0.0', 'plain-crypto-js': '^4.2.1' },
      }),
      versionDoc('acme-http', '1.15.0', { dependencies: { 'follow-redirects': '^1.15.6' } }),
    ]);
    expect(metadataSignals({ packument: doc, version: '1.14.1' })).toContainEqual({
      kind: 'patch-adds-dependencies',
      version: '1.14.1',
      previous: '1.14.0',
      added: [{ name: 'plain-crypto-js', spec: '^4.2.1', field: 'dependencies' }],
    });
    expect(kinds(metadataSignals({ packument: doc, version: '1.15.0' }))).not.toContain(
      'patch-adds-dependencies',
    );
    expect(kinds(metadataSignals({ packument: doc, version: '1.14.0' }))).not.toContain(
      'patch-adds-dependencies',
    );
  });

  it('notes where the package names an added dependency (declarations, computed requires, import maps)', () => {
    const bytes = (text: string) => ({ bytes: new TextEncoder().encode(text) });
    const files = new Map([
      ['index.d.ts', bytes("import type { Cov } from 'collect-fixture';")],
      ['lib/props.js', bytes(`module.exports = (n) => require(\`unicode-fixture/\${n}.js\`);`)],
      ['README.md', bytes("require('plain-crypto-js')")],
      ['lib/plain.js', bytes('// plain-crypto-js is not a specifier here')],
    ]);
    const signals = metadataSignals({
      packument: packument('acme-http', [
        versionDoc('acme-http', '2.0.0'),
        versionDoc('acme-http', '2.0.1', {
          dependencies: {
            'collect-fixture': '1',
            'unicode-fixture': '1',
            'bare-fs': '4',
            'plain-crypto-js': '4',
          },
          imports: { fs: { bare: 'bare-fs', default: 'fs' } },
        }),
      ]),
      version: '2.0.1',
      files,
    });
    const added = signals.find((s) => s.kind === 'patch-adds-dependencies');
    expect(added).toMatchObject({
      added: [
        { name: 'collect-fixture', mentionedIn: 'index.d.ts' },
        { name: 'unicode-fixture', mentionedIn: 'lib/props.js' },
        { name: 'bare-fs', mentionedIn: 'package.json' },
        { name: 'plain-crypto-js' },
      ],
    });
    expect(added?.kind === 'patch-adds-dependencies' && added.added[3]?.mentionedIn).toBeUndefined();
  });

  it('orders versions by semver and skips placeholders and invalid keys', () => {
    const keys = ['1.0.0', '0.0.1-security', '1.10.0', '1.9.0', '2.0.0-rc.1', 'latest', '2.0.0'];
    expect(previousVersion(keys, '2.0.0')).toBe('2.0.0-rc.1');
    expect(previousVersion(keys, '1.10.0')).toBe('1.9.0');
    expect(previousVersion(keys, '1.0.0')).toBeUndefined();
    expect(previousVersion(keys, 'v2')).toBeUndefined();
  });

  it('survives hostile documents', () => {
    const hostile: unknown[] = [
      null,
      [],
      'x',
      { versions: [] },
      { versions: { '1.0.0': 5 }, time: 'x', 'dist-tags': [] },
      JSON.parse('{"name":"x","versions":{"__proto__":{"name":"x"},"1.0.0":{"scripts":"x","bin":7}}}'),
    ];
    for (const packumentDoc of hostile) {
      expect(() =>
        metadataSignals({ packument: packumentDoc, version: '1.0.0', tarballManifest: { scripts: [] } }),
      ).not.toThrow();
    }
    expect(metadataSignals({ packument: {}, version: 'not-a-version' })).toEqual([
      { kind: 'missing-repository' },
    ]);
  });
});

describe('borrowedRepository', () => {
  it('allows a popular monorepo’s own packages and flags strangers', () => {
    const index = popularIndex();
    expect(borrowedRepository('react-dom', 'https://github.com/facebook/react', index)).toBeUndefined();
    expect(borrowedRepository('react-art', 'https://github.com/facebook/react', index)).toBeUndefined();
    expect(borrowedRepository('@lodash/core', 'https://github.com/lodash/lodash', index)).toBeUndefined();
    expect(borrowedRepository('free-colors-pack', 'https://github.com/chalk/chalk', index)).toBe('chalk');
    expect(borrowedRepository('acme', 'https://github.com/acme/acme', index)).toBeUndefined();
  });
});
