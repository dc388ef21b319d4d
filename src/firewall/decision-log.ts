import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { InputError } from '../core/errors.js';
import { dataDir } from '../core/paths.js';
import { RULE_IDS } from '../policy/firewall/schema.js';
import type { Action, RuleId } from '../policy/firewall/types.js';
import { describe, openSqliteFile } from './sqlite-file.js';
import type { ClientName, DecisionLog, DecisionQuery, DecisionRecord } from './types.js';

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 10_000;
/** A batch this large is written at once instead of waiting for the next turn of the event loop. */
const MAX_PENDING = 1000;
const SCHEMA_VERSION = 1;

/** `<data dir>/firewall/decisions.db`: where the firewall records and `bulwark firewall log` reads. */
export const defaultDecisionLogPath = (env: NodeJS.ProcessEnv = process.env): string =>
  join(dataDir(env), 'firewall', 'decisions.db');

export type DecisionLogOptions = {
  /** Open an existing log for reading only (`bulwark firewall log`); a missing file is an InputError. */
  readonly?: boolean;
  /** Called when a batch of decisions cannot be written; the default prints one line to stderr. */
  onError?: (error: Error) => void;
  /** Decisions older than this many days are deleted on open and once a day after; default 90. */
  retainDays?: number;
  /** The clock for retention; tests pass a fixed one. */
  now?: () => Date;
};

export const DEFAULT_RETAIN_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export type OpenedDecisionLog = DecisionLog & {
  /** Writes the decisions recorded so far; `query` and `close` do this themselves. */
  flush: () => void;
};

type Row = {
  time: string;
  client: string;
  client_version: string | null;
  project: string | null;
  session: string | null;
  package: string;
  version: string;
  request: string;
  action: string;
  would_be: string | null;
  rule: string | null;
  reason: string;
  waiver: string | null;
};

const COLUMNS =
  'time, client, client_version, project, session, package, version, request, action, would_be, rule, reason, waiver';

/**
 * Opens (creating when writable) the decision log: one append-only SQLite table. `record` only
 * queues: decisions are written together in one transaction on the next turn of the event loop,
 * so the request path never waits on the disk.
 */
export const openDecisionLog = (location: string, options: DecisionLogOptions = {}): OpenedDecisionLog => {
  const readonly = options.readonly === true;
  const db = openDatabase(location, readonly);
  const insert = readonly
    ? undefined
    : db.prepare(
        `INSERT INTO decisions (${COLUMNS}) VALUES (@time, @client, @client_version, @project, @session, @package, @version, @request, @action, @would_be, @rule, @reason, @waiver)`,
      );
  const now = options.now ?? (() => new Date());
  const retainMs = (options.retainDays ?? DEFAULT_RETAIN_DAYS) * DAY_MS;
  const prune = readonly ? undefined : db.prepare<[string]>('DELETE FROM decisions WHERE time < ?');
  let prunedAt = Number.NEGATIVE_INFINITY;
  /** A firewall runs for months: its log keeps `retainDays`, not everything. */
  const pruneDaily = (): void => {
    const at = now().getTime();
    if (!prune || at - prunedAt < DAY_MS) return;
    prunedAt = at;
    prune.run(new Date(at - retainMs).toISOString());
  };
  try {
    pruneDaily();
  } catch (error) {
    db.close();
    throw new InputError(location, `cannot prune old decisions (${describe(error)})`);
  }
  let pending: Row[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  let closed = false;
  let lastWarning = Number.NEGATIVE_INFINITY;
  const onError =
    options.onError ??
    ((error: Error) => {
      // A full disk fails every batch: say so once a minute, not once a request.
      if (Date.now() - lastWarning < 60_000) return;
      lastWarning = Date.now();
      process.stderr.write(`bulwark firewall: decisions not recorded: ${error.message}\n`);
    });
  // One bad record must not lose the batch: a failed INSERT only undoes itself, not the transaction.
  const writeAll = insert
    ? db.transaction((rows: Row[]): Error | undefined => {
        let failed: Error | undefined;
        for (const row of rows) {
          try {
            insert.run(row);
          } catch (error) {
            failed ??= error instanceof Error ? error : new Error(String(error));
          }
        }
        return failed;
      })
    : undefined;

  const flush = (): void => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    if (pending.length === 0 || !writeAll) return;
    const rows = pending;
    pending = [];
    try {
      pruneDaily();
      const failed = writeAll(rows);
      if (failed) onError(failed);
    } catch (error) {
      onError(error instanceof Error ? error : new Error(String(error)));
    }
  };

  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  return {
    location,
    record: (decision) => {
      if (closed) throw new Error('the decision log is closed');
      if (readonly) throw new Error(`${location}: the decision log was opened read-only`);
      pending.push(toRow(decision));
      if (pending.length >= MAX_PENDING) flush();
      else scheduled ??= setImmediate(flush);
    },
    query: (query) => {
      if (closed) throw new Error('the decision log is closed');
      flush();
      const { sql, params } = buildQuery(query);
      return (prepared(sql).all(params) as Row[]).map(fromRow);
    },
    flush,
    close: () => {
      if (closed) return;
      flush();
      closed = true;
      db.close();
    },
  };
};

