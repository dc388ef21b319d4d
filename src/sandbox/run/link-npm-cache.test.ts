import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentPath, indexPath, linkNpmCache } from './link-npm-cache.js';

describe('contentPath and indexPath (cacache layout)', () => {
  it('puts content under its strongest hash, split 2/2/rest, in hex', () => {
    const sha512 = Buffer.alloc(64, 0xab).toString('base64');
    expect(contentPath(`sha1-${Buffer.alloc(20, 1).toString('base64')} sha512-${sha512}`)).toBe(
      join('content-v2', 'sha512', 'ab', 'ab', 'ab'.repeat(62)),
    );
    expect(contentPath('md5-xyz')).toBeUndefined();
  });

  it('names index buckets by the sha256 of the key', () => {
    expect(indexPath('make-fetch-happen:request-cache:https://registry.npmjs.org/a/-/a-1.0.0.tgz')).toMatch(
      /^index-v5\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{60}$/,
    );
  });
});

describe('linkNpmCache', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-link-cache-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hard-links the content a lockfile names and nothing else of the shared cache', () => {
    // A real cache with one real tarball, filled by npm itself from a local .tgz.
    const shared = join(dir, 'shared');
    const pkg = join(dir, 'pkg');
    mkdirSync(pkg);
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'linked-demo', version: '1.0.0' }));
    writeFileSync(join(pkg, 'index.js'), 'module.exports = 1;\n');
    const tgz = execFileSync(
      'npm',
      ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir, pkg],
      {
        encoding: 'utf8',
      },
    ).trim();
    const url = `https://registry.npmjs.org/linked-demo/-/linked-demo-1.0.0.tgz`;
    const integrity = execFileSync(
      process.execPath,
      [
        '-e',
        `const c=require('crypto');process.stdout.write('sha512-'+c.createHash('sha512').update(require('fs').readFileSync(${JSON.stringify(join(dir, tgz))})).digest('base64'))`,
      ],
      { encoding: 'utf8' },
    );
    // Store it the way npm does (content + index entry) by writing the files cacache would.
    const content = join(shared, contentPath(integrity)!);
    mkdirSync(dirname(content), { recursive: true });
    execFileSync('cp', [join(dir, tgz), content]);
    const other = join(shared, 'index-v5', 'zz', 'zz', 'unrelated');
    mkdirSync(dirname(other), { recursive: true });
    writeFileSync(other, 'x');

    const copy = join(dir, 'copy');
    const lock = { packages: { '': {}, 'node_modules/linked-demo': { resolved: url, integrity } } };
    expect(linkNpmCache(shared, copy, lock, process.getuid?.() ?? 0)).toBe(true);
    expect(statSync(join(copy, contentPath(integrity)!)).ino).toBe(statSync(content).ino);
    expect(existsSync(join(copy, 'index-v5', 'zz'))).toBe(false);
  });

  it('refuses an integrity it cannot place', () => {
    expect(
      linkNpmCache(
        join(dir, 'shared'),
        join(dir, 'copy2'),
        { packages: { 'node_modules/x': { resolved: 'https://r/x.tgz', integrity: 'md5-abc' } } },
        0,
      ),
    ).toBe(false);
  });
});
