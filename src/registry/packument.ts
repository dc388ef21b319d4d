import semver from 'semver';
import { InputError } from '../core/errors.js';
import { parseJsonInput } from '../core/input.js';
import { expectRecord, expectString, isRecord } from '../core/shape.js';

/** One published version, reduced to what resolution and integrity checks need. */
export type PackumentVersion = {
  version: string;
  dependencies: ReadonlyMap<string, string>;
  optionalDependencies: ReadonlyMap<string, string>;
  peerDependencies: ReadonlyMap<string, string>;
  /** The deprecation message, when the version is deprecated. */
  deprecated?: string;
  tarball?: string;
  integrity?: string;
};

/** A package document from the registry (full or abbreviated "corgi" form), validated. */
export type Packument = {
  name: string;
  distTags: ReadonlyMap<string, string>;
  /** Keyed by version; only valid semver versions are kept. */
  versions: ReadonlyMap<string, PackumentVersion>;
  /** Publish time by version; empty for abbreviated documents. */
  time: ReadonlyMap<string, string>;
};

/** More versions than any real package has published; a bound against hostile documents. */
export const MAX_PACKUMENT_VERSIONS = 50_000;

/**
 * Parses a packument from untrusted text. The top level must be well formed; odd legacy data
 * inside one version (a non-string range, a missing dist) is dropped rather than fatal, because
 * the public registry holds such documents and one old version must not block remediation.
 */
export const parsePackument = (text: string, source: string, expectedName?: string): Packument => {
  const ctx = { file: source };
  const doc = expectRecord(parseJsonInput(text, source), ctx, '$');
  const name = expectString(doc.name, ctx, '$.name');
  if (expectedName !== undefined && name !== expectedName) {
    throw new InputError(source, `is the document of "${name}", expected "${expectedName}"`, '$.name');
  }
  const rawVersions = doc.versions === undefined ? {} : expectRecord(doc.versions, ctx, '$.versions');
  const keys = Object.keys(rawVersions);
  if (keys.length > MAX_PACKUMENT_VERSIONS) {
    throw new InputError(source, `lists ${keys.length} versions, over the ${MAX_PACKUMENT_VERSIONS} limit`);
  }
  const versions = new Map<string, PackumentVersion>();
  for (const key of keys) {
    const parsed = parseVersion(key, rawVersions[key]);
    if (parsed) versions.set(key, parsed);
  }
  return {
    name,
    distTags: stringEntries(doc['dist-tags']),
    versions,
    time: stringEntries(doc.time),
  };
};

const parseVersion = (key: string, raw: unknown): PackumentVersion | undefined => {
  if (!isRecord(raw) || semver.valid(key) !== key) return undefined;
  const dist = isRecord(raw.dist) ? raw.dist : undefined;
  const version: PackumentVersion = {
    version: key,
    dependencies: stringEntries(raw.dependencies),
    optionalDependencies: stringEntries(raw.optionalDependencies),
    peerDependencies: stringEntries(raw.peerDependencies),
  };
  if (typeof raw.deprecated === 'string' && raw.deprecated !== '') version.deprecated = raw.deprecated;
  if (typeof dist?.tarball === 'string') version.tarball = dist.tarball;
  if (typeof dist?.integrity === 'string') version.integrity = dist.integrity;
  return version;
};

const stringEntries = (value: unknown): Map<string, string> => {
  const out = new Map<string, string>();
  if (!isRecord(value)) return out;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string') out.set(key, entry);
  }
  return out;
};

/** All versions of a packument in ascending semver order. */
export const sortedVersions = (packument: Packument): PackumentVersion[] =>
  [...packument.versions.values()].sort((a, b) => semver.compare(a.version, b.version));

/**
 * What a client resolves a declared range to: the newest published version satisfying it.
 * npm prefers the `latest` tag when it satisfies the range; so do we.
 */
export const resolveRange = (packument: Packument, range: string): PackumentVersion | undefined => {
  const latest = packument.distTags.get('latest');
  const latestVersion = latest === undefined ? undefined : packument.versions.get(latest);
  if (latestVersion && safeSatisfies(latestVersion.version, range)) return latestVersion;
  const tagged = packument.distTags.get(range);
  if (tagged !== undefined) return packument.versions.get(tagged);
  const best = semver.maxSatisfying([...packument.versions.keys()], range);
  return best === null ? undefined : packument.versions.get(best);
};

const safeSatisfies = (version: string, range: string): boolean => {
  try {
    return semver.satisfies(version, range);
  } catch {
    return false;
  }
};
