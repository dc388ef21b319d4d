import type { RegistryDocument } from '../document.js';

/** Hand-built packuments shaped like the public registry's, with defanged hosts. */

const sri = (seed: string): string => `sha512-${Buffer.from(seed.repeat(64)).toString('base64').slice(0, 86)}==`;

export const UPSTREAM = 'https://upstream.invalid';

/** Unscoped: a deprecated version, a postinstall, a native (gyp) version, signatures. */
export const leftPadFull = (): RegistryDocument => ({
  _id: 'left-pad',
  _rev: '42-0123456789abcdef',
  name: 'left-pad',
  description: 'String left pad',
  'dist-tags': { latest: '1.3.0', next: '2.0.0-beta.1' },
  versions: {
    '1.0.0': {
      name: 'left-pad',
      version: '1.0.0',
      description: 'String left pad',
      main: 'index.js',
      scripts: { test: 'node test.js' },
      license: 'WTFPL',
      _id: 'left-pad@1.0.0',
      _npmUser: { name: 'someone', email: 'someone@example.invalid' },
      _npmVersion: '2.14.4',
      _nodeVersion: '4.1.1',
      deprecated: 'use String.prototype.padStart()',
      directories: {},
      dist: {
        shasum: '0123456789abcdef0123456789abcdef01234567',
        tarball: `${UPSTREAM}/left-pad/-/left-pad-1.0.0.tgz`,
        integrity: sri('a'),
      },
    },
    '1.2.0': {
      name: 'left-pad',
      version: '1.2.0',
      main: 'index.js',
      scripts: { postinstall: 'node print-hello.js', test: 'node test.js' },
      dependencies: { 'is-number': '^7.0.0' },
      devDependencies: { tape: '^4.0.0' },
      readme: 'a long readme the abbreviated form drops',
      engines: { node: '>=4' },
      funding: { url: 'https://funding.example.invalid/left-pad' },
      dist: {
        shasum: '1123456789abcdef0123456789abcdef01234567',
        tarball: `${UPSTREAM}/left-pad/-/left-pad-1.2.0.tgz`,
        integrity: sri('b'),
        fileCount: 4,
        unpackedSize: 2048,
        signatures: [{ keyid: 'SHA256:fake-key-id', sig: 'MEUCIQDfakefakefake' }],
      },
    },
    '1.3.0': {
      name: 'left-pad',
      version: '1.3.0',
      gypfile: true,
      os: ['linux', 'darwin'],
      cpu: ['x64', 'arm64'],
      libc: ['glibc'],
      bin: { 'left-pad': 'bin/cli.js' },
      _hasShrinkwrap: false,
      dist: {
        shasum: '2123456789abcdef0123456789abcdef01234567',
        tarball: `${UPSTREAM}/left-pad/-/left-pad-1.3.0.tgz`,
        integrity: sri('c'),
        signatures: [{ keyid: 'SHA256:fake-key-id', sig: 'MEYCIQCfakefakefake' }],
      },
    },
    '2.0.0-beta.1': {
      name: 'left-pad',
      version: '2.0.0-beta.1',
      dist: {
        shasum: '3123456789abcdef0123456789abcdef01234567',
        tarball: `${UPSTREAM}/left-pad/-/left-pad-2.0.0-beta.1.tgz`,
        integrity: sri('d'),
      },
    },
  },
  time: {
    created: '2016-03-01T00:00:00.000Z',
    modified: '2026-11-27T00:00:00.000Z',
    '1.0.0': '2016-03-01T00:00:00.000Z',
    '1.2.0': '2017-01-01T00:00:00.000Z',
    '1.3.0': '2018-01-01T00:00:00.000Z',
    '2.0.0-beta.1': '2026-11-27T00:00:00.000Z',
  },
  maintainers: [{ name: 'someone', email: 'someone@example.invalid' }],
  readme: '# left-pad',
  readmeFilename: 'README.md',
});

/** Scoped, published with provenance: attestations, peer deps and meta, install script. */
export const scopedFull = (): RegistryDocument => ({
  _id: '@acme/widget',
  name: '@acme/widget',
  'dist-tags': { latest: '2.1.0' },
  versions: {
    '2.0.0': {
      name: '@acme/widget',
      version: '2.0.0',
      peerDependencies: { react: '>=18' },
      peerDependenciesMeta: { react: { optional: true } },
      optionalDependencies: { fsevents: '^2.3.0' },
      bundleDependencies: ['tiny-dep'],
      acceptDependencies: { react: '>=17' },
      dist: {
        shasum: '4123456789abcdef0123456789abcdef01234567',
        // Some registries publish the encoded shape; it is kept.
        tarball: `${UPSTREAM}/@acme%2fwidget/-/widget-2.0.0.tgz`,
        integrity: sri('e'),
      },
    },
    '2.1.0': {
      name: '@acme/widget',
      version: '2.1.0',
      scripts: { preinstall: 'node ./print-only.js' },
      _npmUser: { name: 'GitHub Actions', email: 'npm-oidc-no-reply@github.invalid', trustedPublisher: { id: 'github' } },
      dist: {
        shasum: '5123456789abcdef0123456789abcdef01234567',
        tarball: `${UPSTREAM}/api/npm/remote/@acme/widget/-/widget-2.1.0.tgz`,
        integrity: sri('f'),
        signatures: [{ keyid: 'SHA256:fake-key-id', sig: 'MEQCIFfakefake' }],
        attestations: {
          url: `${UPSTREAM}/-/npm/v1/attestations/@acme%2fwidget@2.1.0`,
          provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
        },
      },
    },
  },
  time: {
    created: '2025-01-01T00:00:00.000Z',
    modified: '2026-11-01T00:00:00.000Z',
    '2.0.0': '2025-01-01T00:00:00.000Z',
    '2.1.0': '2026-11-01T00:00:00.000Z',
  },
});
