import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** The analyser version and rules fingerprint a build (named by a stamp) was seen to have. */
export type AnalyzerIdentity = { analyzer: string; fingerprint: string };

/** Analysis results by key in SQLite, with the analyser identity of each build seen. */
export type ResultCache<Value> = {
  location: string;
  /** One query for every key; absent keys are misses. */
  getMany: (keys: readonly string[]) => Map<string, Value>;
  putMany: (entries: ReadonlyMap<string, Value>) => void;
  getIdentity: (stamp: string) => AnalyzerIdentity | undefined;
  putIdentity: (stamp: string, identity: AnalyzerIdentity) => void;
  close: () => void;
};

export type ResultCacheOptions<Value> = {
  location: string;
  /** The results table and its JSON column: constants of the caller's, named as in its files. */
  table: string;
  column: string;
  /** A stored value read back, or undefined when it cannot be (a miss, overwritten by the fresh one). */
  parse: (value: unknown) => Value | undefined;
};

/** One statement reads every result a warm run needs, instead of a file per package. */
export const openResultCache = <Value>(options: ResultCacheOptions<Value>): ResultCache<Value> => {
  const { location, table, column } = options;
  mkdirSync(dirname(location), { recursive: true });
  const db = new Database(location);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    db.exec(`
CREATE TABLE IF NOT EXISTS ${table} (
  key TEXT PRIMARY KEY,
  ${column} TEXT NOT NULL,
  stored_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS identities (
  stamp TEXT PRIMARY KEY,
  analyzer TEXT NOT NULL,
  fingerprint TEXT NOT NULL
) WITHOUT ROWID;`);
  } catch (error) {
    db.close();
    throw error;
  }
  const select = db.prepare<[string], { key: string; value: string }>(
    `SELECT key, ${column} AS value FROM ${table} WHERE key IN (SELECT value FROM json_each(?))`,
  );
  const upsert = db.prepare<[string, string, number]>(
    `INSERT OR REPLACE INTO ${table} (key, ${column}, stored_at) VALUES (?, ?, ?)`,
  );
  const selectIdentity = db.prepare<[string], AnalyzerIdentity>(
    'SELECT analyzer, fingerprint FROM identities WHERE stamp = ?',
  );
  const upsertIdentity = db.prepare<[string, string, string]>(
    'INSERT OR REPLACE INTO identities (stamp, analyzer, fingerprint) VALUES (?, ?, ?)',
  );
  const putAll = db.transaction((entries: [string, Value][]) => {
    const now = Date.now();
    for (const [key, value] of entries) upsert.run(key, JSON.stringify(value), now);
  });
  const parse = (text: string): Value | undefined => {
    try {
      return options.parse(JSON.parse(text));
    } catch {
      return undefined;
    }
  };
  return {
    location,
    getMany: (keys) => {
      const found = new Map<string, Value>();
      if (keys.length === 0) return found;
      for (const row of select.all(JSON.stringify(keys))) {
        const value = parse(row.value);
        if (value !== undefined) found.set(row.key, value);
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
