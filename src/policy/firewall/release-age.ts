import semver from 'semver';
import { exceptionCovers, exceptionEnd } from './decide.js';
import type { FirewallPolicy } from './types.js';

/** The parts of a full packument the release-age view reads. Not modified. */
export interface PackumentLike {
  name: string;
  versions: Record<string, unknown>;
  time?: Record<string, string>;
  'dist-tags'?: Record<string, string>;
}

export interface PackumentView {
  /**
   * Versions to remove from `versions` and `time`, in packument order. With `distTags` this is
   * what src/firewall/registry/rewrite.ts `hideVersions({ hide, distTags })` applies.
   */
  hidden: string[];
  /** The dist-tags to serve: tags on hidden versions re-pointed or dropped. */
  distTags: Record<string, string>;
  /** Whether anything changed (the proxy drops ETag/Last-Modified only then). */
  changed: boolean;
}

/**
 * Which versions the minimumReleaseAge rule hides from a packument at `now`, and the dist-tags
 * that result. Versions without a publish time are hidden when the policy fails closed. An
 * active exception for the package (and version) keeps a version listed. Only `hide` hides:
 * with `deny` the versions stay listed and their tarballs are refused (decide() says so), so a
 * pinned install reports "blocked", not "not found".
 */
export const releaseAgeView = (
  policy: FirewallPolicy,
  packument: PackumentLike,
  now: Date,
): PackumentView => {
  const rule = policy.rules.minimumReleaseAge;
  const time = now.getTime();
  const limit = time - rule.minutes * 60_000;
  const hidden =
    rule.action !== 'hide' || rule.minutes <= 0 || policy.dryRun
      ? []
      : Object.keys(packument.versions).filter((version) => {
          const published = Date.parse(packument.time?.[version] ?? '');
          const tooNew = Number.isNaN(published) ? policy.failMode === 'closed' : published > limit;
          if (!tooNew) return false;
          return !policy.exceptions.some(
            (e) => exceptionEnd(e) > time && exceptionCovers(e, packument.name, version, 'minimumReleaseAge'),
          );
        });
  return viewHiding(packument, hidden);
};

/**
 * The dist-tags once `hidden` versions are gone. `latest` on a hidden version moves to the
 * highest remaining stable version not above it (never a prerelease; dropped if none is left);
 * another tag on a hidden version moves to the highest remaining version not above it (only a
 * stable one if the tag was on a stable version), or is dropped.
 */
export const viewHiding = (packument: PackumentLike, hidden: string[]): PackumentView => {
  const gone = new Set(hidden);
  const remaining = Object.keys(packument.versions).filter((v) => !gone.has(v) && semver.valid(v) !== null);
  const distTags: Record<string, string> = {};
  let changed = hidden.length > 0;
  for (const [tag, version] of Object.entries(packument['dist-tags'] ?? {})) {
    if (!gone.has(version)) {
      distTags[tag] = version;
      continue;
    }
    changed = true;
    const prerelease = tag !== 'latest' && semver.prerelease(version) !== null;
    const candidates = remaining.filter(
      (v) =>
        semver.valid(version) !== null &&
        semver.lte(v, version) &&
        (semver.prerelease(v) === null || prerelease),
    );
    const best = semver.rsort(candidates)[0];
    if (best !== undefined) distTags[tag] = best;
  }
  return { hidden: [...hidden], distTags, changed };
};