const openDatabase = (location: string, readonly: boolean): Database.Database =>
  openSqliteFile({
    location,
    what: 'decision log',
    schemaVersion: SCHEMA_VERSION,
    table: 'decisions',
    readonly,
    relaxedSync: true,
    schema: `
        CREATE TABLE IF NOT EXISTS decisions (
          id INTEGER PRIMARY KEY,
          time TEXT NOT NULL,
          client TEXT NOT NULL,
          client_version TEXT,
          project TEXT,
          session TEXT,
          package TEXT NOT NULL,
          version TEXT NOT NULL,
          request TEXT NOT NULL,
          action TEXT NOT NULL,
          would_be TEXT,
          rule TEXT,
          reason TEXT NOT NULL,
          waiver TEXT
        );
        CREATE INDEX IF NOT EXISTS decisions_time ON decisions (time);
        CREATE INDEX IF NOT EXISTS decisions_package ON decisions (package, time);
        CREATE INDEX IF NOT EXISTS decisions_session ON decisions (session, time);
        -- Most decisions are allows; this keeps "what was denied" from scanning them all.
        CREATE INDEX IF NOT EXISTS decisions_action ON decisions (action, time);
      `,
  });

/** ISO 8601 in one form (`toISOString`), so that text order is time order. */
export const normaliseTime = (time: string): string | undefined => {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

const toRow = (d: DecisionRecord): Row => ({
  time: normaliseTime(d.time) ?? new Date().toISOString(),
  client: d.client,
  client_version: d.clientVersion ?? null,
  project: d.project ?? null,
  session: d.session ?? null,
  package: d.package,
  version: d.version,
  request: d.request,
  action: d.action,
  would_be: d.wouldBe ?? null,
  rule: d.rule ?? null,
  reason: d.reason,
  waiver: d.waiver ?? null,
});

const fromRow = (row: Row): DecisionRecord => {
  const record: DecisionRecord = {
    time: row.time,
    client: row.client as ClientName,
    package: row.package,
    version: row.version,
    request: row.request as DecisionRecord['request'],
    action: row.action as Action,
    reason: row.reason,
  };
  if (row.client_version !== null) record.clientVersion = row.client_version;
  if (row.project !== null) record.project = row.project;
  if (row.session !== null) record.session = row.session;
  if (row.would_be !== null) record.wouldBe = row.would_be as Action;
  if (row.rule !== null) record.rule = row.rule as DecisionRecord['rule'];
  if (row.waiver !== null) record.waiver = row.waiver;
  return record;
};

/** The SQL of a query; `package` is a name, or a scope (`@acme`) for all of its packages. */
const buildQuery = (query: DecisionQuery): { sql: string; params: Record<string, unknown> } => {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.package !== undefined) {
    if (/^@[^/]+$/.test(query.package)) {
      where.push('package >= @scopeFrom AND package < @scopeTo');
      params.scopeFrom = `${query.package}/`;
      // '0' sorts right after '/', so this range is every `@scope/…` name.
      params.scopeTo = `${query.package}0`;
    } else {
      where.push('package = @package');
      params.package = query.package;
    }
  }
  if (query.actions !== undefined && query.actions.length > 0) {
    const names = query.actions.map((action, i) => {
      params[`action${i}`] = action;
      return `@action${i}`;
    });
    where.push(`action IN (${names.join(', ')})`);
  }
  for (const [key, column] of [
    ['rule', 'rule'],
    ['client', 'client'],
    ['project', 'project'],
    ['session', 'session'],
  ] as const) {
    const value = query[key];
    if (value !== undefined) {
      where.push(`${column} = @${key}`);
      params[key] = value;
    }
  }
  if (query.since !== undefined) {
    const since = normaliseTime(query.since);
    if (since === undefined) throw new InputError('since', `"${query.since}" is not an ISO 8601 time`);
    where.push('time >= @since');
    params.since = since;
  }
  const limit =
    query.limit !== undefined && Number.isFinite(query.limit) ? Math.trunc(query.limit) : DEFAULT_QUERY_LIMIT;
  params.limit = Math.min(Math.max(1, limit), MAX_QUERY_LIMIT);
  const sql = `SELECT ${COLUMNS} FROM decisions${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY time DESC, id DESC LIMIT @limit`;
  return { sql, params };
};

