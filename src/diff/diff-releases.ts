import { isRecord } from '../core/shape.js';
import type { DiffSide } from './analyze-side.js';
import { dependencyChanges } from './delta.js';
import { type DependencyLookupInput, diffPackages, type PackageDiff } from './diff-packages.js';
import type { GradedTransition } from './metadata/grading.js';
import { type DependencySource, lookUpNewDependencies, newDependencyTargets } from './new-dependencies.js';

export type DiffReleasesOptions = {
  /** Graded registry-metadata transitions between the two releases (none without a packument). */
  metadata?: GradedTransition[];
  /**
   * Where new dependencies are looked up (registry document, then the resolved version fetched and
   * analysed), or why they are not (`--offline`, two local files): said once in the report.
   */
  dependencies?: DependencySource | { skipped: string };
  /** When `to` was published (ISO): "brand new" is measured against it; against now when absent. */
  releaseTime?: string;
  /** The package's registry document: its release history feeds the anomaly score. */
  packument?: unknown;
};

/**
 * The whole diff of two analysed releases: capability delta, exports removed, risky hunks, new
 * dependencies looked up and analysed, and the transition verdict. `bulwark diff` and
 * `bulwark review` both call this.
 */
export const diffReleases = async (
  from: DiffSide,
  to: DiffSide,
  options: DiffReleasesOptions = {},
): Promise<PackageDiff> => {
  const source = options.dependencies;
  let lookup: DependencyLookupInput;
  if (source === undefined) lookup = { status: 'skipped', reason: 'no registry' };
  else if ('skipped' in source) lookup = { status: 'skipped', reason: source.skipped };
  else {
    // A package `from` already depended on, now listed in another field (ajv-formats 1.6.0 moved
    // `ajv` to peerDependencies, 1.6.1 listed it in both), is no new dependency.
    const before = dependedOn(from.manifest);
    const targets = newDependencyTargets(dependencyChanges(from.manifest, to.manifest)).filter(
      (target) => !(target.package === target.name && before.has(target.name)),
    );
    const found =
      targets.length === 0
        ? new Map()
        : await lookUpNewDependencies(targets, source, {
            ...(options.releaseTime === undefined ? {} : { releaseTime: options.releaseTime }),
          });
    lookup = { status: 'checked', found };
  }
  return diffPackages(from, to, options.metadata ?? [], lookup, options.packument);
};

const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** The names a manifest depends on, in any dependency field. */
const dependedOn = (manifest: Record<string, unknown>): Set<string> =>
  new Set(
    DEPENDENCY_FIELDS.flatMap((field) => (isRecord(manifest[field]) ? Object.keys(manifest[field]) : [])),
  );

/** A version's publish time from a registry document (`time[version]`), when it has one. */
export const publishTime = (packument: unknown, version: string): string | undefined => {
  if (!isRecord(packument) || !isRecord(packument.time)) return undefined;
  const time = packument.time[version];
  return typeof time === 'string' && !Number.isNaN(Date.parse(time)) ? time : undefined;
};
