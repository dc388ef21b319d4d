import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { InputError } from '../core/errors.js';

export type SqliteFileOptions = {
  location: string;
  /** What the file is, for errors: `decision log`, `waiver store`. */
  what: string;
  schemaVersion: number;
  /** The table that marks a file as ours (checked when read-only) and the statements creating it. */
  table: string;
  schema: string;
  /** Open an existing file for reading only; a missing file is an InputError. */
  readonly?: boolean;
  /** `synchronous = NORMAL`: in WAL mode it may lose the last transactions on power loss, never corrupts. */
  relaxedSync?: boolean;
};

/**
 * Opens (creating when writable) one of the firewall's SQLite files in WAL mode with a busy
 * timeout, refusing a file a newer Bulwark wrote. Every problem is an InputError naming the file.
 */
export const openSqliteFile = (options: SqliteFileOptions): Database.Database => {
  const { location, what, schemaVersion, readonly = false } = options;
  if (!readonly) {
    try {
      mkdirSync(dirname(location), { recursive: true });
    } catch (error) {
      throw new InputError(location, `cannot create the directory (${describe(error)})`);
    }
  }
  let db: Database.Database;
  try {
    db = new Database(location, readonly ? { readonly: true, fileMustExist: true } : {});
  } catch (error) {
    if (readonly && (error as { code?: string }).code === 'SQLITE_CANTOPEN')
      throw new InputError(location, 'does not exist');
    throw new InputError(location, `cannot be opened as a database (${describe(error)})`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      if (options.relaxedSync) db.pragma('synchronous = NORMAL');
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > schemaVersion)
      throw new InputError(location, `was written by a newer Bulwark (${what} version ${version})`);
    if (readonly) {
      const exists = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
        .get(options.table);
      if (!exists) throw new InputError(location, `is not a Bulwark ${what} (no ${options.table} table)`);
    } else {
      db.exec(options.schema);
      db.pragma(`user_version = ${schemaVersion}`);
    }
  } catch (error) {
    db.close();
    if (error instanceof InputError) throw error;
    throw new InputError(location, `is not a usable ${what} (${describe(error)})`);
  }
  return db;
};

export const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
