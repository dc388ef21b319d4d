import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { PackageAnalysis } from '../../analysis/analyze.js';
import { dataDir } from '../../core/paths.js';

/** What analysing one tarball came to. Only outcomes that depend on the bytes alone are cached. */
export type CachedOutcome =
  | { status: 'analysed'; analysis: PackageAnalysis }
  /** The worker ran past the per-package limit (cached with the limit: a higher limit retries). */
  | { status: 'time-limit'; limitMs: number }
  /** The archive cannot be read (not gzip, broken tar). */
  | { status: 'unreadable'; message: string };

export type AssessmentCache = {
  location: string;
  /** One query for every key; absent keys are misses. */
  getMany: (keys: readonly string[]) => Map<string, CachedOutcome>;
  putMany: (entries: ReadonlyMap<string, CachedOutcome>) => void;
  /** The analyser version and rules fingerprint a build (named by `stamp`) was seen to have. */
  getIdentity: (stamp: string) => AnalyzerIdentity | undefined;
  putIdentity: (stamp: string, identity: AnalyzerIdentity) => void;
  close: () => void;
};

export type AnalyzerIdentity = { analyzer: string; fingerprint: string };

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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS assessments (
  key TEXT PRIMARY KEY,
  outcome TEXT NOT NULL,
  stored_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS identities (
  stamp TEXT PRIMARY KEY,
  analyzer TEXT NOT NULL,
  fingerprint TEXT NOT NULL
) WITHOUT ROWID;`;

/**
 * Assessments in one SQLite table beside the content cache, so a warm re-scan reads every result
 * it needs with one statement instead of a file per package.
 */
export const openAssessmentCache = (location: string = defaultAssessmentCachePath()): AssessmentCache => {
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
  const select = db.prepare<[string], { key: string; outcome: string }>(
    'SELECT key, outcome FROM assessments WHERE key IN (SELECT value FROM json_each(?))',
  );
  const upsert = db.prepare<[string, string, number]>(
    'INSERT OR REPLACE INTO assessments (key, outcome, stored_at) VALUES (?, ?, ?)',
  );
  const selectIdentity = db.prepare<[string], AnalyzerIdentity>(
    'SELECT analyzer, fingerprint FROM identities WHERE stamp = ?',
  );
  const upsertIdentity = db.prepare<[string, string, string]>(
    'INSERT OR REPLACE INTO identities (stamp, analyzer, fingerprint) VALUES (?, ?, ?)',
  );
  const putAll = db.transaction((entries: [string, CachedOutcome][]) => {
    const now = Date.now();
    for (const [key, outcome] of entries) upsert.run(key, JSON.stringify(outcome), now);
  });
  return {
    location,
    getMany: (keys) => {
      const found = new Map<string, CachedOutcome>();
      if (keys.length === 0) return found;
      for (const row of select.all(JSON.stringify(keys))) {
        const outcome = parseOutcome(row.outcome);
        if (outcome) found.set(row.key, outcome);
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

/** A row we cannot read back is a miss (and is overwritten by the fresh result). */
const parseOutcome = (text: string): CachedOutcome | undefined => {
  try {
    const value = JSON.parse(text) as CachedOutcome;
    if (value?.status === 'analysed' && typeof value.analysis?.verdict === 'string') return value;
    if (value?.status === 'time-limit' && typeof value.limitMs === 'number') return value;
    if (value?.status === 'unreadable' && typeof value.message === 'string') return value;
  } catch {
    // fall through
  }
  return undefined;
};
