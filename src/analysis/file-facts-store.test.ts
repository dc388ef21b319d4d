import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { extractFileFacts } from './facts/extract-file.js';
import { defaultFileFactsPath, openFileFactsStore } from './file-facts-store.js';

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'bulwark-file-facts-')), 'file-facts.db');
const bytesOf = (text: string) => new TextEncoder().encode(text);

const remember = (location: string, entries: Record<string, string>, options = {}) => {
  const store = openFileFactsStore(location, options);
  for (const [file, text] of Object.entries(entries))
    store.cache.put(store.cache.key(file, bytesOf(text)), extractFileFacts(file, text));
  store.save();
  store.close();
};

const rows = (location: string) => {
  const db = new Database(location, { readonly: true });
  try {
    return db.prepare('SELECT key, analyzer, size FROM file_facts').all() as {
      key: string;
      analyzer: string;
      size: number;
    }[];
  } finally {
    db.close();
  }
};

describe('openFileFactsStore', () => {
  it('lives in the data directory', () => {
    expect(defaultFileFactsPath({ BULWARK_HOME: '/x' })).toBe('/x/cache/file-facts.db');
  });

  it('reads back what an earlier process saved', () => {
    const location = tempDb();
    remember(location, { 'a.js': 'process.env.A;\n' });
    const store = openFileFactsStore(location);
    const facts = store.cache.get(store.cache.key('a.js', bytesOf('process.env.A;\n')));
    expect(facts?.facts.map((f) => f.kind)).toContain('env-read');
    store.close();
  });

  it('drops the rows of another analyser version at the next save and never reads them', () => {
    const location = tempDb();
    remember(location, { 'a.js': '1;\n' }, { analyzerVersion: 'old' });
    const store = openFileFactsStore(location, { analyzerVersion: 'new' });
    expect(store.cache.get(store.cache.key('a.js', bytesOf('1;\n')))).toBeUndefined();
    store.cache.put(store.cache.key('b.js', bytesOf('2;\n')), extractFileFacts('b.js', '2;\n'));
    store.save();
    store.close();
    expect(rows(location).map((r) => r.analyzer)).toEqual(['new']);
  });

  it('keeps its size bound by dropping the least recently used entries', () => {
    const location = tempDb();
    const text = (i: number) => `module.exports = '${String(i).repeat(3000)}';\n`;
    remember(location, { 'old.js': text(1) }, { maxBytes: 1_000_000 });
    const entry = rows(location)[0]!.size;
    const store = openFileFactsStore(location, { maxBytes: entry * 3 });
    // Entries land in a later transaction than old.js: old.js is the oldest.
    for (let i = 2; i < 6; i++)
      store.cache.put(store.cache.key(`f${i}.js`, bytesOf(text(i))), extractFileFacts(`f${i}.js`, text(i)));
    store.save();
    store.close();
    const left = rows(location);
    expect(left.reduce((sum, r) => sum + r.size, 0)).toBeLessThanOrEqual(entry * 3);
    const reopened = openFileFactsStore(location);
    expect(reopened.cache.get(reopened.cache.key('old.js', bytesOf(text(1))))).toBeUndefined();
    reopened.close();
  });

  it('reads a corrupt row as a miss and overwrites it', () => {
    const location = tempDb();
    remember(location, { 'a.js': '1;\n' });
    const db = new Database(location);
    db.prepare('UPDATE file_facts SET data = ?').run(Buffer.from('garbage'));
    db.close();
    const store = openFileFactsStore(location);
    const key = store.cache.key('a.js', bytesOf('1;\n'));
    expect(store.cache.get(key)).toBeUndefined();
    store.cache.put(key, extractFileFacts('a.js', '1;\n'));
    store.save();
    store.close();
    const again = openFileFactsStore(location);
    expect(again.cache.get(key)?.stats.file).toBe('a.js');
    again.close();
  });

  it('starts afresh over a file that is not a database, or a table of another layout', () => {
    const location = tempDb();
    writeFileSync(location, 'not a database, just text that is long enough to have a header '.repeat(10));
    const store = openFileFactsStore(location);
    store.cache.put(store.cache.key('a.js', bytesOf('1;\n')), extractFileFacts('a.js', '1;\n'));
    store.save();
    store.close();
    expect(rows(location)).toHaveLength(1);

    const other = tempDb();
    const db = new Database(other);
    db.exec('CREATE TABLE file_facts (key TEXT PRIMARY KEY, blob BLOB)');
    db.close();
    const reopened = openFileFactsStore(other);
    reopened.cache.put(reopened.cache.key('a.js', bytesOf('1;\n')), extractFileFacts('a.js', '1;\n'));
    reopened.save();
    reopened.close();
    expect(rows(other)).toHaveLength(1);
  });
});
