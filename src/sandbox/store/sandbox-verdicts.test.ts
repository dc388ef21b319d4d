import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSandboxVerdicts } from './sandbox-verdicts.js';
import { storedVerdict } from './testdata/stored-verdict.js';

const hash = (algorithm: 'sha1' | 'sha512', text: string) =>
  `${algorithm}-${createHash(algorithm).update(text).digest('base64')}`;

const dirs: string[] = [];
const open = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-sandbox-store-'));
  dirs.push(dir);
  return openSandboxVerdicts(join(dir, 'assessments.db'));
};

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('sandbox verdict store', () => {
  it('reads back what was put, by exact integrity', () => {
    const store = open();
    const sha512 = hash('sha512', 'a');
    store.put(storedVerdict(sha512));
    expect(store.getMany([sha512, hash('sha512', 'other')])).toEqual(
      new Map([[sha512, storedVerdict(sha512)]]),
    );
    expect(store.findByIntegrity([sha512]).get(sha512)).toEqual(storedVerdict(sha512));
    store.close();
  });

  it('matches a multi-hash integrity on a shared hash, either way round', () => {
    const store = open();
    const sha1 = hash('sha1', 'a');
    const sha512 = hash('sha512', 'a');
    const both = `${sha1} ${sha512}`;
    store.put(storedVerdict(sha512));
    expect(store.findByIntegrity([both]).get(both)?.integrity).toBe(sha512);

    const other = open();
    other.put(storedVerdict(both));
    expect(other.findByIntegrity([sha512]).get(sha512)?.integrity).toBe(both);
    expect(other.findByIntegrity([sha1]).get(sha1)?.integrity).toBe(both);
    // `getMany` by the exact string is unchanged.
    expect([...other.getMany([both]).keys()]).toEqual([both]);
    store.close();
    other.close();
  });

  it('prefers the strongest shared hash and refuses a weak match that a stronger hash contradicts', () => {
    const store = open();
    const sha1 = hash('sha1', 'a');
    store.put(storedVerdict(sha1, { verdict: 'suspicious' }));
    store.put(storedVerdict(hash('sha512', 'a'), { verdict: 'malicious' }));
    const both = `${sha1} ${hash('sha512', 'a')}`;
    expect(store.findByIntegrity([both]).get(both)?.verdict).toBe('malicious');

    // Stored for other bytes that share only a (colliding) sha1.
    const collision = open();
    collision.put(storedVerdict(`${sha1} ${hash('sha512', 'b')}`));
    const asked = `${sha1} ${hash('sha512', 'a')}`;
    expect(collision.findByIntegrity([asked]).size).toBe(0);
    store.close();
    collision.close();
  });

  it('answers many integrities in one call and ignores ones it cannot parse', () => {
    const store = open();
    const a = hash('sha512', 'a');
    const b = hash('sha512', 'b');
    store.put(storedVerdict(a));
    store.put(storedVerdict(b, { verdict: 'clean', findings: [] }));
    const found = store.findByIntegrity([a, b, hash('sha512', 'c'), 'not-an-integrity', '']);
    expect([...found].map(([key, v]) => [key, v.verdict])).toEqual([
      [a, 'malicious'],
      [b, 'clean'],
    ]);
    expect(store.findByIntegrity([]).size).toBe(0);
    store.close();
  });
});
