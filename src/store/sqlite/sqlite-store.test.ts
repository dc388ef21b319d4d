import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { openStore } from '../open-store.js';
import { runStoreContract } from '../store.case.test.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'bulwark-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => join(dir, `nested-${++counter}`, 'deeper', 'bulwark.db');

runStoreContract('sqlite', () => openStore(freshPath()));

describe('sqlite store specifics', () => {
  it('creates parent directories, uses WAL and records the schema version', async () => {
    const path = freshPath();
    const store = await openStore(path);
    expect((await store.status()).schemaVersion).toBe(SCHEMA_VERSION);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version FROM migrations').pluck().all()).toEqual(
      MIGRATIONS.map((m) => m.version),
    );
    db.close();
  });

  it('reopens an existing database read-only and refuses writes', async () => {
    const path = freshPath();
    const writable = await openStore(path);
    await writable.close();
    const store = await openStore(path, { readonly: true });
    expect((await store.status()).advisories).toBe(0);
    await expect(store.importAdvisories([], { name: 'x', location: 'y' })).rejects.toThrow(/read-only/);
    await store.close();
  });

  it('names a missing file when opened read-only', async () => {
    const path = join(dir, 'missing.db');
    await expect(openStore(path, { readonly: true })).rejects.toThrow(InputError);
    await expect(openStore(path, { readonly: true })).rejects.toThrow(`${path}: does not exist`);
  });

  it('rejects a file that is not a database', async () => {
    const path = join(dir, 'not-a-db.db');
    writeFileSync(path, 'this is a text file, not SQLite\n'.repeat(200));
    await expect(openStore(path)).rejects.toThrow(InputError);
    await expect(openStore(path)).rejects.toThrow(new RegExp(`^${path}: is not a usable Bulwark database`));
    await expect(openStore(path, { readonly: true })).rejects.toThrow(InputError);
  });

  it('rejects an SQLite database that is not Bulwark’s', async () => {
    const path = join(dir, 'foreign.db');
    const db = new Database(path);
    db.exec('CREATE TABLE something (x)');
    db.close();
    await expect(openStore(path)).rejects.toThrow(/not a Bulwark one/);
  });

  it('migrates a database from an older schema, also when a scan opens it read-only', async () => {
    const path = freshPath();
    mkdirSync(dirname(path), { recursive: true });
    const old = new Database(path);
    old.exec('CREATE TABLE migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    old.exec(MIGRATIONS[0]!.sql);
    old.prepare('INSERT INTO migrations VALUES (1, ?)').run('2025-01-01T00:00:00Z');
    old
      .prepare(
        "INSERT INTO advisories (id, modified, kind, severity, json) VALUES ('OLD-1', 'x', 'malware', 'critical', ?)",
      )
      .run(
        JSON.stringify({
          id: 'OLD-1',
          integrity: ['sha512-OLD'],
          affected: [
            { name: 'old-pkg', ranges: [], versions: ['1.0.0'] },
            { name: 'other-pkg', ranges: [], versions: ['9.9.9'] },
            { name: 'old-pkg', ranges: [], versions: ['2.0.0'] },
          ],
        }),
      );
    old.prepare("INSERT INTO affected (name, advisory) VALUES ('old-pkg', 1)").run();
    old.close();
    const store = await openStore(path, { readonly: true });
    expect(await store.status()).toMatchObject({
      schemaVersion: SCHEMA_VERSION,
      advisories: 1,
      malware: 1,
      packages: 1,
    });
    expect((await store.advisoriesFor(['old-pkg'])).get('old-pkg')?.[0]?.id).toBe('OLD-1');
    // Schema 3 back-fills the match view from the stored records.
    expect((await store.matchCandidates(['old-pkg'])).get('old-pkg')).toEqual([
      {
        id: 'OLD-1',
        kind: 'malware',
        integrity: ['sha512-OLD'],
        affected: [
          { name: 'old-pkg', ranges: [], versions: ['1.0.0'] },
          { name: 'old-pkg', ranges: [], versions: ['2.0.0'] },
        ],
      },
    ]);
    await store.close();
  });

  it('rejects a database written by a newer Bulwark', async () => {
    const path = freshPath();
    (await openStore(path)).close();
    const db = new Database(path);
    db.prepare('INSERT INTO migrations (version, applied_at) VALUES (?, ?)').run(SCHEMA_VERSION + 1, 'x');
    db.close();
    await expect(openStore(path)).rejects.toThrow(
      `newer Bulwark (schema version ${SCHEMA_VERSION + 1}; this version reads up to ${SCHEMA_VERSION})`,
    );
    await expect(openStore(path, { readonly: true })).rejects.toThrow(/newer Bulwark/);
  });
});
