import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../core/errors.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { AdvisoryStore } from './store.js';

export type OpenStoreOptions = {
  /** Open an existing database without writing to it (scans). A missing file is an InputError. */
  readonly?: boolean;
};

/** Opens the intel store at `path` (SQLite), creating the file and its directories when writable. */
export const openStore = async (path: string, options: OpenStoreOptions = {}): Promise<AdvisoryStore> => {
  if (!options.readonly) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new InputError(path, `cannot create the database directory (${code})`);
    }
  }
  return openSqliteStore(path, options);
};
