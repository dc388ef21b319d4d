import { diffJson, findingJson } from '../diff/render-diff.js';
import type { ReviewedChange } from './judge.js';
import type { Review } from './review.js';

export type ReviewSources = { base: string; head: string };

/** The JSON report: one object, the overall verdict and counts first, then each change. */
export const reviewJson = (review: Review, sources: ReviewSources) => ({
  verdict: review.verdict,
  summary: review.counts,
  base: sources.base,
  head: sources.head,
  analyzer: review.analyzer,
  changes: review.changes.map(changeJson),
});

export const changeJson = (c: ReviewedChange) => {
  const { change, diff, to } = c;
  return {
    kind: change.kind,
    name: change.name,
    from: change.kind === 'added' ? null : change.from.version,
    to: change.kind === 'removed' ? null : change.to.version,
    verdict: c.verdict,
    status: c.status,
    reasons: c.reasons,
    added: c.added,
    removed: c.removed,
    findings: c.findings.map(findingJson),
    cached: c.cached,
    dev: (change.kind === 'removed' ? change.from : change.to).dev,
    ...(to === undefined
      ? {}
      : {
          assessment: {
            verdict: to.verdict,
            score: to.score,
            capabilities: to.capabilities,
            ...(to.complete ? {} : { incomplete: to.problems }),
          },
        }),
    // Upgrades and downgrades: the whole `bulwark diff --format json` object.
    ...(diff === undefined ? {} : { transition: diff.transition.verdict, diff: diffJson(diff) }),
  };
};

export const renderReviewJson = (review: Review, sources: ReviewSources): string =>
  `${JSON.stringify(reviewJson(review, sources), null, 2)}\n`;