/** A query as typed: CLI flags or URL parameters, every value a string. */
export type RawDecisionQuery = {
  package?: string;
  /** Each may be a comma list: `deny,hide`. */
  action?: string[];
  rule?: string;
  client?: string;
  project?: string;
  session?: string;
  /** ISO 8601 (`2026-11-28`, `2026-11-28T10:00Z`) or an age: `30m`, `24h`, `7d`, `2w`. */
  since?: string;
  limit?: string;
};

const ACTIONS: readonly Action[] = ['allow', 'warn', 'hide', 'deny'];
const CLIENTS: readonly ClientName[] = ['npm', 'pnpm', 'yarn', 'bun', 'other'];
const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const AGE = /^(\d{1,6})([mhdw])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * Checks and converts a typed query. Problems are InputErrors naming the field as `name` spells
 * it (`--since` for the CLI, `since` for the admin API).
 */
export const parseDecisionQuery = (
  raw: RawDecisionQuery,
  now: Date = new Date(),
  name: (field: keyof RawDecisionQuery) => string = (field) => field,
): DecisionQuery => {
  const query: DecisionQuery = {};
  const fail = (field: keyof RawDecisionQuery, problem: string): never => {
    throw new InputError(name(field), problem);
  };
  if (raw.package !== undefined) {
    if (!/^(@[^/\s]+\/)?[^/\s@][^/\s]*$|^@[^/\s]+$/.test(raw.package))
      fail('package', `"${raw.package}" is not a package name or a scope (@acme)`);
    query.package = raw.package;
  }
  if (raw.action !== undefined) {
    const actions = raw.action.flatMap((a) => a.split(',')).map((a) => a.trim().toLowerCase());
    for (const action of actions)
      if (!(ACTIONS as readonly string[]).includes(action))
        fail('action', `"${action}" is not one of ${ACTIONS.join(', ')}`);
    query.actions = [...new Set(actions)] as Action[];
  }
  if (raw.rule !== undefined) {
    if (!(RULE_IDS as readonly string[]).includes(raw.rule))
      fail('rule', `"${raw.rule}" is not one of ${RULE_IDS.join(', ')}`);
    query.rule = raw.rule as RuleId;
  }
  if (raw.client !== undefined) {
    if (!(CLIENTS as readonly string[]).includes(raw.client))
      fail('client', `"${raw.client}" is not one of ${CLIENTS.join(', ')}`);
    query.client = raw.client as ClientName;
  }
  if (raw.project !== undefined) query.project = raw.project;
  if (raw.session !== undefined) query.session = raw.session;
  if (raw.since !== undefined) {
    const since = raw.since.trim();
    const age = AGE.exec(since);
    if (age) query.since = new Date(now.getTime() - Number(age[1]) * UNIT_MS[age[2] as 'm']).toISOString();
    else if (ISO_TIME.test(since) && normaliseTime(since) !== undefined) query.since = normaliseTime(since)!;
    else fail('since', `"${raw.since}" is not an ISO 8601 date or time, or an age like 30m, 24h, 7d, 2w`);
  }
  if (raw.limit !== undefined) {
    const limit = /^\d{1,9}$/.test(raw.limit.trim()) ? Number(raw.limit.trim()) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_QUERY_LIMIT))
      fail('limit', `"${raw.limit}" is not a whole number from 1 to ${MAX_QUERY_LIMIT}`);
    query.limit = limit;
  }
  return query;
};
