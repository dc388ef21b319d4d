import semver from 'semver';
import { analyzeTarball } from '../analysis/analyze.js';
import type { Verdict } from '../analysis/types.js';
import { isRecord } from '../core/shape.js';
import { createLimiter } from '../registry/packument-client.js';
import type { PackageDelta } from './delta.js';

/** Where new dependencies are looked up: a registry, or a test's stand-in for one. */
export type DependencySource = {
  /** The package's full registry document, unvalidated; `undefined` when none could be read. */
  packument: (name: string) => Promise<unknown>;
  /** The tarball of one version, integrity-checked. */
  tarball: (request: {
    name: string;
    version: string;
    integrity?: string;
    resolved?: string;
  }) => Promise<Uint8Array>;
};

/** A dependency new in `to` that points at a registry package. */
export type NewDependencyTarget = {
  /** The key in `to`'s manifest. */
  name: string;
  /** The registry package: `name`, or the aliased package of an `npm:` specifier. */
  package: string;
  range: string;
};

/** What the registry says about a new dependency, and its own analysis. */
export type DependencyRegistryInfo = {
  package: string;
  /** First publish (`time.created`, else the earliest version time). */
  created?: string;
  /** Versions in the document (a mirror may hold fewer than were published). */
  versions: number;
  /** The version the range resolves to today, and its publish time. */
  resolved?: string;
  resolvedPublished?: string;
  /** First published less than BRAND_NEW_DAYS before `to`'s release (or after it). */
  brandNew: boolean;
  /** Fewer than FEW_VERSIONS versions, or no repository. */
  littleUsed: boolean;
  /** Why, one phrase each: `first published 1 day before this release`, `1 version`, `no repository`, … */
  signals: string[];
  /** The resolved version's own analysis, when it was fetched and read. */
  verdict?: Verdict;
  score?: number;
  /** Its threat findings' rules. */
  rules?: string[];
  /** What could not be done (no registry document, no matching version, tarball refused). */
  error?: string;
};

/** Days before the release within which a dependency's first publish makes it brand new. */
export const BRAND_NEW_DAYS = 30;
/** A package with fewer versions than this has no history to speak of. */
export const FEW_VERSIONS = 3;
/** At most this many new dependencies are looked up, and this many of them analysed. */
export const MAX_LOOKUPS = 20;
export const MAX_ANALYSED = 8;

const DAY = 86_400_000;

/**
 * The registry packages `to` newly depends on: added dependencies, and changed specifiers that now
 * name another package (`npm:` aliases). Git, URL, file and workspace specifiers are not registry
 * packages: the remote-dependency rules judge those.
 */
export const newDependencyTargets = (dependencies: PackageDelta['dependencies']): NewDependencyTarget[] => {
  const out = new Map<string, NewDependencyTarget>();
  for (const change of dependencies.added) {
    const target = registryTarget(change.name, change.to ?? '');
    if (target) out.set(change.name, target);
  }
  for (const change of dependencies.changed) {
    const before = registryTarget(change.name, change.from ?? '');
    const after = registryTarget(change.name, change.to ?? '');
    if (after && after.package !== before?.package) out.set(change.name, after);
  }
  return [...out.values()];
};

const registryTarget = (name: string, spec: string): NewDependencyTarget | undefined => {
  const alias = /^npm:((?:@[^/@]+\/)?[^/@]+)(?:@(.*))?$/.exec(spec.trim());
  if (alias) return { name, package: alias[1]!, range: alias[2] || 'latest' };
  if (/^[a-z+]+:|^[./~]|^[^@\s]+\/[^\s]+$/i.test(spec.trim())) return undefined;
  return { name, package: name, range: spec.trim() || 'latest' };
};

export type LookupOptions = {
  /** When `to` was published (ISO); the reference for "brand new". Now when absent. */
  releaseTime?: string;
  now?: Date;
};

/** Looks up each target (a few at a time), keyed by the manifest name. */
export const lookUpNewDependencies = async (
  targets: readonly NewDependencyTarget[],
  source: DependencySource,
  options: LookupOptions = {},
): Promise<Map<string, DependencyRegistryInfo>> => {
  const limit = createLimiter(4);
  const results = await Promise.all(
    targets
      .slice(0, MAX_LOOKUPS)
      .map((target, i) =>
        limit(
          async () =>
            [target.name, await lookUpDependency(target, source, options, i < MAX_ANALYSED)] as const,
        ),
      ),
  );
  const out = new Map(results);
  for (const target of targets.slice(MAX_LOOKUPS))
    out.set(target.name, {
      package: target.package,
      versions: 0,
      brandNew: false,
      littleUsed: false,
      signals: [],
      error: `not looked up: more than ${MAX_LOOKUPS} new dependencies`,
    });
  return out;
};

