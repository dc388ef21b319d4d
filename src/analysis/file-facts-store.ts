import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { dataDir } from '../core/paths.js';
import { ANALYZER_VERSION } from './analyze.js';
import { createFileFactsCache, type FileFactsCache } from './file-facts-cache.js';

/** Beyond this many stored bytes the least recently used entries go (to PRUNE_TO of it). */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
const PRUNE_TO = 0.8;

export const defaultFileFactsPath = (env: NodeJS.ProcessEnv = process.env): string =>
  join(dataDir(env), 'cache', 'file-facts.db');

/** A FileFactsCache backed by SQLite; `save` writes what was learnt, `close` ends it. */
export type FileFactsStore = {
  location: string;
  cache: FileFactsCache;
  /** Writes new entries and marks used ones, in one transaction; then keeps the size bound. */
  save: () => void;
  close: () => void;
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS file_facts (
  key TEXT PRIMARY KEY,
  analyzer TEXT NOT NULL,
  size INTEGER NOT NULL,
  used_at INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS file_facts_use ON file_facts (used_at, size, analyzer);`;

/** Bumped when the table changes: a file of another layout is emptied, not misread. */
const SCHEMA_VERSION = 1;

const openDatabase = (location: string): Database.Database => {
  const db = new Database(location);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Checked and laid out in one write transaction: two first runs at once do not interleave.
    db.transaction(() => {
      if (db.pragma('user_version', { simple: true }) === SCHEMA_VERSION) return;
      db.exec('DROP TABLE IF EXISTS file_facts');
      db.exec(SCHEMA);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

/**
 * Per-file facts in their own SQLite file beside scan's assessment cache. Rows of another
 * analyser version are never read (the version is in the key) and go at the next save; a row
 * that does not decode is a miss, overwritten by the fresh result.
 */
export const openFileFactsStore = (
  location: string = defaultFileFactsPath(),
  options: { maxBytes?: number; analyzerVersion?: string } = {},
): FileFactsStore => {
  const analyzer = options.analyzerVersion ?? ANALYZER_VERSION;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  mkdirSync(dirname(location), { recursive: true });
  let db: Database.Database;
  try {
    db = openDatabase(location);
  } catch (error) {
    // Only a cache: a damaged file is started afresh rather than warned about on every run.
    const code = (error as { code?: unknown }).code;
    if (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT') throw error;
    for (const suffix of ['', '-wal', '-shm']) rmSync(location + suffix, { force: true });
    db = openDatabase(location);
  }
  const select = db.prepare<[string, string], { data: Uint8Array }>(
    'SELECT data FROM file_facts WHERE key = ? AND analyzer = ?',
  );
  const upsert = db.prepare<[string, string, number, number, Uint8Array]>(
    'INSERT OR REPLACE INTO file_facts (key, analyzer, size, used_at, data) VALUES (?, ?, ?, ?, ?)',
  );
  const touch = db.prepare<[number, string]>('UPDATE file_facts SET used_at = ? WHERE key = ?');
  const dropOthers = db.prepare<[string]>('DELETE FROM file_facts WHERE analyzer != ?');
  const total = db.prepare<[], { bytes: number | null }>('SELECT SUM(size) AS bytes FROM file_facts');
  const oldest = db.prepare<[], { key: string; size: number }>(
    'SELECT key, size FROM file_facts ORDER BY used_at',
  );
  const remove = db.prepare<[string]>('DELETE FROM file_facts WHERE key = ?');

  const cache = createFileFactsCache(analyzer, {
    get: (key) => {
      try {
        return select.get(key, analyzer)?.data;
      } catch {
        // A damaged page or a lock held too long: the file is parsed instead.
        return undefined;
      }
    },
  });

  const prune = () => {
    dropOthers.run(analyzer);
    let bytes = total.get()?.bytes ?? 0;
    if (bytes <= maxBytes) return;
    const victims: string[] = [];
    for (const row of oldest.iterate()) {
      if (bytes <= maxBytes * PRUNE_TO) break;
      victims.push(row.key);
      bytes -= row.size;
    }
    for (const key of victims) remove.run(key);
  };

  const save = db.transaction((entries: Map<string, Uint8Array>, used: string[]) => {
    const now = Date.now();
    for (const key of used) touch.run(now, key);
    for (const [key, data] of entries) upsert.run(key, analyzer, data.byteLength, now, data);
    prune();
  });

  return {
    location,
    cache,
    save: () => {
      const entries = cache.drain();
      const used = cache.used();
      if (entries.size > 0 || used.length > 0) save(entries, used);
    },
    close: () => db.close(),
  };
};
