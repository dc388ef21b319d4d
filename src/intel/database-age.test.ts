import { describe, expect, it } from 'vitest';
import type { DbStatus } from '../store/store.js';
import { databaseAgeDays, databaseSummary, databaseWarnings } from './database-age.js';

const status = (patch: Partial<DbStatus>): DbStatus => ({
  location: '/data/bulwark.db',
  schemaVersion: 1,
  advisories: 10,
  vulnerabilities: 7,
  malware: 3,
  withdrawn: 0,
  packages: 9,
  sources: [],
  lastImportAt: '2025-06-01T12:00:00.000Z',
  ...patch,
});
const now = new Date('2025-06-10T11:00:00.000Z');

describe('database age', () => {
  it('counts whole days since the last import', () => {
    expect(databaseAgeDays(status({}), now)).toBe(8);
    expect(databaseAgeDays(status({ lastImportAt: '2025-06-10T10:00:00.000Z' }), now)).toBe(0);
    expect(databaseAgeDays(status({ lastImportAt: undefined }), now)).toBeUndefined();
  });

  it('warns when missing, empty or older than 7 days, and only then', () => {
    expect(databaseWarnings('/x.db', undefined, now)[0]).toMatch(
      /^no advisory database at \/x\.db;.*bulwark db update/,
    );
    expect(databaseWarnings('/x.db', status({ advisories: 0 }), now)[0]).toMatch(/is empty/);
    expect(databaseWarnings('/x.db', status({}), now)).toEqual([
      'the advisory database is 8 days old (last updated 2025-06-01T12:00:00.000Z); run `bulwark db update`',
    ]);
    expect(databaseWarnings('/x.db', status({ lastImportAt: '2025-06-03T11:00:00.000Z' }), now)).toEqual([]);
  });

  it('summarises for the scan report', () => {
    expect(databaseSummary(status({}), now)).toEqual({
      location: '/data/bulwark.db',
      advisories: 10,
      malware: 3,
      lastImportAt: '2025-06-01T12:00:00.000Z',
      ageDays: 8,
    });
    expect(databaseSummary(status({ advisories: 0, malware: 0, lastImportAt: undefined }), now)).toEqual({
      location: '/data/bulwark.db',
      advisories: 0,
      malware: 0,
    });
  });
});
