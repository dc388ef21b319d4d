import { mkdirSync } from 'node:fs';
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

  const cache = createFileFactsCache(analyzer, { get: (key) => select.get(key, analyzer)?.data });

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
