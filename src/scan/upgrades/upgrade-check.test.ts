import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DepNode } from '../../core/graph.js';
import { runAnalysis } from '../analysis/run-analysis.js';
import { buildTestWorker } from '../analysis/testdata/build-worker.js';
import { type ReleaseRegistry, startReleaseRegistry } from './testdata/release-registry.js';
import { cleanRelease, turnedRelease } from './testdata/releases.js';
import { checkUpgrades, type UpgradeCheckOptions } from './upgrade-check.js';

let workerUrl: URL;
let registry: ReleaseRegistry;
let nodes: DepNode[];

const node = (
  name: string,
  version: string,
  published: { resolved: string; integrity: string },
): DepNode => ({
  id: `node_modules/${name}`,
  name,
  version,
  ...published,
  source: 'registry',
  dev: false,
  optional: false,
  peer: false,
  bundled: false,
});

const PROVENANCE = {
  attestations: { url: 'https://registry.example.invalid/att', provenance: { predicateType: 'x' } },
};

beforeAll(async () => {
  workerUrl = await buildTestWorker();
  registry = await startReleaseRegistry();
  const lib = registry.publish('lib', '1.0.0', await cleanRelease('lib', '1.0.0'));
  registry.publish('lib', '1.0.1', await cleanRelease('lib', '1.0.1'));
  registry.publish('lib', '1.1.0', await turnedRelease('lib', '1.1.0'));
  const steady = registry.publish('steady', '2.0.0', await cleanRelease('steady', '2.0.0'));
  const alice = { manifest: { _npmUser: { name: 'alice' } }, dist: PROVENANCE };
  const meta = registry.publish('meta-lib', '3.0.0', await cleanRelease('meta-lib', '3.0.0'), alice);
  registry.publish('meta-lib', '3.0.1', await cleanRelease('meta-lib', '3.0.1'), {
    manifest: { _npmUser: { name: 'mallory' } },
  });
  registry.publish('meta-lib', '3.1.0-beta.1', await turnedRelease('meta-lib', '3.1.0-beta.1'));
  nodes = [node('lib', '1.0.0', lib), node('steady', '2.0.0', steady), node('meta-lib', '3.0.0', meta)];
}, 60_000);

afterAll(() => registry.close());

const check = async (home: string, extra: Partial<UpgradeCheckOptions> = {}) => {
  vi.stubEnv('BULWARK_HOME', home);
  try {
    const shared = {
      projectDir: home,
      registry: registry.url,
      workerUrl,
      cachePath: join(home, 'a.db'),
      poolSize: 1,
    };
    const installed = await runAnalysis({ ...shared, nodes, offline: false });
    return await checkUpgrades({ ...shared, nodes, installed: installed.outcomes, ...extra });
  } finally {
    vi.unstubAllEnvs();
  }
};

describe('checkUpgrades', () => {
  it('warns about the release that turned and not the clean one; a package with no newer release yields nothing', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bulwark-upgrades-'));
    const result = await check(home);
    const lib = result.packages.find((entry) => entry.name === 'lib')!;
    expect(lib).toMatchObject({ installed: '1.0.0', latest: '1.1.0', newer: 2, checked: ['1.1.0', '1.0.1'] });
    expect(lib.turned.map((t) => [t.version, t.verdict])).toEqual([['1.1.0', 'malicious']]);
    expect(lib.turned[0]!.reasons[0]).toMatch(/^clean \(score [\d.]+\) → malicious/);
    expect(lib.turned[0]!.findings.length).toBeGreaterThan(0);
    expect(lib.turned[0]!.findings.every((f) => f.kind === 'threat')).toBe(true);
    expect(result.packages.some((entry) => entry.name === 'steady')).toBe(false);
    expect(result.summary).toMatchObject({
      depth: 3,
      packages: 2,
      releases: 3,
      analysed: 3,
      cached: 0,
      turned: 2,
    });
  }, 60_000);

  it('calls a clean release with a takeover-shaped metadata change suspicious, and skips prereleases', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bulwark-upgrades-'));
    const result = await check(home);
    const meta = result.packages.find((entry) => entry.name === 'meta-lib')!;
    expect(meta.checked).toEqual(['3.0.1']);
    expect(meta.turned).toHaveLength(1);
    expect(meta.turned[0]).toMatchObject({ version: '3.0.1', verdict: 'suspicious', findings: [] });
    expect(meta.turned[0]!.metadata.map((m) => m.kind).sort()).toEqual([
      'publisher-change',
      'trust-downgrade',
    ]);
  }, 60_000);

  it('reads every verdict from the assessment cache on a warm re-run, fetching no tarball', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bulwark-upgrades-'));
    await check(home);
    const before = registry.requests.length;
    const warm = await check(home);
    expect(warm.summary).toMatchObject({ analysed: 0, cached: 3, turned: 2 });
    expect(registry.requests.slice(before).filter((path) => path.endsWith('.tgz'))).toEqual([]);
    // documents are fresh for an hour: not asked again either
    expect(registry.requests.slice(before)).toEqual([]);
  }, 60_000);

  it('leaves out packages a lockfile resolved from another registry, and honours the depth', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bulwark-upgrades-'));
    const elsewhere = nodes.map((n) =>
      n.name === 'lib' ? { ...n, resolved: 'https://npm.example.invalid/lib/-/lib-1.0.0.tgz' } : n,
    );
    vi.stubEnv('BULWARK_HOME', home);
    try {
      const result = await checkUpgrades({
        nodes: elsewhere,
        installed: [],
        projectDir: home,
        registry: registry.url,
        workerUrl,
        cachePath: join(home, 'a.db'),
        poolSize: 1,
        depth: 0,
      });
      expect(result.packages.map((entry) => [entry.name, entry.checked])).toEqual([['meta-lib', ['3.0.1']]]);
    } finally {
      vi.unstubAllEnvs();
    }
  }, 60_000);
});
