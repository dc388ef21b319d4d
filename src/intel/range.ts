import { SemVer } from 'semver';
import type { Advisory, AffectedPackage, AffectedRange } from '../core/advisory.js';

/**
 * OSV range semantics for npm (https://ossf.github.io/osv-schema/#affectedranges-field).
 * SEMVER and ECOSYSTEM ranges are both ordered by npm semver precedence; GIT ranges are ignored.
 * Ranges are evaluated event by event, never through `semver.satisfies`, so prereleases inside
 * [introduced, fixed) are affected.
 */

type Bound = SemVer | 'min';

type ParsedEvent = { kind: 'introduced' | 'fixed' | 'last_affected' | 'limit'; at: Bound };

const parseCache = new Map<string, SemVer | null>();

/** Strict npm semver parse, cached (the same few thousand versions come up again and again). */
export const parseVersion = (version: string): SemVer | undefined => {
  let parsed = parseCache.get(version);
  if (parsed === undefined) {
    try {
      parsed = new SemVer(version);
    } catch {
      parsed = null;
    }
    if (parseCache.size > 100_000) parseCache.clear();
    parseCache.set(version, parsed);
  }
  return parsed ?? undefined;
};

const compareBound = (a: Bound, b: Bound): number => {
  if (a === 'min') return b === 'min' ? 0 : -1;
  if (b === 'min') return 1;
  return a.compare(b);
};

const KIND_ORDER = { introduced: 0, fixed: 1, last_affected: 1, limit: 2 } as const;

const parseEvents = (range: AffectedRange): ParsedEvent[] => {
  const events: ParsedEvent[] = [];
  for (const event of range.events) {
    if (event.introduced !== undefined) {
      const at = event.introduced === '0' ? 'min' : parseVersion(event.introduced);
      if (at) events.push({ kind: 'introduced', at });
    } else if (event.fixed !== undefined) {
      const at = parseVersion(event.fixed);
      if (at) events.push({ kind: 'fixed', at });
    } else if (event.last_affected !== undefined) {
      const at = parseVersion(event.last_affected);
      if (at) events.push({ kind: 'last_affected', at });
    } else if (event.limit !== undefined && event.limit !== '*') {
      const at = parseVersion(event.limit);
      if (at) events.push({ kind: 'limit', at });
    }
  }
  // On equal versions `introduced` goes first, so `introduced=X,fixed=X` is an empty range.
  return events.sort((a, b) => compareBound(a.at, b.at) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
};

/** GHSA's `last_known_affected_version_range` (`< X` or `<= X`) as an upper bound. */
const parseLastKnown = (text: string | undefined): { at: SemVer; inclusive: boolean } | undefined => {
  if (text === undefined) return undefined;
  const match = /^\s*(<=?)\s*(\S+)\s*$/.exec(text);
  if (!match) return undefined;
  const at = parseVersion(match[2]!);
  return at ? { at, inclusive: match[1] === '<=' } : undefined;
};

const rangeAffects = (range: AffectedRange, pkg: AffectedPackage, version: SemVer): boolean => {
  if (range.type === 'GIT') return false;
  const events = parseEvents(range);
  let affected = false;
  for (const event of events) {
    if (event.kind === 'introduced' && compareBound(version, event.at) >= 0) affected = true;
    else if (event.kind === 'fixed' && compareBound(version, event.at) >= 0) affected = false;
    else if (event.kind === 'last_affected' && compareBound(version, event.at) > 0) affected = false;
  }
  if (!affected) return false;
  const limits = events.filter((event) => event.kind === 'limit');
  if (limits.length > 0 && !limits.some((limit) => compareBound(version, limit.at) < 0)) return false;
  if (events.every((event) => event.kind === 'introduced')) {
    const lastKnown = parseLastKnown(pkg.lastKnownAffectedRange);
    if (lastKnown) {
      const order = version.compare(lastKnown.at);
      if (order > 0 || (order === 0 && !lastKnown.inclusive)) return false;
    }
  }
  return true;
};

const listed = (pkg: AffectedPackage, version: SemVer): boolean =>
  pkg.versions.some((listedVersion) => {
    const parsed = parseVersion(listedVersion);
    return parsed !== undefined && parsed.compare(version) === 0;
  });

const packageAffects = (pkg: AffectedPackage, version: SemVer): boolean =>
  listed(pkg, version) || pkg.ranges.some((range) => rangeAffects(range, pkg, version));

/** Whether `name@version` is affected. Withdrawn advisories and invalid versions never match. */
export const isAffected = (advisory: Advisory, name: string, version: string): boolean => {
  if (advisory.withdrawn !== undefined) return false;
  const parsed = parseVersion(version);
  if (!parsed) return false;
  return advisory.affected.some((pkg) => pkg.name === name && packageAffects(pkg, parsed));
};

/** Every `fixed` version the advisory gives for `name`, ascending by semver, without duplicates. */
export const fixedVersions = (advisory: Advisory, name: string): string[] => {
  const found = new Map<string, SemVer>();
  for (const pkg of advisory.affected) {
    if (pkg.name !== name) continue;
    for (const range of pkg.ranges) {
      if (range.type === 'GIT') continue;
      for (const event of range.events) {
        if (event.fixed === undefined) continue;
        const parsed = parseVersion(event.fixed);
        if (parsed && ![...found.values()].some((v) => v.compare(parsed) === 0))
          found.set(event.fixed, parsed);
      }
    }
  }
  return [...found.entries()].sort((a, b) => a[1].compare(b[1])).map(([text]) => text);
};

/**
 * The lowest `fixed` version above `version`, from the ranges that affect `version`, that the
 * advisory does not affect. When that fix still lies inside another range of the advisory, the
 * search continues from it with that range's fixes.
 */
export const fixedIn = (advisory: Advisory, name: string, version: string): string | undefined => {
  if (!isAffected(advisory, name, version)) return undefined;
  let current = parseVersion(version)!;
  for (let step = 0; step < 100; step++) {
    let lowest: SemVer | undefined;
    for (const pkg of advisory.affected) {
      if (pkg.name !== name) continue;
      for (const range of pkg.ranges) {
        if (!rangeAffects(range, pkg, current)) continue;
        for (const event of parseEvents(range)) {
          if (event.kind !== 'fixed' || event.at === 'min' || event.at.compare(current) <= 0) continue;
          if (!lowest || event.at.compare(lowest) < 0) lowest = event.at;
        }
      }
    }
    if (!lowest) return undefined;
    if (!isAffected(advisory, name, lowest.version)) return lowest.version;
    current = lowest;
  }
  return undefined;
};
