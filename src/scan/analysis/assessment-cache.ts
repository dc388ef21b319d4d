import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { PackageAnalysis } from '../../analysis/analyze.js';
import { type AnalyzerIdentity, openResultCache, type ResultCache } from '../../analysis/result-cache.js';
import { dataDir } from '../../core/paths.js';

/** What analysing one tarball came to. Only outcomes that depend on the bytes alone are cached. */
export type CachedOutcome =
  | { status: 'analysed'; analysis: PackageAnalysis }
  /** The worker ran past the per-package limit (cached with the limit: a higher limit retries). */
  | { status: 'time-limit'; limitMs: number }
  /** The archive cannot be read (not gzip, broken tar). */
  | { status: 'unreadable'; message: string };

export type AssessmentCache = ResultCache<CachedOutcome>;

export type { AnalyzerIdentity };

export const defaultAssessmentCachePath = (env: NodeJS.ProcessEnv = process.env): string =>
  join(dataDir(env), 'cache', 'assessments.db');

/**
 * The key of a cached outcome: which bytes (a content hash from `targetKey`), which analyser and
 * which set of rules at which versions. Any change to either redoes the analysis.
 */
export const assessmentKey = (
  contentKey: string,
  analyzerVersion: string,
  rulesFingerprint: string,
): string => `${contentKey}|${analyzerVersion}|${rulesDigest(rulesFingerprint)}`;

/** A short name for a rule set (`rulesFingerprint()` lists every rule). */
export const rulesDigest = (rulesFingerprint: string): string =>
  createHash('sha256').update(rulesFingerprint).digest('hex').slice(0, 16);

/**
 * Assessments in one SQLite table beside the content cache, so a warm re-scan reads every result
 * it needs with one statement instead of a file per package.
 */
export const openAssessmentCache = (location: string = defaultAssessmentCachePath()): AssessmentCache =>
  openResultCache({ location, table: 'assessments', column: 'outcome', parse: parseOutcome });

/** A row we cannot read back is a miss (and is overwritten by the fresh result). */
const parseOutcome = (json: unknown): CachedOutcome | undefined => {
  const value = json as CachedOutcome | null;
  if (value?.status === 'analysed' && typeof value.analysis?.verdict === 'string') return value;
  if (value?.status === 'time-limit' && typeof value.limitMs === 'number') return value;
  if (value?.status === 'unreadable' && typeof value.message === 'string') return value;
  return undefined;
};
