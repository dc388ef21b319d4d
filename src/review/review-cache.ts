import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { dataDir } from '../core/paths.js';
import type { JobResult } from './analyse-job.js';

/** The analyser version and rules fingerprint a build (named by a stamp) was seen to have. */
export type AnalyzerIdentity = { analyzer: string; fingerprint: string };

export type ReviewCache = {
  location: string;
  getMany: (keys: readonly string[]) => Map<string, JobResult>;
  putMany: (entries: ReadonlyMap<string, JobResult>) => void;
  getIdentity: (stamp: string) => AnalyzerIdentity | undefined;
  putIdentity: (stamp: string, identity: AnalyzerIdentity) => void;
  close: () => void;
};

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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS review_results (
  key TEXT PRIMARY KEY,
  result TEXT NOT NULL,
  stored_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS identities (
  stamp TEXT PRIMARY KEY,
  analyzer TEXT NOT NULL,
  fingerprint TEXT NOT NULL
) WITHOUT ROWID;`;

/** Review results in SQLite: a warm review reads every result it needs with one statement. */
export const openReviewCache = (location: string = defaultReviewCachePath()): ReviewCache => {
  mkdirSync(dirname(location), { recursive: true });
  const db = new Database(location);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
  } catch (error) {
    db.close();
    throw error;
  }
  const select = db.prepare<[string], { key: string; result: string }>(
    'SELECT key, result FROM review_results WHERE key IN (SELECT value FROM json_each(?))',
  );
  const upsert = db.prepare<[string, string, number]>(
    'INSERT OR REPLACE INTO review_results (key, result, stored_at) VALUES (?, ?, ?)',
  );
  const selectIdentity = db.prepare<[string], AnalyzerIdentity>(
    'SELECT analyzer, fingerprint FROM identities WHERE stamp = ?',
  );
  const upsertIdentity = db.prepare<[string, string, string]>(
    'INSERT OR REPLACE INTO identities (stamp, analyzer, fingerprint) VALUES (?, ?, ?)',
  );
  const putAll = db.transaction((entries: [string, JobResult][]) => {
    const now = Date.now();
    for (const [key, result] of entries) upsert.run(key, JSON.stringify(result), now);
  });
  return {
    location,
    getMany: (keys) => {
      const found = new Map<string, JobResult>();
      if (keys.length === 0) return found;
      for (const row of select.all(JSON.stringify(keys))) {
        const result = parseResult(row.result);
        if (result) found.set(row.key, result);
      }
      return found;
    },
    putMany: (entries) => {
      if (entries.size > 0) putAll([...entries]);
    },
    getIdentity: (stamp) => {
      const row = selectIdentity.get(stamp);
      return row ? { analyzer: row.analyzer, fingerprint: row.fingerprint } : undefined;
    },
    putIdentity: (stamp, identity) => {
      upsertIdentity.run(stamp, identity.analyzer, identity.fingerprint);
    },
    close: () => db.close(),
  };
};

/** A row that cannot be read back is a miss (and is overwritten by the fresh result). */
const parseResult = (text: string): JobResult | undefined => {
  try {
    const value = JSON.parse(text) as JobResult;
    if (value?.status === 'analysed' && typeof value.to?.verdict === 'string') return value;
    if (value?.status === 'unreadable' && typeof value.message === 'string') return value;
  } catch {
    // fall through
  }
  return undefined;
};
