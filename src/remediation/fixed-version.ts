import semver from 'semver';
import type { Advisory } from '../core/advisory.js';
import { fixedVersions, isAffected } from '../intel/range.js';
import type { Packument } from '../registry/packument.js';

/** Whether any advisory in `advisories` affects `name@version`. */
export const affectedByAny = (advisories: readonly Advisory[], name: string, version: string): boolean =>
  advisories.some((advisory) => isAffected(advisory, name, version));

/**
 * Preference among candidate versions: stable before prerelease (unless the installed version is
 * itself a prerelease of the same release line), then not deprecated. Ascending within each tier.
 */
const tierOf = (version: string, installed: string, deprecated: boolean): number => {
  const pre = semver.prerelease(version) !== null;
  const installedPre = semver.prerelease(installed) !== null;
  const sameLine =
    installedPre &&
    semver.major(version) === semver.major(installed) &&
    semver.minor(version) === semver.minor(installed) &&
    semver.patch(version) === semver.patch(installed);
  return (pre && !sameLine ? 2 : 0) + (deprecated ? 1 : 0);
};

const pickPreferred = (
  candidates: { version: string; deprecated: boolean }[],
  installed: string,
): string | undefined => {
  let best: { version: string; tier: number } | undefined;
  for (const candidate of candidates) {
    const tier = tierOf(candidate.version, installed, candidate.deprecated);
    if (!best || tier < best.tier || (tier === best.tier && semver.lt(candidate.version, best.version))) {
      best = { version: candidate.version, tier };
    }
  }
  return best?.version;
};

/**
 * The lowest version above `installed` that none of the package's advisories affects.
 * With a packument: the lowest such PUBLISHED version. Without: the lowest `fixed` event of any
 * advisory that no advisory affects (a fix of one advisory can sit inside another's range).
 */
export const lowestFixedVersion = (
  name: string,
  installed: string,
  advisories: readonly Advisory[],
  packument?: Packument,
): string | undefined => {
  if (semver.valid(installed) === null) return undefined;
  const candidates: { version: string; deprecated: boolean }[] = [];
  if (packument) {
    for (const entry of packument.versions.values()) {
      if (semver.gt(entry.version, installed) && !affectedByAny(advisories, name, entry.version)) {
        candidates.push({ version: entry.version, deprecated: entry.deprecated !== undefined });
      }
    }
  } else {
    const seen = new Set<string>();
    for (const advisory of advisories) {
      for (const version of fixedVersions(advisory, name)) {
        if (seen.has(version) || semver.valid(version) === null) continue;
        seen.add(version);
        if (semver.gt(version, installed) && !affectedByAny(advisories, name, version)) {
          candidates.push({ version, deprecated: false });
        }
      }
    }
  }
  return pickPreferred(candidates, installed);
};

/** `^fixed` unless a version inside that caret range is affected (or the fix is a prerelease): then exact. */
export const overrideValue = (
  name: string,
  fixed: string,
  advisories: readonly Advisory[],
  packument?: Packument,
): string => {
  if (semver.prerelease(fixed) !== null) return fixed;
  const caret = `^${fixed}`;
  const probes = packument
    ? [...packument.versions.keys()]
    : advisories.flatMap((advisory) => eventVersions(advisory, name));
  const unsafe = probes.some(
    (version) =>
      semver.valid(version) !== null &&
      semver.gt(version, fixed) &&
      semver.satisfies(version, caret) &&
      affectedByAny(advisories, name, version),
  );
  return unsafe ? fixed : caret;
};

/** Every version an advisory names for `name` (events and the explicit list): where "affected" can change. */
const eventVersions = (advisory: Advisory, name: string): string[] => {
  const out: string[] = [];
  for (const pkg of advisory.affected) {
    if (pkg.name !== name) continue;
    out.push(...pkg.versions);
    for (const range of pkg.ranges) {
      for (const event of range.events) {
        const version = event.introduced ?? event.fixed ?? event.last_affected ?? event.limit;
        if (version !== undefined) out.push(version);
      }
    }
  }
  return out;
};
