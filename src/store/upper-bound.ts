import semver from 'semver';
import type { AffectedPackage } from '../core/advisory.js';

const pad = (n: number): string => String(n).padStart(16, '0');

/**
 * A string key that sorts like the release part (major.minor.patch) of a version, or undefined
 * for an invalid version. Prereleases share their release's key, so comparisons on keys are only
 * ever used where equal keys count as "may overlap".
 */
export const releaseKey = (version: string): string | undefined => {
  const parsed = semver.parse(version);
  return parsed ? `${pad(parsed.major)}.${pad(parsed.minor)}.${pad(parsed.patch)}` : undefined;
};

/**
 * The release key of the highest version the advisory's blocks for one package can affect, or
 * null when that is unbounded or unknown (an open range, an invalid version, a tarball hash).
 * A version whose release key is above it is certainly not affected, so a store can skip the
 * candidate without evaluating ranges.
 */
export const upperBoundKey = (
  blocks: readonly AffectedPackage[],
  integrity?: readonly string[],
): string | null => {
  if (integrity && integrity.length > 0) return null;
  let upper: string | undefined;
  const raise = (key: string) => {
    if (upper === undefined || key > upper) upper = key;
  };
  for (const block of blocks) {
    for (const version of block.versions) {
      const key = releaseKey(version);
      if (key === undefined) return null;
      raise(key);
    }
    for (const range of block.ranges) {
      if (range.type === 'GIT') continue;
      let highestStart: string | undefined;
      let highestEnd: string | undefined;
      for (const event of range.events) {
        const start = event.introduced;
        const end = event.fixed ?? event.last_affected ?? event.limit;
        if (start !== undefined) {
          const key = start === '0' ? '' : releaseKey(start);
          if (key === undefined) return null;
          if (highestStart === undefined || key > highestStart) highestStart = key;
        } else if (end !== undefined) {
          if (end === '*') return null;
          const key = releaseKey(end);
          if (key === undefined) return null;
          if (highestEnd === undefined || key > highestEnd) highestEnd = key;
        }
      }
      // Open when nothing closes the last introduced version.
      if (highestEnd === undefined || (highestStart !== undefined && highestStart > highestEnd)) return null;
      raise(highestEnd);
    }
  }
  return upper ?? null;
};
