import { createHash } from 'node:crypto';
import semver from 'semver';
import { makeTgz } from '../../../src/tarball/testdata/make-tarball.js';

/** An npm account: `_npmUser` and `maintainers` entries. */
export type Person = { name: string; email: string };

/** `_npmUser.trustedPublisher` of a release published by OIDC trusted publishing. */
export type TrustedPublisher = { id: 'github' | 'gitlab'; oidcConfigId: string };

export type Repository = { type: 'git'; url: string };

/** One published version, as the test writes it. */
export type ReleaseSpec = {
  /** Files by path inside the package (`index.js`, `lib/a.js`); `package.json` is generated. */
  files: Record<string, string | Uint8Array>;
  /** package.json fields besides `name` and `version` (main, scripts, dependencies, …). */
  manifest?: Record<string, unknown>;
  /** Publish time, ISO 8601 (`time[version]`). */
  time: string;
  /** Who published (`_npmUser`). Ignored with `trustedPublisher`: the registry then names the CI. */
  npmUser?: Person;
  /** Published by OIDC trusted publishing: `_npmUser` is "GitHub Actions" with this, plus provenance. */
  trustedPublisher?: TrustedPublisher;
  /** Owners at publish time (`maintainers`); default: the previous release's, else the publisher. */
  maintainers?: Person[];
  /** A SLSA provenance attestation (`dist.attestations`); implied by `trustedPublisher`. */
  provenance?: boolean;
  /** The commit npm recorded (published from a git checkout). */
  gitHead?: string;
  /** `repository` in package.json; default: the history's; `null` for none. */
  repository?: Repository | null;
};

/** A release packed into a real tarball, with the values the registry computes at publish. */
export type PackedRelease = {
  version: string;
  spec: ReleaseSpec;
  /** The package.json inside the tarball. */
  manifest: Record<string, unknown>;
  tgz: Buffer;
  integrity: string;
  shasum: string;
  fileCount: number;
  unpackedSize: number;
};

export type PackedHistory = {
  name: string;
  releases: PackedRelease[];
  latest: string;
  description?: string;
};

export type HistoryOptions = {
  description?: string;
  license?: string;
  repository?: Repository;
  /** `dist-tags.latest`; default: the highest version. */
  latest?: string;
};

/** The `_npmUser` npm records for a trusted (OIDC) publish from GitHub Actions. */
export const GITHUB_ACTIONS: Person = { name: 'GitHub Actions', email: 'npm-oidc-no-reply@github.com' };

/** npm's public signing key id (the registry signs every tarball's integrity with it). */
const REGISTRY_KEY_ID = 'SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U';

export type History = {
  /** Adds a release; returns the builder for chaining. */
  release: (version: string, spec: ReleaseSpec) => History;
  /** Builds each release's tarball (once). */
  pack: () => Promise<PackedHistory>;
};

/**
 * A package's release history, written release by release and packed into real tarballs
 * (`makeTgz`, sha512 integrity) that `packument()` serves in the registry's format.
 */
export const history = (name: string, options: HistoryOptions = {}): History => {
  const specs: [string, ReleaseSpec][] = [];
  const builder: History = {
    release: (version, spec) => {
      if (semver.valid(version) !== version) throw new Error(`${name}: ${version} is not a version`);
      specs.push([version, spec]);
      return builder;
    },
    pack: async () => {
      const releases: PackedRelease[] = [];
      for (const [version, spec] of specs) {
        const repository = spec.repository === undefined ? options.repository : spec.repository;
        const manifest: Record<string, unknown> = {
          name,
          version,
          ...(options.description ? { description: options.description } : {}),
          ...(options.license ? { license: options.license } : {}),
          ...(repository ? { repository } : {}),
          ...spec.manifest,
        };
        const entries = [
          { name: 'package/package.json', content: `${JSON.stringify(manifest, null, 2)}\n` },
          ...Object.entries(spec.files).map(([path, content]) => ({ name: `package/${path}`, content })),
        ];
        const tgz = await makeTgz(entries);
        releases.push({
          version,
          spec,
          manifest,
          tgz,
          integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
          shasum: createHash('sha1').update(tgz).digest('hex'),
          fileCount: entries.length,
          unpackedSize: entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.content), 0),
        });
      }
      const versions = releases.map((release) => release.version);
      const latest = options.latest ?? semver.rsort([...versions])[0];
      if (latest === undefined) throw new Error(`${name}: no releases`);
      return { name, releases, latest, ...(options.description ? { description: options.description } : {}) };
    },
  };
  return builder;
};

/** `@scope/name` → `name`: the tarball's file name in the registry. */
export const tarballBase = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

export const tarballPath = (name: string, version: string): string =>
  `${name}/-/${tarballBase(name)}-${version}.tgz`;

