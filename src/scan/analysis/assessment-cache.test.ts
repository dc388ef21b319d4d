import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { assessmentKey, type CachedOutcome, openAssessmentCache } from './assessment-cache.js';

const analysed = (name: string): CachedOutcome => ({
  status: 'analysed',
  analysis: {
    name,
    version: '1.0.0',
    verdict: 'clean',
    score: 0,
    capabilities: [],
    findings: [],
    analyzer: '0.1.0',
    problems: [],
    complete: true,
  },
});

describe('assessment cache', () => {
  it('round-trips outcomes and reads any number of keys in one call', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bulwark-acache-')), 'cache', 'assessments.db');
    const cache = openAssessmentCache(path);
    const entries = new Map<string, CachedOutcome>();
    for (let i = 0; i < 1500; i++) entries.set(`k${i}`, analysed(`p${i}`));
    entries.set('slow', { status: 'time-limit', limitMs: 10_000 });
    cache.putMany(entries);
    const keys = [...entries.keys(), 'missing'];
    const found = cache.getMany(keys);
    expect(found.size).toBe(1501);
    expect(found.get('k1499')).toEqual(analysed('p1499'));
    expect(found.get('slow')).toEqual({ status: 'time-limit', limitMs: 10_000 });
    expect(found.has('missing')).toBe(false);
    cache.close();
    // persisted
    const again = openAssessmentCache(path);
    expect(again.getMany(['k0']).size).toBe(1);
    again.close();
  });

  it('a row it cannot read back is a miss', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bulwark-acache-')), 'assessments.db');
    openAssessmentCache(path).close();
    const db = new Database(path);
    db.prepare('INSERT INTO assessments VALUES (?, ?, 0)').run('bad', '{"status":"analysed"}');
    db.prepare('INSERT INTO assessments VALUES (?, ?, 0)').run('worse', 'not json');
    db.close();
    const cache = openAssessmentCache(path);
    expect(cache.getMany(['bad', 'worse']).size).toBe(0);
    cache.close();
  });

  it('a file that is not a database fails to open (the scan then goes on without a cache)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bulwark-acache-')), 'assessments.db');
    writeFileSync(path, 'this is not sqlite, just text long enough to have a header of sorts');
    expect(() => openAssessmentCache(path)).toThrow();
  });

  it('keys change with the analyser version and with any rule version', () => {
    const base = assessmentKey('sha512:ab', '0.1.0', 'a@1,b@1');
    expect(assessmentKey('sha512:ab', '0.2.0', 'a@1,b@1')).not.toBe(base);
    expect(assessmentKey('sha512:ab', '0.1.0', 'a@1,b@2')).not.toBe(base);
    expect(assessmentKey('sha512:ab', '0.1.0', 'a@1,b@1')).toBe(base);
  });
});
