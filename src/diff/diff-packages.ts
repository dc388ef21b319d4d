import type { Assessment } from '../analysis/types.js';
import type { DiffSide } from './analyze-side.js';
import { computeDelta, type PackageDelta } from './delta.js';
import type { GradedTransition } from './metadata/grading.js';
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
  transition: Transition;
};

/**
 * The delta between two analysed versions and the verdict on the transition. `metadata` holds the
 * graded registry-metadata transitions between the two releases, when the registry document was read.
 */
export const diffPackages = (
  from: DiffSide,
  to: DiffSide,
  metadata: GradedTransition[] = [],
): PackageDiff => {
  const delta = computeDelta(from, to);
  return {
    from: summary(from.assessment),
    to: summary(to.assessment),
    delta,
    metadata,
    transition: transitionVerdict(from.assessment, to.assessment, delta, metadata),
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
