import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSandboxVerdicts, type StoredSandboxVerdict } from './sandbox-verdicts.js';

const hash = (algorithm: 'sha1' | 'sha512', text: string) =>
  `${algorithm}-${createHash(algorithm).update(text).digest('base64')}`;

const verdict = (integrity: string, over: Partial<StoredSandboxVerdict> = {}): StoredSandboxVerdict => ({
  name: 'fixture',
  version: '1.0.0',
  integrity,
  verdict: 'malicious',
  score: 9,
  findings: [{ rule: 'exfil-http', severity: 'critical', message: 'sent ~/.npmrc to c2.invalid' }],
  analysedAt: 1_700_000_000_000,
  tool: 'bulwark-sandbox test',
  ...over,
});

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
    store.put(verdict(sha512));
    expect(store.getMany([sha512, hash('sha512', 'other')])).toEqual(new Map([[sha512, verdict(sha512)]]));
    expect(store.findByIntegrity([sha512]).get(sha512)).toEqual(verdict(sha512));
    store.close();
  });

  it('matches a multi-hash integrity on a shared hash, either way round', () => {
    const store = open();
    const sha1 = hash('sha1', 'a');
    const sha512 = hash('sha512', 'a');
    const both = `${sha1} ${sha512}`;
    store.put(verdict(sha512));
    expect(store.findByIntegrity([both]).get(both)?.integrity).toBe(sha512);

    const other = open();
    other.put(verdict(both));
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
    store.put(verdict(sha1, { verdict: 'suspicious' }));
    store.put(verdict(hash('sha512', 'a'), { verdict: 'malicious' }));
    const both = `${sha1} ${hash('sha512', 'a')}`;
    expect(store.findByIntegrity([both]).get(both)?.verdict).toBe('malicious');

    // Stored for other bytes that share only a (colliding) sha1.
    const collision = open();
    collision.put(verdict(`${sha1} ${hash('sha512', 'b')}`));
    const asked = `${sha1} ${hash('sha512', 'a')}`;
    expect(collision.findByIntegrity([asked]).size).toBe(0);
    store.close();
    collision.close();
  });

  it('answers many integrities in one call and ignores ones it cannot parse', () => {
    const store = open();
    const a = hash('sha512', 'a');
    const b = hash('sha512', 'b');
    store.put(verdict(a));
    store.put(verdict(b, { verdict: 'clean', findings: [] }));
    const found = store.findByIntegrity([a, b, hash('sha512', 'c'), 'not-an-integrity', '']);
    expect([...found].map(([key, v]) => [key, v.verdict])).toEqual([
      [a, 'malicious'],
      [b, 'clean'],
    ]);
    expect(store.findByIntegrity([]).size).toBe(0);
    store.close();
  });
});
