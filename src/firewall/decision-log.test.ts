import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import {
  defaultDecisionLogPath,
  MAX_QUERY_LIMIT,
  openDecisionLog,
  parseDecisionQuery,
} from './decision-log.js';
import type { DecisionRecord } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'bulwark-decisions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => join(dir, `case-${++counter}`, 'firewall', 'decisions.db');

const at = (minute: number) => new Date(Date.UTC(2026, 10, 28, 12, minute)).toISOString();

const decision = (over: Partial<DecisionRecord> = {}): DecisionRecord => ({
  time: at(0),
  client: 'npm',
  package: 'left-pad',
  version: '1.3.0',
  request: 'tarball',
  action: 'allow',
  reason: 'no rule matched',
  ...over,
});

/** A small, varied log: minute i, alternating clients, actions, packages and sessions. */
const seed = (): DecisionRecord[] => [
  decision({ time: at(1), package: 'evil-pkg', action: 'deny', rule: 'malware', reason: 'MAL-2025-1' }),
  decision({ time: at(2), client: 'pnpm', package: '@acme/util', version: '2.0.0', session: 's1' }),
  decision({
    time: at(3),
    client: 'yarn',
    clientVersion: 'yarn/4.5.0',
    project: '/home/u/app',
    session: 's1',
    package: 'fresh',
    version: '9.0.0',
    request: 'packument',
    action: 'hide',
    rule: 'minimumReleaseAge',
    reason: 'published 2 hours ago',
  }),
  decision({
    time: at(4),
    package: '@acme/core',
    action: 'warn',
    wouldBe: 'deny',
    rule: 'installScripts',
    reason: 'postinstall not allowed',
  }),
  decision({
    time: at(5),
    client: 'bun',
    package: 'evil-pkg',
    version: '1.0.1',
    action: 'allow',
    waiver: 'w1',
  }),
  decision({ time: at(6), package: '@acmex/other', action: 'warn', rule: 'deprecated', reason: 'old' }),
];

