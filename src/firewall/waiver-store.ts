import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { InputError } from '../core/errors.js';
import { dataDir } from '../core/paths.js';
import { parseFirewallPolicy } from '../policy/firewall/load.js';
import type { PolicyException } from '../policy/firewall/types.js';
import { openSqliteFile } from './sqlite-file.js';
import type { StoredWaiver, WaiverStore } from './types.js';

const SCHEMA_VERSION = 1;

/** `<data dir>/firewall/waivers.db`, beside the decision log. */
export const defaultWaiverStorePath = (env: NodeJS.ProcessEnv = process.env): string =>
  join(dataDir(env), 'firewall', 'waivers.db');

export type WaiverStoreOptions = {
  /** The clock that decides whether an `expires` date is already past; tests pass a fixed one. */
  now?: () => Date;
};

/** A waiver's one-line problem: `expires: must be a date written YYYY-MM-DD`. */
export class WaiverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WaiverError';
  }
}

/**
 * Checks a waiver exactly as a policy file's exception is checked (package or scope, semver
 * range, known rules, reason, calendar expiry date, `allowMalware` to waive malware) and that it
 * has not already expired. Throws WaiverError; returns the exception with its reason trimmed.
 */
export const validateWaiver = (input: unknown, now: Date = new Date()): PolicyException => {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    throw new WaiverError('a waiver must be a JSON object');
  let parsed: PolicyException;
  try {
    const policy = parseFirewallPolicy(JSON.stringify({ exceptions: [input] }), 'waiver');
    parsed = policy.exceptions[0]!;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // The policy loader names `waiver:1:2: exceptions[0].field: problem`; a waiver is one entry.
    const message = error.message
      .slice(error.message.indexOf(': ') + 2)
      .replace(/^exceptions\[0\]\.?/, '')
      .replace(/^: /, '');
    throw new WaiverError(message);
  }
  const { source: _source, ...exception } = parsed;
  const today = now.toISOString().slice(0, 10);
  if (exception.expires <= today)
    throw new WaiverError(`expires: ${exception.expires} is not after today (${today})`);
  return exception;
};

const newId = (): string => `w-${randomBytes(5).toString('hex')}`;

type Row = { id: string; created_at: string; waiver: string };

/**
 * Opens (creating) the waiver store: waivers added at run time through the admin API, kept in
 * SQLite so they survive a restart and other firewall processes on the same data directory see
 * them. `list` is cached and re-read only when some connection has changed the file.
 */
export const openWaiverStore = (location: string, options: WaiverStoreOptions = {}): WaiverStore => {
  const now = options.now ?? (() => new Date());
  const db = openDatabase(location);
  const insert = db.prepare('INSERT INTO waivers (id, created_at, waiver) VALUES (?, ?, ?)');
  const remove = db.prepare('DELETE FROM waivers WHERE id = ?');
  const select = db.prepare('SELECT id, created_at, waiver FROM waivers ORDER BY created_at, rowid');
  let cached: StoredWaiver[] | undefined;
  let cachedAt = -1;
  let closed = false;
  const dataVersion = (): number => db.pragma('data_version', { simple: true }) as number;
  const check = () => {
    if (closed) throw new Error('the waiver store is closed');
  };

  return {
    list: () => {
      check();
      const version = dataVersion();
      if (cached === undefined || version !== cachedAt) {
        cached = (select.all() as Row[]).map(fromRow);
        cachedAt = version;
      }
      return cached.map((w) => ({ ...w }));
    },
    add: (waiver) => {
      check();
      const exception = validateWaiver(waiver, now());
      const id = newId();
      const stored: StoredWaiver = {
        ...exception,
        id,
        createdAt: now().toISOString(),
        source: `waiver ${id}`,
      };
      insert.run(stored.id, stored.createdAt, JSON.stringify(exception));
      // data_version does not change for this connection's own writes.
      cached = undefined;
      return { ...stored };
    },
    remove: (id) => {
      check();
      const changed = remove.run(id).changes > 0;
      if (changed) cached = undefined;
      return changed;
    },
    close: () => {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
};

const fromRow = (row: Row): StoredWaiver => ({
  ...(JSON.parse(row.waiver) as PolicyException),
  id: row.id,
  createdAt: row.created_at,
  source: `waiver ${row.id}`,
});

const openDatabase = (location: string): Database.Database =>
  openSqliteFile({
    location,
    what: 'waiver store',
    schemaVersion: SCHEMA_VERSION,
    table: 'waivers',
    schema: `
      CREATE TABLE IF NOT EXISTS waivers (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        waiver TEXT NOT NULL
      );
    `,
  });
