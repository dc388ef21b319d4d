import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Advisory, AffectedPackage } from '../../core/advisory.js';
import { InputError } from '../../core/errors.js';
import type {
  AdvisoryStore,
  DbStatus,
  ImportSource,
  ImportStats,
  MatchCandidate,
  SourceState,
} from '../store.js';
import { releaseKey, upperBoundKey } from '../upper-bound.js';
import { currentVersion, migrate, SCHEMA_VERSION } from './migrations.js';

export type SqliteOptions = { readonly?: boolean };

/** SQLite's `IN (…)` lists are bound per batch; 500 keeps each statement small and reusable. */
const IN_BATCH = 500;

/**
 * Opens (creating when writable) an SQLite intel store. Normalised advisories are stored whole as
 * JSON; `affected` maps package names to advisory ids so a lookup parses only what it returns.
 */
export const openSqliteStore = (path: string, options: SqliteOptions = {}): AdvisoryStore => {
  const readonly = options.readonly === true;
  if (readonly && !existsSync(path))
    throw new InputError(path, 'does not exist; run `bulwark db update` or `bulwark db import <path>` first');
  let opened = openChecked(path, readonly);
  if (opened.outdated) {
    // A read-only user (a scan) of a database from an older Bulwark: migrate once, then reopen.
    opened.db.close();
    openChecked(path, false).db.close();
    opened = openChecked(path, true);
  }
  return createStore(opened.db, path, readonly);
};

const openChecked = (path: string, readonly: boolean): { db: Database.Database; outdated: boolean } => {
  let db: Database.Database;
  try {
    db = new Database(path, readonly ? { readonly: true, fileMustExist: true } : {});
  } catch (error) {
    throw new InputError(path, `cannot be opened as a database (${describe(error)})`);
  }
  try {
    return { db, outdated: prepareSchema(db, path, readonly) };
  } catch (error) {
    db.close();
    if (error instanceof InputError) throw error;
    throw new InputError(path, `is not a usable Bulwark database (${describe(error)})`);
  }
};