describe('decision log', () => {
  it('lives in <data dir>/firewall/decisions.db', () => {
    expect(defaultDecisionLogPath({ BULWARK_HOME: '/data/bw' })).toBe('/data/bw/firewall/decisions.db');
  });

  it('stores every field and gives records back newest first, optional fields absent when unset', () => {
    const log = openDecisionLog(freshPath());
    const records = seed();
    // Recorded out of order: the log orders by time, not by insertion.
    for (const r of [...records].reverse()) log.record(r);
    const all = log.query({});
    expect(all).toEqual([...records].sort((a, b) => b.time.localeCompare(a.time)));
    expect(Object.keys(all.at(-1)!).sort()).toEqual(
      ['action', 'client', 'package', 'reason', 'request', 'rule', 'time', 'version'].sort(),
    );
    log.close();
  });

  it('filters by package, scope, actions, rule, client, project, session and since', () => {
    const log = openDecisionLog(freshPath());
    const records = seed();
    for (const r of records) log.record(r);
    const times = (q: Parameters<typeof log.query>[0]) => log.query(q).map((r) => r.time);
    const expected = (keep: (r: DecisionRecord) => boolean) =>
      records
        .filter(keep)
        .map((r) => r.time)
        .sort()
        .reverse();
    expect(times({ package: 'evil-pkg' })).toEqual(expected((r) => r.package === 'evil-pkg'));
    expect(times({ package: '@acme' })).toEqual(expected((r) => r.package.startsWith('@acme/')));
    expect(times({ package: '@acme/core' })).toEqual([at(4)]);
    expect(times({ actions: ['deny', 'hide'] })).toEqual(
      expected((r) => ['deny', 'hide'].includes(r.action)),
    );
    expect(times({ actions: [] })).toHaveLength(records.length);
    expect(times({ rule: 'malware' })).toEqual([at(1)]);
    expect(times({ client: 'npm' })).toEqual(expected((r) => r.client === 'npm'));
    expect(times({ project: '/home/u/app' })).toEqual([at(3)]);
    expect(times({ session: 's1' })).toEqual([at(3), at(2)]);
    expect(times({ since: at(4) })).toEqual([at(6), at(5), at(4)]);
    // Another spelling of the same instant.
    expect(times({ since: '2026-11-28T13:04:00+01:00' })).toEqual([at(6), at(5), at(4)]);
    expect(times({ package: 'evil-pkg', actions: ['allow'], client: 'bun' })).toEqual([at(5)]);
    expect(times({ package: 'nothing-here' })).toEqual([]);
    expect(() => log.query({ since: 'yesterday' })).toThrow(InputError);
    log.close();
  });

  it('returns the newest `limit` records: 100 by default, at most 10 000', () => {
    const log = openDecisionLog(freshPath());
    for (let i = 0; i < MAX_QUERY_LIMIT + 50; i++)
      log.record(
        decision({ time: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), version: `1.0.${i}` }),
      );
    expect(log.query({}).map((r) => r.version)).toEqual(
      Array.from({ length: 100 }, (_, i) => `1.0.${MAX_QUERY_LIMIT + 49 - i}`),
    );
    expect(log.query({ limit: 3 }).map((r) => r.version)).toEqual(['1.0.10049', '1.0.10048', '1.0.10047']);
    expect(log.query({ limit: 1_000_000 })).toHaveLength(MAX_QUERY_LIMIT);
    expect(log.query({ limit: 0 })).toHaveLength(1);
    log.close();
  });

  it('keeps insertion order among decisions taken in the same millisecond', () => {
    const log = openDecisionLog(freshPath());
    for (const version of ['1.0.0', '1.0.1', '1.0.2']) log.record(decision({ version }));
    expect(log.query({}).map((r) => r.version)).toEqual(['1.0.2', '1.0.1', '1.0.0']);
    log.close();
  });

  it('writes queued decisions together on the next turn of the event loop, and on close', async () => {
    const path = freshPath();
    const log = openDecisionLog(path);
    const reader = new Database(path, { readonly: true });
    const count = () => reader.prepare('SELECT count(*) FROM decisions').pluck().get();
    log.record(decision());
    log.record(decision({ version: '2.0.0' }));
    expect(count()).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(count()).toBe(2);
    log.record(decision({ version: '3.0.0' }));
    log.close();
    expect(count()).toBe(3);
    reader.close();
    expect(() => log.record(decision())).toThrow(/closed/);
  });

  it('survives a restart, uses WAL and indexes package lookups', () => {
    const path = freshPath();
    const first = openDecisionLog(path);
    first.record(decision({ package: 'a' }));
    first.close();
    const second = openDecisionLog(path);
    second.record(decision({ package: 'b', time: at(9) }));
    expect(second.query({}).map((r) => r.package)).toEqual(['b', 'a']);
    second.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM decisions WHERE package = 'a' ORDER BY time DESC LIMIT 5")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX decisions_package/);
    const denied = db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT * FROM decisions WHERE action IN ('deny') ORDER BY time DESC LIMIT 5",
      )
      .all() as { detail: string }[];
    expect(denied.map((p) => p.detail).join(' ')).toMatch(/USING INDEX decisions_action/);
    db.close();
  });

  it('keeps `retainDays` of decisions: older ones go on open and once a day after', async () => {
    const path = freshPath();
    let clock = new Date('2026-11-28T12:00:00Z');
    const day = (n: number) => new Date(clock.getTime() - n * 24 * 60 * 60 * 1000).toISOString();
    const first = openDecisionLog(path, { retainDays: 30, now: () => clock });
    first.record(decision({ package: 'old', time: day(40) }));
    first.record(decision({ package: 'recent', time: day(10) }));
    first.close();
    const second = openDecisionLog(path, { retainDays: 30, now: () => clock });
    expect(second.query({}).map((r) => r.package)).toEqual(['recent']);
    // Within the day nothing more goes; a day later, what has aged past 30 days does.
    clock = new Date(clock.getTime() + 21 * 24 * 60 * 60 * 1000);
    second.record(decision({ package: 'new', time: clock.toISOString() }));
    expect(second.query({}).map((r) => r.package)).toEqual(['new']);
    second.close();
  });

  it('reads a log another connection is writing, read-only', () => {
    const path = freshPath();
    const writer = openDecisionLog(path);
    writer.record(decision({ action: 'deny', rule: 'malware' }));
    writer.flush();
    const reader = openDecisionLog(path, { readonly: true });
    expect(reader.query({ actions: ['deny'] })).toHaveLength(1);
    expect(() => reader.record(decision())).toThrow(/read-only/);
    reader.close();
    writer.close();
  });

  it('names a missing file and a file that is not a decision log', () => {
    const missing = join(dir, 'missing.db');
    expect(() => openDecisionLog(missing, { readonly: true })).toThrow(`${missing}: does not exist`);
    const text = join(dir, 'text.db');
    writeFileSync(text, 'not sqlite\n'.repeat(100));
    expect(() => openDecisionLog(text)).toThrow(InputError);
    const other = join(dir, 'other.db');
    new Database(other).exec('CREATE TABLE t (x)').close();
    expect(() => openDecisionLog(other, { readonly: true })).toThrow(/not a Bulwark decision log/);
  });

  it('keeps the rest of a batch when one record cannot be stored', async () => {
    const errors: Error[] = [];
    const log = openDecisionLog(freshPath(), { onError: (error) => errors.push(error) });
    log.record(decision({ version: '1.0.0' }));
    log.record({ ...decision(), reason: undefined } as unknown as DecisionRecord);
    log.record(decision({ version: '3.0.0' }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
    expect(log.query({}).map((r) => r.version)).toEqual(['3.0.0', '1.0.0']);
    log.close();
  });

  it('reports a failed write through onError instead of throwing on the request path', async () => {
    const path = freshPath();
    const errors: Error[] = [];
    const log = openDecisionLog(path, { onError: (error) => errors.push(error) });
    const other = new Database(path);
    other.exec('DROP TABLE decisions');
    other.close();
    log.record(decision());
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/no such table/)]);
    log.close();
  });
});

