import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../main.js';

const corpus = new URL('../../../testdata/osv/npm/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'bulwark-db-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real CLI entry in-process and captures what it prints. */
const run = async (...args: string[]) => {
  let out = '';
  let err = '';
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  try {
    await main(['node', 'bulwark', ...args]);
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
  }
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { out, err, code };
};

describe('bulwark db', () => {
  it('status of a missing database says so without creating it', async () => {
    const db = join(dir, 'missing', 'bulwark.db');
    const text = await run('db', 'status', '--db', db);
    expect(text.code).toBe(0);
    expect(text.out).toBe(`database: ${db} (does not exist)\n`);
    expect(text.err).toMatch(/warning: no advisory database at/);
    const json = await run('db', 'status', '--db', db, '--format', 'json');
    expect(JSON.parse(json.out)).toMatchObject({ exists: false, location: db });
  });

  it('imports, reports counts, and status shows them', async () => {
    const db = join(dir, 'a', 'bulwark.db');
    const imported = await run('db', 'import', '--db', db, corpus, join(corpus, 'MAL-2024-2929.json'));
    expect(imported.code).toBe(0);
    const lines = imported.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /: read 325, added 325, updated 0, unchanged 0, skipped 0 \(not npm\) in \d+\.\ds/,
    );
    expect(lines[1]).toMatch(/MAL-2024-2929\.json: read 1, added 0, updated 0, unchanged 1/);
    const status = await run('db', 'status', '--db', db, '--format', 'json');
    const body = JSON.parse(status.out);
    expect(body).toMatchObject({
      exists: true,
      advisories: 325,
      malware: 135,
      withdrawn: 12,
      ageDays: 0,
      warnings: [],
    });
    expect(body.sources).toHaveLength(2);
    const text = await run('db', 'status', '--db', db);
    expect(text.out).toMatch(/advisories: 325 \(190 vulnerabilities, 135 malware, 12 withdrawn\)/);
    expect(text.err).toBe('');
  });

  it('bad input: one line on stderr, exit 2, database unchanged', async () => {
    const db = join(dir, 'b', 'bulwark.db');
    await run('db', 'import', '--db', db, join(corpus, 'GHSA-29mw-wpgm-hmr9.json'));
    const fake = join(dir, 'fake.zip');
    writeFileSync(fake, 'not a zip');
    const failed = await run('db', 'import', '--db', db, fake);
    expect(failed.code).toBe(2);
    expect(failed.err).toBe(`bulwark: ${fake}: is not a zip archive (no PK signature)\n`);
    const status = JSON.parse((await run('db', 'status', '--db', db, '--format', 'json')).out);
    expect(status.advisories).toBe(1);
  });

  it('update from an unreachable host: one line, exit 2', async () => {
    const db = join(dir, 'c', 'bulwark.db');
    const result = await run('db', 'update', '--db', db, '--url', 'http://host.invalid/all.zip');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /^bulwark: cannot reach host\.invalid: DNS lookup failed \(ENOTFOUND\); the database was left unchanged \(0 advisories, never updated\)\n$/,
    );
  });

  it('update takes its URL from BULWARK_OSV_URL when --url is not given', async () => {
    const db = join(dir, 'e', 'bulwark.db');
    const previous = process.env.BULWARK_OSV_URL;
    process.env.BULWARK_OSV_URL = 'http://mirror.invalid/npm/all.zip';
    try {
      const result = await run('db', 'update', '--db', db);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/^bulwark: cannot reach mirror\.invalid: /);
    } finally {
      if (previous === undefined) delete process.env.BULWARK_OSV_URL;
      else process.env.BULWARK_OSV_URL = previous;
    }
  });

  it('rejects an unknown status format', async () => {
    const result = await run('db', 'status', '--db', join(dir, 'd.db'), '--format', 'xml');
    expect(result.code).toBe(2);
    expect(result.err).toBe('bulwark: --format must be text or json, got "xml"\n');
  });
});
