import type { BehaviorFinding } from '../analysis/types.js';
import { compareSeverity } from '../core/severity.js';
import type { PackageDiff } from '../diff/diff-packages.js';
import type { SideAnalysis } from './analyse-job.js';
import type { PackageChange } from './classify.js';

export type ReviewVerdict = 'benign' | 'suspicious' | 'malicious';

/**
 * One change as the review reports it. `unknown`: the change could not be analysed (offline
 * without a cached tarball, a registry failure, a git or local source); it never passes for benign.
 */
export type ReviewedChange = {
  change: PackageChange;
  status: 'analysed' | 'not-analysed' | 'not-needed';
  verdict: ReviewVerdict | 'unknown';
  /** Why, most serious first. */
  reasons: string[];
  /** Capabilities the change brings in, and those it drops. */
  added: string[];
  removed: string[];
  /** Threat findings behind the verdict: new in `to` for a pair, all of an addition's. */
  findings: BehaviorFinding[];
  /** The result came from the review cache. */
  cached: boolean;
  /** Analysis of the version the head lockfile pins. */
  to?: SideAnalysis;
  /** Upgrades and downgrades: the whole delta, metadata transitions and transition verdict. */
  diff?: PackageDiff;
};

const RANK: Record<ReviewedChange['verdict'], number> = {
  unknown: -1,
  benign: 0,
  suspicious: 1,
  malicious: 2,
};

export const verdictRank = (verdict: ReviewedChange['verdict']): number => RANK[verdict];

/** The strongest verdict among the changes; `benign` when nothing was found (or nothing changed). */
export const overallVerdict = (changes: readonly ReviewedChange[]): ReviewVerdict =>
  changes.reduce<ReviewVerdict>(
    (worst, c) => (c.verdict !== 'unknown' && RANK[c.verdict] > RANK[worst] ? c.verdict : worst),
    'benign',
  );

const label = (version: { name: string; version: string }): string => `${version.name}@${version.version}`;

/**
 * An upgrade or downgrade: the transition verdict, raised to `suspicious` when the head version is
 * itself assessed malicious (a package that was already malicious does not "turn", but the head
 * lockfile still pins it) or when its archive was not read whole.
 */
export const judgePair = (
  change: PackageChange,
  to: SideAnalysis,
  diff: PackageDiff,
  cached: boolean,
): ReviewedChange => {
  let verdict: ReviewVerdict = diff.transition.verdict;
  const reasons = [...diff.transition.reasons];
  if (to.verdict === 'malicious' && verdict !== 'malicious') {
    verdict = 'suspicious';
    reasons.push(
      `${label(diff.to)} is assessed malicious (score ${to.score.toFixed(1)}/10), as ${label(diff.from)} was (${diff.from.verdict})`,
    );
  }
  if (!to.complete) {
    if (verdict === 'benign') verdict = 'suspicious';
    reasons.push(
      `the archive of ${label(diff.to)} was not read whole (${to.problems[0] ?? 'a limit was reached'})`,
    );
  }
  return {
    change,
    status: 'analysed',
    verdict,
    reasons,
    added: diff.delta.added,
    removed: diff.delta.removed,
    findings: diff.transition.evidence,
    cached,
    to,
    diff,
  };
};

/**
 * An added version: its own assessment (clean → benign), its threat findings as the evidence. A
 * repinned version is judged the same way, and is at least `suspicious`.
 */
export const judgeAddition = (
  change: PackageChange,
  to: SideAnalysis,
  cached: boolean,
  notes: readonly string[] = [],
): ReviewedChange => {
  const threats = to.findings
    .filter((f) => f.kind === 'threat')
    .sort((a, b) => compareSeverity(a.severity, b.severity) || a.rule.localeCompare(b.rule));
  let verdict: ReviewVerdict = to.verdict === 'clean' ? 'benign' : to.verdict;
  const reasons: string[] = [];
  if (to.verdict !== 'clean')
    reasons.push(
      `assessed ${to.verdict} (score ${to.score.toFixed(1)}/10)${threats.length > 0 ? ` by ${[...new Set(threats.map((f) => f.rule))].join(', ')}` : ''}`,
    );
  if (!to.complete) {
    if (verdict === 'benign') verdict = 'suspicious';
    reasons.push(`the archive was not read whole (${to.problems[0] ?? 'a limit was reached'})`);
  }
  // A version's bytes never change on the registry: new bytes under an old version are a finding.
  if (change.kind === 'repinned' && verdict === 'benign') verdict = 'suspicious';
  reasons.push(...notes);
  return {
    change,
    status: 'analysed',
    verdict,
    reasons,
    added: [...to.capabilities].sort(),
    removed: [],
    findings: threats,
    cached,
    to,
  };
};

/** A change with no analysis: removals (nothing to analyse) and what could not be read. */
export const unanalysed = (
  change: PackageChange,
  reason: string | undefined,
  verdict: ReviewedChange['verdict'] = 'unknown',
): ReviewedChange => ({
  change,
  status: reason === undefined ? 'not-needed' : 'not-analysed',
  verdict: reason === undefined ? 'benign' : verdict,
  reasons: reason === undefined ? [] : [reason],
  added: [],
  removed: [],
  findings: [],
  cached: false,
});
