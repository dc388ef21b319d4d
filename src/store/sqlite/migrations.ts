import type { Database } from 'better-sqlite3';
import type { AffectedPackage } from '../../core/advisory.js';
import { upperBoundKey } from '../upper-bound.js';

/** Numbered schema steps. Append only: a released step is never edited. */
export type Migration = {
  version: number;
  sql: string;
  /** Data work SQL cannot do, run after `sql` in the same transaction. */
  run?: (db: Database) => void;
};

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE advisories (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        modified TEXT NOT NULL,
        withdrawn TEXT,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        json TEXT NOT NULL
      );
      CREATE TABLE affected (
        name TEXT NOT NULL,
        advisory INTEGER NOT NULL,
        PRIMARY KEY (name, advisory)
      ) WITHOUT ROWID;
      CREATE INDEX affected_by_advisory ON affected (advisory);
      CREATE TABLE aliases (
        alias TEXT NOT NULL,
        advisory INTEGER NOT NULL,
        PRIMARY KEY (alias, advisory)
      ) WITHOUT ROWID;
      CREATE INDEX aliases_by_advisory ON aliases (advisory);
      CREATE TABLE sources (
        name TEXT PRIMARY KEY,
        location TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        entries INTEGER NOT NULL
      );
    `,
  },
  {
    // Counts for `status()`, refreshed by each import: counting 200,000 rows on every scan costs ~150 ms.
    version: 2,
    sql: `
      CREATE TABLE summary (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        json TEXT NOT NULL
      );
    `,
  },
  {
    // The match view of each (package, advisory) pair: a scan parses ~150 bytes per candidate
    // instead of the whole record (~1 KB), and the whole record only for what matches.
    version: 3,
    sql: `
      ALTER TABLE affected ADD COLUMN match TEXT NOT NULL DEFAULT '{}';
      UPDATE affected SET match = (
        SELECT json_object(
          'kind', a.kind,
          'withdrawn', a.withdrawn,
          'integrity', json(json_extract(a.json, '$.integrity')),
          'affected', json((
            SELECT json_group_array(json(value)) FROM json_each(a.json, '$.affected')
            WHERE json_extract(value, '$.name') = affected.name
          ))
        )
        FROM advisories a WHERE a.rowid = affected.advisory
      );
    `,
  },
  {
    // The highest release each (package, advisory) pair can affect, so a scan skips candidates
    // its installed versions are already past without reading them (most of a real database).
    version: 4,
    sql: 'ALTER TABLE affected ADD COLUMN upper TEXT',
    run: (db) => {
      const rows = db.prepare('SELECT name, advisory, match FROM affected').all() as {
        name: string;
        advisory: number;
        match: string;
      }[];
      const update = db.prepare('UPDATE affected SET upper = ? WHERE name = ? AND advisory = ?');
      for (const row of rows) {
        const match = JSON.parse(row.match) as { affected?: AffectedPackage[]; integrity?: string[] | null };
        update.run(upperBoundKey(match.affected ?? [], match.integrity ?? undefined), row.name, row.advisory);
      }
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export const currentVersion = (db: Database): number => {
  const table = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'migrations'")
    .get() as { name: string } | undefined;
  if (!table) return 0;
  const row = db.prepare('SELECT MAX(version) AS version FROM migrations').get() as {
    version: number | null;
  };
  return row.version ?? 0;
};

/** Applies every step above the database's version, each in its own transaction. */
export const migrate = (db: Database): void => {
  db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const from = currentVersion(db);
  for (const step of MIGRATIONS) {
    if (step.version <= from) continue;
    db.transaction(() => {
      db.exec(step.sql);
      step.run?.(db);
      db.prepare('INSERT INTO migrations (version, applied_at) VALUES (?, ?)').run(
        step.version,
        new Date().toISOString(),
      );
    })();
  }
};
