import type { SemVer } from 'semver';
import { exactVersion } from '../../core/exact-version.js';

export type NewerReleases = {
  /** Every listed release above the installed one that the check would consider. */
  newer: number;
  /** The releases to check, highest first: `latest`, then the `^` and `~` targets, then the highest. */
  checked: string[];
  /** The `latest` dist-tag when it names a listed version. */
  latest?: string;
};

export const DEFAULT_UPGRADE_DEPTH = 3;

/**
 * The newer releases of an installed version worth checking before an upgrade, from the
 * versions the registry document lists (a mirror may list only some: only those are chosen).
 *
 * A release is newer when it is semver-greater than `installed`. Prereleases count only when the
 * installed version is itself a prerelease of the same `major.minor.patch` — the rule npm's
 * ranges apply, so a `2.0.0-beta.1` user is shown `2.0.0-beta.2`, and a `1.2.3` user never a canary.
 *
 * At most `depth + 1` are checked, in this order: the `latest` dist-tag (what `npm install
 * name@latest` gets), the highest release of the installed major (what `npm update` gets under
 * `^`), the highest of the installed minor (`~`), then the highest remaining.
 */
export const newerReleases = (
  installed: string,
  listed: Iterable<string>,
  latestTag: string | undefined,
  depth: number = DEFAULT_UPGRADE_DEPTH,
): NewerReleases => {
  const base = exactVersion(installed);
  if (base === undefined) return { newer: 0, checked: [] };
  const newer: SemVer[] = [];
  let latest: SemVer | undefined;
  for (const key of listed) {
    const order = exactVersion(key);
    if (order === undefined) continue;
    if (key === latestTag) latest = order;
    if (order.compare(base) <= 0) continue;
    if (order.prerelease.length > 0 && !samePatchPrerelease(base, order)) continue;
    newer.push(order);
  }
  newer.sort((a, b) => b.compare(a));
  const checked: string[] = [];
  const add = (release: SemVer | undefined) => {
    if (release && !checked.includes(release.version)) checked.push(release.version);
  };
  // `latest` is checked even if a prerelease filter would drop it: it is what users install.
  if (latest && latest.compare(base) > 0) add(latest);
  add(
    newer.find((release) => release.major === base.major && (base.major > 0 || release.minor === base.minor)),
  );
  add(newer.find((release) => release.major === base.major && release.minor === base.minor));
  for (const release of newer) {
    if (checked.length >= depth + 1) break;
    add(release);
  }
  return {
    newer: newer.length + (latest && latest.compare(base) > 0 && !newer.includes(latest) ? 1 : 0),
    checked: checked.slice(0, depth + 1),
    ...(latest ? { latest: latest.version } : {}),
  };
};

const samePatchPrerelease = (base: SemVer, release: SemVer): boolean =>
  base.prerelease.length > 0 &&
  base.major === release.major &&
  base.minor === release.minor &&
  base.patch === release.patch;