/**
 * The full registry document (`GET /<name>`), as registry.npmjs.org serves it: each version's
 * package.json plus what the registry adds at publish (`_id`, `_npmUser`, `maintainers`, `dist`
 * with integrity, signatures and attestations, `gitHead`), and `time`.
 */
export const packument = (packed: PackedHistory, registry: string): Record<string, unknown> => {
  const versions: Record<string, unknown> = {};
  const time: Record<string, string> = {};
  let maintainers: Person[] = [];
  for (const release of packed.releases) {
    const { spec, version } = release;
    const publisher: Record<string, unknown> = spec.trustedPublisher
      ? { ...GITHUB_ACTIONS, trustedPublisher: spec.trustedPublisher }
      : { ...(spec.npmUser ?? { name: 'unknown', email: 'unknown@example.com' }) };
    maintainers =
      spec.maintainers ?? (maintainers.length > 0 ? maintainers : spec.npmUser ? [spec.npmUser] : []);
    const provenance = spec.provenance ?? spec.trustedPublisher !== undefined;
    versions[version] = {
      ...registryManifest(release.manifest, Object.keys(spec.files)),
      ...(spec.gitHead ? { gitHead: spec.gitHead } : {}),
      _id: `${packed.name}@${version}`,
      _nodeVersion: '20.18.0',
      _npmVersion: spec.trustedPublisher ? '11.6.2' : '10.8.2',
      dist: {
        integrity: release.integrity,
        shasum: release.shasum,
        tarball: `${registry}${tarballPath(packed.name, version)}`,
        fileCount: release.fileCount,
        unpackedSize: release.unpackedSize,
        signatures: [{ keyid: REGISTRY_KEY_ID, sig: `MEUCIQFIXTURE${release.shasum}` }],
        ...(provenance
          ? {
              attestations: {
                url: `${registry}-/npm/v1/attestations/${packed.name}@${version}`,
                provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
              },
            }
          : {}),
      },
      _npmUser: publisher,
      directories: {},
      maintainers,
      _npmOperationalInternal: {
        host: 's3://npm-registry-packages-npm-production',
        tmp: `tmp/${tarballBase(packed.name)}_${version}_${Date.parse(spec.time)}_0.${release.shasum.slice(0, 16)}`,
      },
      _hasShrinkwrap: false,
    };
    time[version] = new Date(spec.time).toISOString();
  }
  const times = Object.values(time).map(Date.parse);
  const latest = versions[packed.latest] as Record<string, unknown>;
  return {
    _id: packed.name,
    _rev: `${packed.releases.length}-${createHash('md5').update(packed.name).digest('hex')}`,
    name: packed.name,
    'dist-tags': { latest: packed.latest },
    versions,
    time: {
      created: new Date(Math.min(...times)).toISOString(),
      modified: new Date(Math.max(...times) + 60_000).toISOString(),
      ...time,
    },
    maintainers: latest.maintainers,
    ...(packed.description ? { description: packed.description } : {}),
    ...(latest.repository ? { repository: latest.repository } : {}),
    ...(latest.license ? { license: latest.license } : {}),
    readme: `# ${packed.name}\n`,
    readmeFilename: 'README.md',
  };
};

/**
 * What npm publishes as a version's manifest: the tarball's package.json, normalised as npm does
 * it — a package with a binding.gyp and no install script gets `install: node-gyp rebuild`.
 */
const registryManifest = (manifest: Record<string, unknown>, files: string[]): Record<string, unknown> => {
  const scripts = (manifest.scripts ?? {}) as Record<string, string>;
  if (files.includes('binding.gyp') && !scripts.install && !scripts.preinstall)
    return { ...manifest, scripts: { ...scripts, install: 'node-gyp rebuild' }, gypfile: true };
  return manifest;
};

/**
 * The abbreviated document (`Accept: application/vnd.npm.install-v1+json`): what installers need
 * to resolve, without publishers, maintainers or times.
 */
export const abbreviated = (doc: Record<string, unknown>): Record<string, unknown> => {
  const versions = doc.versions as Record<string, Record<string, unknown>>;
  const keep = ['name', 'version', 'dependencies', 'optionalDependencies', 'peerDependencies', 'bin'];
  return {
    name: doc.name,
    modified: (doc.time as Record<string, string>).modified,
    'dist-tags': doc['dist-tags'],
    versions: Object.fromEntries(
      Object.entries(versions).map(([version, manifest]) => {
        const scripts = (manifest.scripts ?? {}) as Record<string, string>;
        const hasInstallScript = ['preinstall', 'install', 'postinstall'].some((hook) => hook in scripts);
        return [
          version,
          {
            ...Object.fromEntries(keep.filter((key) => key in manifest).map((key) => [key, manifest[key]])),
            ...(hasInstallScript ? { hasInstallScript: true } : {}),
            _hasShrinkwrap: false,
            dist: manifest.dist,
          },
        ];
      }),
    ),
  };
};
