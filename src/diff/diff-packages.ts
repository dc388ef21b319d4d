import type { Assessment } from '../analysis/types.js';
import type { DiffSide } from './analyze-side.js';
import { anomalyOfDiff, type ReleaseAnomaly } from './anomaly/score.js';
import { computeDelta, type PackageDelta } from './delta.js';
import type { GradedTransition } from './metadata/grading.js';
import { type DependencyRegistryInfo, newDependencyTargets } from './new-dependencies.js';
import { type Transition, transitionVerdict } from './transition-verdict.js';

/** Summary of one side for the report. */
export type SideSummary = Pick<Assessment, 'name' | 'version' | 'verdict' | 'score' | 'capabilities'> & {
  integrity?: string;
};

export type PackageDiff = {
  from: SideSummary;
  to: SideSummary;
  delta: PackageDelta;
  /** Registry-metadata transitions (publisher, provenance, …); empty without a registry document. */
  metadata: GradedTransition[];
  /** Whether new dependencies were looked up on the registry, and why not. */
  dependencyLookup: DependencyLookup;
  transition: Transition;
  /**
   * How unusual the release is against normal releases of similar packages (docs/anomaly-model.md):
   * a signal beside the verdict, never part of it.
   */
  anomaly: ReleaseAnomaly;
};

/**
 * `checked`: each new registry dependency carries `registry` in `delta.dependencies`; `skipped`:
 * not looked up, with why (offline, two local files); `none`: no new dependency to look up.
 */
export type DependencyLookup =
  | { status: 'checked' }
  | { status: 'skipped'; reason: string }
  | { status: 'none' };

/** What `diffPackages` is told about new dependencies: the registry answers by manifest name, or why none. */
export type DependencyLookupInput =
  | { status: 'checked'; found: ReadonlyMap<string, DependencyRegistryInfo> }
  | { status: 'skipped'; reason: string };

/**
 * The delta between two analysed versions and the verdict on the transition. `metadata` holds the
 * graded registry-metadata transitions between the two releases, when the registry document was read.
 */
export const diffPackages = (
  from: DiffSide,
  to: DiffSide,
  metadata: GradedTransition[] = [],
  dependencies?: DependencyLookupInput,
  /** The registry document, for the package's own release history in the anomaly score. */
  packument?: unknown,
): PackageDiff => {
  const delta = computeDelta(from, to);
  let dependencyLookup: DependencyLookup = { status: 'none' };
  if (dependencies?.status === 'checked') {
    for (const change of [...delta.dependencies.added, ...delta.dependencies.changed]) {
      const info = dependencies.found.get(change.name);
      if (info !== undefined) change.registry = info;
    }
    if (dependencies.found.size > 0) dependencyLookup = { status: 'checked' };
  } else if (dependencies?.status === 'skipped' && newDependencyTargets(delta.dependencies).length > 0)
    dependencyLookup = { status: 'skipped', reason: dependencies.reason };
  return {
    from: summary(from.assessment),
    to: summary(to.assessment),
    delta,
    metadata,
    dependencyLookup,
    transition: transitionVerdict(from.assessment, to.assessment, delta, metadata),
    anomaly: anomalyOfDiff(from, to, delta, metadata, packument),
  };
};

const summary = (a: Assessment): SideSummary => ({
  name: a.name,
  version: a.version,
  verdict: a.verdict,
  score: a.score,
  capabilities: a.capabilities,
  ...(a.integrity === undefined ? {} : { integrity: a.integrity }),
});
