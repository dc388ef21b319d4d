import semver from 'semver';
import { checkTyposquat } from '../../analysis/manifest/typosquat.js';
import { isRecord } from '../../core/shape.js';
import type { Subject, TrustLevel } from '../../policy/firewall/types.js';
import { parseIntegrity } from '../../registry/content-cache.js';
import { hasInstallScript } from '../registry/abbreviate.js';
import type { RegistryDocument, VersionDocument } from '../registry/document.js';
import type { PackageIntel } from './intel.js';

const LIFECYCLE = ['preinstall', 'install', 'postinstall'] as const;
const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;
const TRUST_RANK: Record<TrustLevel, number> = { none: 0, provenance: 1, trustedPublisher: 2 };

/** Everything about a package that does not depend on one version, computed once per document. */
export type PackageFacts = {
  /** Per version: its own publishing evidence against the best of every version published before it. */
  trust: Map<string, NonNullable<Subject['trust']>>;
  typosquatOf: string | undefined;
};

export const packageFacts = (doc: RegistryDocument): PackageFacts => ({
  trust: trustHistory(doc),
  typosquatOf: typosquatTarget(doc.name),
});

/**
 * The subject for a version as the packument describes it: publish time, install scripts,
 * dependencies, deprecation, trust evidence, intel matches and the typosquat check. Analysis and
 * failures are added by the caller.
 */
export const metadataSubject = (
  doc: RegistryDocument,
  version: string,
  facts: PackageFacts,
  intel: PackageIntel | undefined,
): Subject => {
  const v = doc.versions[version] ?? {};
  const subject: Subject = { name: doc.name, version };
  const published = doc.time?.[version];
  if (published !== undefined) subject.publishedAt = published;
  const scripts = installScripts(v);
  if (scripts.length > 0) subject.installScripts = scripts;
  const dependencies = dependencySpecs(v);
  if (Object.keys(dependencies).length > 0) subject.dependencies = dependencies;
  if (typeof v.deprecated === 'string' && v.deprecated !== '') subject.deprecated = v.deprecated;
  const trust = facts.trust.get(version);
  if (trust) subject.trust = trust;
  if (facts.typosquatOf !== undefined) subject.typosquatOf = facts.typosquatOf;
  if (intel) {
    const matches = intel.match(version, integrityOf(v));
    if (matches.malware.length > 0) subject.malware = matches.malware;
    if (matches.vulnerabilities.length > 0) subject.vulnerabilities = matches.vulnerabilities;
  }
  return subject;
};

/** The version's `dist.integrity`, else its sha1 `shasum` as an SRI string; undefined when neither is usable. */
export const integrityOf = (version: VersionDocument): string | undefined => {
  const dist = version.dist;
  if (!isRecord(dist)) return undefined;
  // Only hashes the firewall can check count; an unusable one falls back to the shasum.
  if (typeof dist.integrity === 'string' && parseIntegrity(dist.integrity).length > 0)
    return dist.integrity.trim();
  if (typeof dist.shasum === 'string' && /^[0-9a-f]{40}$/i.test(dist.shasum))
    return `sha1-${Buffer.from(dist.shasum, 'hex').toString('base64')}`;
  return undefined;
};

/** Lifecycle scripts that run on install; `install` for a gyp package without one named. */
const installScripts = (v: VersionDocument): string[] => {
  const scripts = isRecord(v.scripts) ? v.scripts : {};
  const found: string[] = LIFECYCLE.filter(
    (hook) => typeof scripts[hook] === 'string' && scripts[hook] !== '',
  );
  if (found.length === 0 && hasInstallScript(v)) found.push('install');
  return found;
};

const dependencySpecs = (v: VersionDocument): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const field of DEPENDENCY_FIELDS) {
    const deps = v[field];
    if (!isRecord(deps)) continue;
    for (const [name, spec] of Object.entries(deps)) if (typeof spec === 'string') out[name] = spec;
  }
  return out;
};

const trustOf = (v: VersionDocument): TrustLevel => {
  const user = v._npmUser;
  if (isRecord(user) && user.trustedPublisher !== undefined && user.trustedPublisher !== null)
    return 'trustedPublisher';
  const dist = v.dist;
  if (isRecord(dist) && isRecord(dist.attestations) && dist.attestations.provenance !== undefined)
    return 'provenance';
  return 'none';
};

/** Versions in publish order (by `time`, else by semver), each with the best evidence before it. */
const trustHistory = (doc: RegistryDocument): Map<string, NonNullable<Subject['trust']>> => {
  const order = Object.keys(doc.versions).sort((a, b) => {
    const ta = Date.parse(doc.time?.[a] ?? '');
    const tb = Date.parse(doc.time?.[b] ?? '');
    if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta - tb;
    return semver.compare(a, b);
  });
  const out = new Map<string, NonNullable<Subject['trust']>>();
  let best: TrustLevel = 'none';
  let bestVersion: string | undefined;
  for (const version of order) {
    const current = trustOf(doc.versions[version]!);
    if (best !== 'none') {
      out.set(version, {
        current,
        bestEarlier: best,
        ...(bestVersion === undefined ? {} : { bestEarlierVersion: bestVersion }),
      });
    }
    if (TRUST_RANK[current] > TRUST_RANK[best]) {
      best = current;
      bestVersion = version;
    }
  }
  return out;
};

/**
 * The popular package a name imitates. A generic word beside a popular name (`eslint-utils`) is
 * left out: owners name their own helpers that way, and alone it is not worth a warning on
 * every install.
 */
const typosquatTarget = (name: string): string | undefined => {
  const match = checkTyposquat(name);
  return match === undefined || match.kind === 'brand' ? undefined : match.target;
};
