import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { type AnalyzerIdentity, openResultCache, type ResultCache } from '../analysis/result-cache.js';
import { dataDir } from '../core/paths.js';
import type { JobResult } from './analyse-job.js';

export type { AnalyzerIdentity };

export type ReviewCache = ResultCache<JobResult>;

/** Beside the scan's `assessments.db`, in a file of its own. */
export const defaultReviewCachePath = (env: NodeJS.ProcessEnv = process.env): string =>
  join(dataDir(env), 'cache', 'reviews.db');

/** Bumped when what a job result holds changes shape. */
const RESULT_FORMAT = 'review-2';

/**
 * The key of one job's result: the bytes of both sides (their integrities), the analyser and its
 * rules, and the registry document the metadata rules and transitions read (its digest; `-`
 * without one). Any change to any of these redoes the job.
 */
export const reviewKey = (parts: {
  fromIntegrity?: string;
  toIntegrity: string;
  analyzer: string;
  fingerprint: string;
  packumentDigest?: string;
  /** Whether a pair's new dependencies were looked up on the registry. */
  lookups: 'offline' | 'registry';
}): string =>
  createHash('sha256')
    .update(
      JSON.stringify([
        RESULT_FORMAT,
        parts.fromIntegrity ?? '-',
        parts.toIntegrity,
        parts.analyzer,
        parts.fingerprint,
        parts.packumentDigest ?? '-',
        parts.lookups,
      ]),
    )
    .digest('hex');

/** Review results in SQLite: a warm review reads every result it needs with one statement. */
export const openReviewCache = (location: string = defaultReviewCachePath()): ReviewCache =>
  openResultCache({ location, table: 'review_results', column: 'result', parse: parseResult });

/** A row that cannot be read back is a miss (and is overwritten by the fresh result). */
const parseResult = (json: unknown): JobResult | undefined => {
  const value = json as JobResult | null;
  if (value?.status === 'analysed' && typeof value.to?.verdict === 'string') return value;
  if (value?.status === 'unreadable' && typeof value.message === 'string') return value;
  return undefined;
};