/** One dependency: its registry history, then (when `analyse`) its resolved version's analysis. */
export const lookUpDependency = async (
  target: NewDependencyTarget,
  source: DependencySource,
  options: LookupOptions = {},
  analyse = true,
): Promise<DependencyRegistryInfo> => {
  const info: DependencyRegistryInfo = {
    package: target.package,
    versions: 0,
    brandNew: false,
    littleUsed: false,
    signals: [],
  };
  const doc = await source.packument(target.package).catch(() => undefined);
  if (!isRecord(doc) || !isRecord(doc.versions)) {
    info.error = 'no registry document (not published, or the registry did not answer)';
    return info;
  }
  const versions = doc.versions;
  const times = isRecord(doc.time) ? doc.time : {};
  info.versions = Object.keys(versions).length;
  const created = firstPublish(times);
  if (created !== undefined) info.created = created;
  const reference = Date.parse(options.releaseTime ?? '') || (options.now ?? new Date()).getTime();
  const when = options.releaseTime === undefined ? 'now' : 'this release';
  if (created !== undefined) {
    const days = Math.floor((reference - Date.parse(created)) / DAY);
    info.brandNew = days < BRAND_NEW_DAYS;
    if (info.brandNew)
      info.signals.push(
        days < 0 ? `first published after ${when}` : `first published ${plural(days, 'day')} before ${when}`,
      );
  } else info.signals.push('no publish times');
  const latest = isRecord(doc['dist-tags']) ? doc['dist-tags'].latest : undefined;
  const manifestOf = (version: string | undefined) =>
    version !== undefined && isRecord(versions[version])
      ? (versions[version] as Record<string, unknown>)
      : undefined;
  const newest = manifestOf(typeof latest === 'string' ? latest : undefined) ?? {};
  const hasRepository = Boolean(doc.repository ?? newest.repository);
  if (info.versions < FEW_VERSIONS) info.signals.push(plural(info.versions, 'version'));
  if (!hasRepository) info.signals.push('no repository');
  if (!(doc.license ?? newest.license)) info.signals.push('no license');
  if (typeof doc.readme === 'string' && doc.readme.trim() === '') info.signals.push('empty readme');
  info.littleUsed = info.versions < FEW_VERSIONS || !hasRepository;

  const version = resolve(doc, target.range);
  const manifest = manifestOf(version);
  if (version === undefined || manifest === undefined) {
    info.error = `no version matches ${target.range}`;
    return info;
  }
  info.resolved = version;
  const published = typeof times[version] === 'string' ? (times[version] as string) : undefined;
  if (published !== undefined) {
    info.resolvedPublished = published;
    const days = Math.floor((reference - Date.parse(published)) / DAY);
    if (days < BRAND_NEW_DAYS && !info.signals.some((s) => s.startsWith('first published')))
      info.signals.push(
        days < 0
          ? `${version} published after ${when}`
          : `${version} published ${plural(days, 'day')} before ${when}`,
      );
  }
  if (!analyse) {
    info.error = `not analysed: more than ${MAX_ANALYSED} new dependencies`;
    return info;
  }
  const dist = isRecord(manifest.dist) ? manifest.dist : {};
  try {
    const bytes = await source.tarball({
      name: target.package,
      version,
      ...(typeof dist.integrity === 'string' ? { integrity: dist.integrity } : {}),
      ...(typeof dist.tarball === 'string' ? { resolved: dist.tarball } : {}),
    });
    const assessment = await analyzeTarball(
      bytes,
      `${target.package}@${version}`,
      { name: target.package, version },
      { packument: doc },
    );
    info.verdict = assessment.verdict;
    info.score = assessment.score;
    info.rules = [...new Set(assessment.findings.filter((f) => f.kind === 'threat').map((f) => f.rule))];
  } catch (error) {
    info.error = `not analysed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return info;
};

const firstPublish = (times: Record<string, unknown>): string | undefined => {
  if (typeof times.created === 'string' && !Number.isNaN(Date.parse(times.created))) return times.created;
  const all = Object.entries(times)
    .filter(
      ([key, value]) => key !== 'modified' && typeof value === 'string' && !Number.isNaN(Date.parse(value)),
    )
    .map(([, value]) => value as string)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return all[0];
};

/** What npm installs for the range: `latest` when it satisfies, a dist-tag, else the highest match. */
const resolve = (doc: Record<string, unknown>, range: string): string | undefined => {
  const tags = isRecord(doc['dist-tags']) ? doc['dist-tags'] : {};
  const versions = Object.keys(isRecord(doc.versions) ? doc.versions : {}).filter(
    (v) => semver.valid(v) === v,
  );
  const latest = typeof tags.latest === 'string' ? tags.latest : undefined;
  try {
    if (latest !== undefined && versions.includes(latest) && semver.satisfies(latest, range)) return latest;
    if (typeof tags[range] === 'string') return tags[range] as string;
    return semver.maxSatisfying(versions, range) ?? undefined;
  } catch {
    return undefined;
  }
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