/** Checks the file and migrates it when writable; returns true when a read-only file needs migrating. */
const prepareSchema = (db: Database.Database, path: string, readonly: boolean): boolean => {
  // The first statement reads the header: a file that is not SQLite fails here.
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
  ).map((row) => row.name);
  const version = currentVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new InputError(
      path,
      `was written by a newer Bulwark (schema version ${version}; this version reads up to ${SCHEMA_VERSION}); upgrade Bulwark or use another --db`,
    );
  }
  // Lookups touch scattered pages of a file of a few hundred MB; mapping it avoids a read() per page.
  db.pragma('mmap_size = 1073741824');
  db.pragma('cache_size = -65536');
  if (version === 0 && tables.length > 0)
    throw new InputError(path, 'is an SQLite database, but not a Bulwark one (no migrations table)');
  if (version >= 1) {
    const columns = (db.prepare('PRAGMA table_info(affected)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    // Schema 1 changed shape before its first release; such a file is rebuilt, not migrated.
    if (!columns.includes('advisory'))
      throw new InputError(path, 'was created by a pre-release Bulwark build; delete it and import again');
  }
  if (readonly) return version < SCHEMA_VERSION;
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return false;
};

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

type AdvisoryRow = { name: string; id: string; json: string };

const createStore = (db: Database.Database, location: string, readonly: boolean): AdvisoryStore => {
  const lookup = batchedStatement(
    db,
    (marks) =>
      `SELECT af.name AS name, a.id AS id, a.json AS json FROM affected af JOIN advisories a ON a.rowid = af.advisory WHERE af.name IN (${marks})`,
  );
  const byId = db.prepare('SELECT json FROM advisories WHERE id = ?').pluck();
  const byAlias = db
    .prepare(
      'SELECT a.json FROM aliases al JOIN advisories a ON a.rowid = al.advisory WHERE al.alias = ? ORDER BY a.id LIMIT 1',
    )
    .pluck();

  const writeRequired = () => {
    if (readonly) throw new InputError(location, 'was opened read-only');
  };

  const importAdvisories: AdvisoryStore['importAdvisories'] = async (advisories, source) => {
    writeRequired();
    const existingOf = db.prepare('SELECT rowid, modified FROM advisories WHERE id = ?');
    const insert = db.prepare(
      'INSERT INTO advisories (id, modified, withdrawn, kind, severity, json) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const replace = db.prepare(
      'UPDATE advisories SET modified = ?, withdrawn = ?, kind = ?, severity = ?, json = ? WHERE rowid = ?',
    );
    const dropAffected = db.prepare('DELETE FROM affected WHERE advisory = ?');
    const addAffected = db.prepare(
      'INSERT OR IGNORE INTO affected (name, advisory, match, upper) VALUES (?, ?, ?, ?)',
    );
    const dropAliases = db.prepare('DELETE FROM aliases WHERE advisory = ?');
    const addAlias = db.prepare('INSERT OR IGNORE INTO aliases (alias, advisory) VALUES (?, ?)');
    const stats: ImportStats = { read: 0, added: 0, updated: 0, unchanged: 0, skipped: 0 };

    db.exec('BEGIN IMMEDIATE');
    try {
      for await (const advisory of advisories) {
        stats.read++;
        const modified = normaliseTime(advisory.modified);
        const existing = existingOf.get(advisory.id) as { rowid: number; modified: string } | undefined;
        if (existing !== undefined && existing.modified >= modified) {
          stats.unchanged++;
          continue;
        }
        const json = JSON.stringify(advisory);
        const withdrawn = advisory.withdrawn ?? null;
        let rowid: number | bigint;
        if (existing === undefined) {
          stats.added++;
          rowid = insert.run(
            advisory.id,
            modified,
            withdrawn,
            advisory.kind,
            advisory.severity.level,
            json,
          ).lastInsertRowid;
        } else {
          stats.updated++;
          rowid = existing.rowid;
          replace.run(modified, withdrawn, advisory.kind, advisory.severity.level, json, rowid);
          dropAffected.run(rowid);
          dropAliases.run(rowid);
        }
        for (const name of new Set(advisory.affected.map((pkg) => pkg.name))) {
          const blocks = advisory.affected.filter((pkg) => pkg.name === name);
          addAffected.run(
            name,
            rowid,
            matchJson(advisory, blocks),
            upperBoundKey(blocks, advisory.integrity),
          );
        }
        for (const alias of advisory.aliases) addAlias.run(alias, rowid);
      }
      writeSource(db, { ...source, importedAt: new Date().toISOString(), entries: stats.read });
      if (stats.added + stats.updated > 0 || !db.prepare('SELECT 1 FROM summary').get())
        db.prepare('INSERT OR REPLACE INTO summary (id, json) VALUES (1, ?)').run(
          JSON.stringify(countAll(db)),
        );
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
    return stats;
  };

  const advisoriesFor: AdvisoryStore['advisoriesFor'] = async (names) => {
    const parsed = new Map<string, Advisory>();
    const rows = inBatches(names, (batch) => lookup(batch.length).all(...batch) as AdvisoryRow[]);
    return groupByName(rows, (row) => {
      let advisory = parsed.get(row.id);
      if (!advisory) {
        advisory = JSON.parse(row.json) as Advisory;
        parsed.set(row.id, advisory);
      }
      return advisory;
    });
  };

  const candidatesLookup = batchedStatement(
    db,
    (marks) =>
      `SELECT af.name AS name, a.id AS id, af.match AS match FROM affected af JOIN advisories a ON a.rowid = af.advisory WHERE af.name IN (${marks})`,
  );
  // (name, lowest installed release key) pairs; a candidate whose upper bound is below is skipped.
  const boundedLookup = batchedStatement(
    db,
    (marks) =>
      `WITH q(name, low) AS (VALUES ${marks}) SELECT af.name AS name, a.id AS id, af.match AS match FROM q JOIN affected af ON af.name = q.name AND (af.upper IS NULL OR q.low IS NULL OR af.upper >= q.low) JOIN advisories a ON a.rowid = af.advisory`,
    '(?, ?)',
  );
  const matchCandidates: AdvisoryStore['matchCandidates'] = async (names, lowest) => {
    const rows = inBatches(
      names,
      (batch) =>
        (lowest
          ? boundedLookup(batch.length).all(
              ...batch.flatMap((name) => {
                const version = lowest.get(name);
                return [name, version === undefined ? null : (releaseKey(version) ?? null)];
              }),
            )
          : candidatesLookup(batch.length).all(...batch)) as MatchRow[],
    );
    return groupByName(rows, (row) => {
      const stored = JSON.parse(row.match) as StoredMatch;
      const candidate: MatchCandidate = { id: row.id, kind: stored.kind, affected: stored.affected ?? [] };
      if (stored.withdrawn) candidate.withdrawn = stored.withdrawn;
      if (stored.integrity) candidate.integrity = stored.integrity;
      return candidate;
    });
  };

  const recordsById = batchedStatement(
    db,
    (marks) => `SELECT id, json FROM advisories WHERE id IN (${marks})`,
  );
  const getAdvisories: AdvisoryStore['getAdvisories'] = async (ids) => {
    const rows = inBatches(
      ids,
      (batch) => recordsById(batch.length).all(...batch) as { id: string; json: string }[],
    );
    return new Map(rows.map((row) => [row.id, JSON.parse(row.json) as Advisory]));
  };

  const getAdvisory: AdvisoryStore['getAdvisory'] = async (id) => {
    const json = (byId.get(id) ?? byAlias.get(id)) as string | undefined;
    return json === undefined ? undefined : (JSON.parse(json) as Advisory);
  };

  const recordSource: AdvisoryStore['recordSource'] = async (state) => {
    writeRequired();
    writeSource(db, state);
  };

  const getSource: AdvisoryStore['getSource'] = async (name) => {
    const row = db.prepare('SELECT * FROM sources WHERE name = ?').get(name) as SourceRow | undefined;
    return row ? toSourceState(row) : undefined;
  };

  const status: AdvisoryStore['status'] = async () => {
    const cached = db.prepare('SELECT json FROM summary WHERE id = 1').pluck().get() as string | undefined;
    const counts = cached ? (JSON.parse(cached) as Counts) : countAll(db);
    const sources = (db.prepare('SELECT * FROM sources ORDER BY name').all() as SourceRow[]).map(
      toSourceState,
    );
    const lastImportAt = sources.reduce<string | undefined>(
      (latest, source) => (latest === undefined || source.importedAt > latest ? source.importedAt : latest),
      undefined,
    );
    const result: DbStatus = {
      location,
      schemaVersion: currentVersion(db),
      advisories: counts.advisories,
      vulnerabilities: counts.vulnerabilities,
      malware: counts.malware,
      withdrawn: counts.withdrawn,
      packages: counts.packages,
      sources,
    };
    if (counts.newestModified !== null) result.newestModified = counts.newestModified;
    if (lastImportAt !== undefined) result.lastImportAt = lastImportAt;
    return result;
  };

  const close: AdvisoryStore['close'] = async () => {
    if (db.open) db.close();
  };

  return {
    importAdvisories,
    advisoriesFor,
    matchCandidates,
    getAdvisories,
    getAdvisory,
    recordSource,
    getSource,
    status,
    close,
  };
};

type MatchRow = { name: string; id: string; match: string };
type StoredMatch = Pick<MatchCandidate, 'kind' | 'affected'> & {
  withdrawn?: string | null;
  integrity?: string[] | null;
};

const matchJson = (advisory: Advisory, blocks: AffectedPackage[]): string =>
  JSON.stringify({
    kind: advisory.kind,
    withdrawn: advisory.withdrawn ?? null,
    integrity: advisory.integrity ?? null,
    affected: blocks,
  });

/** Runs `query` over the distinct `keys`, IN_BATCH at a time, and returns every row. */
const inBatches = <R>(keys: Iterable<string>, query: (batch: string[]) => R[]): R[] => {
  const unique = [...new Set(keys)];
  const rows: R[] = [];
  for (let start = 0; start < unique.length; start += IN_BATCH) {
    for (const row of query(unique.slice(start, start + IN_BATCH))) rows.push(row);
  }
  return rows;
};

/** Rows grouped by package name, each group sorted by advisory id. */
const groupByName = <R extends { name: string }, T extends { id: string }>(
  rows: readonly R[],
  item: (row: R) => T,
): Map<string, T[]> => {
  const result = new Map<string, T[]>();
  for (const row of rows) {
    const list = result.get(row.name);
    if (list) list.push(item(row));
    else result.set(row.name, [item(row)]);
  }
  for (const list of result.values()) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return result;
};

/** One prepared statement per `IN (…)` list size, built on first use. */
const batchedStatement = (db: Database.Database, sql: (marks: string) => string, mark = '?') => {
  const cache = new Map<number, Database.Statement>();
  return (size: number): Database.Statement => {
    let statement = cache.get(size);
    if (!statement) {
      statement = db.prepare(sql(Array(size).fill(mark).join(',')));
      cache.set(size, statement);
    }
    return statement;
  };
};

type Counts = {
  advisories: number;
  vulnerabilities: number;
  malware: number;
  withdrawn: number;
  packages: number;
  newestModified: string | null;
};

const countAll = (db: Database.Database): Counts => {
  const counts = db
    .prepare(
      `SELECT COUNT(*) AS advisories,
         COALESCE(SUM(kind = 'vulnerability'), 0) AS vulnerabilities,
         COALESCE(SUM(kind = 'malware'), 0) AS malware,
         COALESCE(SUM(withdrawn IS NOT NULL), 0) AS withdrawn,
         MAX(modified) AS newestModified
       FROM advisories`,
    )
    .get() as Omit<Counts, 'packages'>;
  const packages = db.prepare('SELECT COUNT(DISTINCT name) FROM affected').pluck().get() as number;
  return { ...counts, packages };
};

type SourceRow = {
  name: string;
  location: string;
  imported_at: string;
  etag: string | null;
  last_modified: string | null;
  entries: number;
};

const writeSource = (db: Database.Database, state: SourceState & ImportSource): void => {
  db.prepare(
    `INSERT INTO sources (name, location, imported_at, etag, last_modified, entries) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET location = excluded.location, imported_at = excluded.imported_at,
       etag = excluded.etag, last_modified = excluded.last_modified, entries = excluded.entries`,
  ).run(
    state.name,
    state.location,
    state.importedAt,
    state.etag ?? null,
    state.lastModified ?? null,
    state.entries,
  );
};

const toSourceState = (row: SourceRow): SourceState => {
  const state: SourceState = {
    name: row.name,
    location: row.location,
    importedAt: row.imported_at,
    entries: row.entries,
  };
  if (row.etag !== null) state.etag = row.etag;
  if (row.last_modified !== null) state.lastModified = row.last_modified;
  return state;
};

/** Timestamps compare as text once they share one form; OSV writes several (with and without fractions). */
const normaliseTime = (value: string): string => {
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
};