describe('parseDecisionQuery', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  const flag = (field: string) => `--${field}`;
  const problem = (raw: Parameters<typeof parseDecisionQuery>[0]) => {
    try {
      parseDecisionQuery(raw, now, flag);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as Error).message;
    }
    throw new Error('expected a problem');
  };

  it('converts typed values, relative ages and comma lists', () => {
    expect(
      parseDecisionQuery(
        {
          package: '@acme/core',
          action: ['deny,HIDE', 'deny'],
          rule: 'malware',
          client: 'pnpm',
          project: '/home/u/app',
          session: 'abc',
          since: '24h',
          limit: '50',
        },
        now,
      ),
    ).toEqual({
      package: '@acme/core',
      actions: ['deny', 'hide'],
      rule: 'malware',
      client: 'pnpm',
      project: '/home/u/app',
      session: 'abc',
      since: '2026-11-27T12:00:00.000Z',
      limit: 50,
    });
    expect(parseDecisionQuery({ since: '30m' }, now).since).toBe('2026-11-28T11:30:00.000Z');
    expect(parseDecisionQuery({ since: '7d' }, now).since).toBe('2026-11-21T12:00:00.000Z');
    expect(parseDecisionQuery({ since: '2w' }, now).since).toBe('2026-11-14T12:00:00.000Z');
    expect(parseDecisionQuery({ since: '2026-11-01' }, now).since).toBe('2026-11-01T00:00:00.000Z');
    expect(parseDecisionQuery({ since: '2026-11-01T10:00+02:00' }, now).since).toBe(
      '2026-11-01T08:00:00.000Z',
    );
    expect(parseDecisionQuery({ package: '@acme' }, now).package).toBe('@acme');
    expect(parseDecisionQuery({}, now)).toEqual({});
  });

  it('names the field and what is wrong', () => {
    expect(problem({ action: ['deny,block'] })).toBe(
      '--action: "block" is not one of allow, warn, hide, deny',
    );
    expect(problem({ rule: 'malwar' })).toMatch(/^--rule: "malwar" is not one of malware, malicious, /);
    expect(problem({ client: 'deno' })).toBe('--client: "deno" is not one of npm, pnpm, yarn, bun, other');
    expect(problem({ since: 'yesterday' })).toBe(
      '--since: "yesterday" is not an ISO 8601 date or time, or an age like 30m, 24h, 7d, 2w',
    );
    expect(problem({ since: 'Nov 28 2026' })).toMatch(/^--since: /);
    expect(problem({ since: '2026-13-01' })).toMatch(/^--since: /);
    expect(problem({ limit: '0' })).toBe('--limit: "0" is not a whole number from 1 to 10000');
    expect(problem({ limit: '10001' })).toMatch(/^--limit: /);
    expect(problem({ limit: '5x' })).toMatch(/^--limit: /);
    expect(problem({ package: 'a/b/c' })).toBe('--package: "a/b/c" is not a package name or a scope (@acme)');
  });
});
