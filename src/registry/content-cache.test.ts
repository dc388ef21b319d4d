import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContentCache, defaultContentCacheDir, integrityOf, parseIntegrity } from './content-cache.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'bulwark-content-'));
const sri = (algorithm: string, bytes: Uint8Array) =>
  `${algorithm}-${createHash(algorithm).update(bytes).digest('base64')}`;

describe('parseIntegrity', () => {
  it('keeps well-formed hashes, strongest first, and drops the rest', () => {
    const bytes = Buffer.from('hello');
    const parsed = parseIntegrity(
      `${sri('sha1', bytes)} md5-XUFAKrxLKna5cZ2REBfFkg== ${sri('sha512', bytes)}?opt`,
    );
    expect(parsed.map((hash) => hash.algorithm)).toEqual(['sha512', 'sha1']);
    expect(parsed[0]!.hex).toBe(createHash('sha512').update(bytes).digest('hex'));
    expect(parseIntegrity('sha512-tooShort==')).toEqual([]);
    expect(parseIntegrity('sha512-../../../etc/passwd')).toEqual([]);
    expect(parseIntegrity('')).toEqual([]);
  });
});

describe('createContentCache', () => {
  it('stores by sha512 in a two-level hex layout and verifies on read', () => {
    const dir = freshDir();
    const cache = createContentCache(dir);
    const bytes = Buffer.from('tarball bytes');
    const integrity = cache.putContent(bytes, sri('sha512', bytes));
    expect(integrity).toBe(integrityOf(bytes));
    const hex = createHash('sha512').update(bytes).digest('hex');
    expect(
      readFileSync(join(dir, 'content', 'sha512', hex.slice(0, 2), hex.slice(2, 4), hex.slice(4))),
    ).toEqual(bytes);
    expect(Buffer.from(cache.getContent(integrity)!)).toEqual(bytes);
    expect(cache.getContent(sri('sha512', Buffer.from('other')))).toBeUndefined();
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    expect(cache.usage()).toEqual({ files: 1, bytes: bytes.byteLength });
  });

  it('also files content under an older algorithm the lockfile names, so a sha1-only lookup hits', () => {
    const cache = createContentCache(freshDir());
    const bytes = Buffer.from('old package');
    cache.putContent(bytes, sri('sha1', bytes));
    expect(Buffer.from(cache.getContent(sri('sha1', bytes))!)).toEqual(bytes);
    expect(Buffer.from(cache.getContent(sri('sha512', bytes))!)).toEqual(bytes);
    expect(cache.usage().files).toBe(2);
  });

  it('refuses to store bytes that do not match the integrity given', () => {
    const cache = createContentCache(freshDir());
    expect(() => cache.putContent(Buffer.from('a'), sri('sha512', Buffer.from('b')))).toThrow(/do not match/);
    expect(() => cache.putContent(Buffer.from('a'), 'md5-abc')).toThrow(/not a usable integrity/);
    expect(cache.usage().files).toBe(0);
  });

  it('detects a corrupted entry, deletes it and reports it', () => {
    const dir = freshDir();
    const warnings: string[] = [];
    const cache = createContentCache(dir, { onCorrupt: (message) => warnings.push(message) });
    const bytes = Buffer.from('pristine');
    const integrity = cache.putContent(bytes);
    const hex = createHash('sha512').update(bytes).digest('hex');
    const path = join(dir, 'content', 'sha512', hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
    writeFileSync(path, 'tampered');
    expect(cache.getContent(integrity)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('damaged');
    expect(cache.usage().files).toBe(0);
  });

  it('keeps derived data by key, checksummed; damage is a miss', () => {
    const dir = freshDir();
    const warnings: string[] = [];
    const cache = createContentCache(dir, { onCorrupt: (message) => warnings.push(message) });
    const key = 'sha512-abc analyzer@3';
    expect(cache.get(key)).toBeUndefined();
    cache.put(key, Buffer.from('{"facts":[]}'));
    expect(Buffer.from(cache.get(key)!).toString()).toBe('{"facts":[]}');
    cache.put(key, Buffer.from('{"facts":[1]}'));
    expect(Buffer.from(cache.get(key)!).toString()).toBe('{"facts":[1]}');
    expect(cache.get('sha512-abc analyzer@4')).toBeUndefined();
    const [sub] = readdirSync(join(dir, 'keyed'));
    const [file] = readdirSync(join(dir, 'keyed', sub!));
    const path = join(dir, 'keyed', sub!, file!);
    const stored = readFileSync(path);
    stored.writeUInt8(stored.readUInt8(stored.byteLength - 1) ^ 1, stored.byteLength - 1);
    writeFileSync(path, stored);
    expect(cache.get(key)).toBeUndefined();
    writeFileSync(path, 'BW');
    expect(cache.get(key)).toBeUndefined();
    expect(warnings).toHaveLength(2);
  });

  it('prunes least recently used entries down to a byte budget', () => {
    const dir = freshDir();
    const cache = createContentCache(dir);
    const blobs = [0, 1, 2].map((i) => Buffer.alloc(1000, i));
    const integrities = blobs.map((blob) => cache.putContent(blob));
    // Make the first one the oldest by time, then read it: reading refreshes recency.
    integrities.forEach((integrity, i) => {
      const hex = parseIntegrity(integrity)[0]!.hex;
      const path = join(dir, 'content', 'sha512', hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
      utimesSync(path, new Date(2020, 0, i + 1), new Date(2020, 0, i + 1));
    });
    cache.getContent(integrities[0]!);
    expect(cache.prune(2000)).toEqual({ files: 2, bytes: 2000 });
    expect(cache.getContent(integrities[1]!)).toBeUndefined();
    expect(cache.getContent(integrities[0]!)).toBeDefined();
    expect(cache.getContent(integrities[2]!)).toBeDefined();
  });

  it('lives under the data directory by default', () => {
    expect(defaultContentCacheDir({ BULWARK_HOME: '/srv/bulwark' })).toBe(
      join('/srv/bulwark', 'cache', 'content'),
    );
  });
});
