import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DepNode } from '../../core/graph.js';
import { createContentCache } from '../../registry/content-cache.js';
import { type AnalysisRunOptions, bundleStamp, runAnalysis } from './run-analysis.js';
import { buildTestWorker } from './testdata/build-worker.js';
import {
  benignPackage,
  maliciousPackage,
  sri,
  startTarballServer,
  type TarballServer,
} from './testdata/packages.js';

let workerUrl: URL;
let server: TarballServer;
let nodes: DepNode[];

const registryNode = (name: string, version: string, resolved: string, integrity: string): DepNode => ({
  id: `node_modules/${name}`,
  name,
  version,
  resolved,
  integrity,
  source: 'registry',
  dev: false,
  optional: false,
  peer: false,
  bundled: false,
});

beforeAll(async () => {
  workerUrl = await buildTestWorker();
  server = await startTarballServer();
  const publish = async (name: string, bytes: Buffer) =>
    registryNode(name, '1.0.0', server.publish(name, '1.0.0', bytes), sri(bytes));
  nodes = [
    await publish('fixture-stealer', await maliciousPackage()),
    await publish('fixture-add', await benignPackage('fixture-add')),
    await publish('fixture-sub', await benignPackage('fixture-sub')),
    { ...registryNode('workspace-member', '1.0.0', '', ''), source: 'workspace' },
  ];
  const broken = Buffer.from('not a tarball');
  nodes.push(
    registryNode('fixture-broken', '1.0.0', server.publish('fixture-broken', '1.0.0', broken), sri(broken)),
  );
  nodes.push(
    registryNode(
      'fixture-tampered',
      '1.0.0',
      server.publish('fixture-tampered', '1.0.0', await benignPackage('fixture-tampered')),
      sri(Buffer.from('the bytes the lockfile recorded')),
    ),
  );
}, 60_000);

afterAll(() => server.close());

const freshOptions = (): AnalysisRunOptions => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-analysis-'));
  return {
    nodes,
    projectDir: dir,
    offline: false,
    cachePath: join(dir, 'assessments.db'),
    contentCache: createContentCache(join(dir, 'content')),
    workerUrl,
    poolSize: 2,
    limitMs: 20_000,
  };
};

describe('runAnalysis (loopback registry, real workers)', () => {
  it('analyses every registry package once, then a second run analyses nothing and fetches nothing', async () => {
    const options = freshOptions();
    const progress: number[] = [];
    const cold = await runAnalysis({ ...options, onProgress: (p) => progress.push(p.done) });
    const byName = Object.fromEntries(cold.outcomes.map((o) => [o.target.name, o]));
    expect(byName['fixture-stealer']).toMatchObject({ status: 'analysed', cached: false });
    const verdict = (name: string) => {
      const outcome = byName[name];
      return outcome?.status === 'analysed' ? outcome.analysis.verdict : outcome?.status;
    };
    expect(verdict('fixture-stealer')).toBe('malicious');
    expect(verdict('fixture-add')).toBe('clean');
    expect(byName['fixture-broken']).toMatchObject({ status: 'unreadable' });
    expect(byName['fixture-tampered']).toMatchObject({ status: 'integrity-mismatch' });
    expect(cold.summary).toMatchObject({
      packages: 5,
      analysed: 4,
      cached: 0,
      failed: 2,
      verdicts: { clean: 2, suspicious: 0, malicious: 1 },
      notAnalysed: [{ name: 'workspace-member', version: '1.0.0', reason: 'local' }],
    });
    expect(progress.at(-1)).toBe(5);

    const requests = server.requests.length;
    const warm = await runAnalysis(options);
    expect(server.requests.length - requests).toBe(1); // only the tampered tarball, never cached
    expect(warm.summary).toMatchObject({ analysed: 0, cached: 4, failed: 2 });
    const warmStealer = warm.outcomes.find((o) => o.target.name === 'fixture-stealer');
    expect(warmStealer).toMatchObject({ status: 'analysed', cached: true });
  }, 60_000);

  it('offline with an empty cache lists every package as not analysed, without a request', async () => {
    const requests = server.requests.length;
    const run = await runAnalysis({ ...freshOptions(), offline: true });
    expect(server.requests.length).toBe(requests);
    expect(run.summary.analysed + run.summary.cached).toBe(0);
    const reasons = new Set(run.summary.notAnalysed.filter((n) => n.reason !== 'local').map((n) => n.reason));
    expect([...reasons]).toEqual(['offline']);
    expect(run.summary.notAnalysed).toHaveLength(6);
  }, 30_000);

  it('bounds the bytes in flight without stalling: a 1-byte bound still analyses everything, one at a time', async () => {
    const run = await runAnalysis({ ...freshOptions(), maxInFlightBytes: 1 });
    expect(run.summary).toMatchObject({ packages: 5, analysed: 4 });
  }, 60_000);

  it('an unusable assessment cache is a warning; the packages are still analysed', async () => {
    const options = freshOptions();
    const broken = join(options.projectDir, 'not-a-database.db');
    writeFileSync(broken, 'plain text where SQLite expects its header, long enough to be read as one');
    const warnings: string[] = [];
    const run = await runAnalysis({ ...options, cachePath: broken, onWarning: (w) => warnings.push(w) });
    expect(run.summary).toMatchObject({ analysed: 4, cached: 0 });
    expect(warnings.some((w) => w.startsWith(`cannot open the assessment cache ${broken}`))).toBe(true);
  }, 60_000);

  it('a lockfile entry without integrity is fetched each time but analysed once (keyed by the bytes)', async () => {
    const bytes = await benignPackage('fixture-unpinned');
    const unpinned: DepNode = {
      ...registryNode('fixture-unpinned', '1.0.0', server.publish('fixture-unpinned', '1.0.0', bytes), ''),
      integrity: undefined,
    };
    delete unpinned.integrity;
    const options = { ...freshOptions(), nodes: [unpinned] };
    const cold = await runAnalysis(options);
    expect(cold.summary).toMatchObject({ analysed: 1, cached: 0 });
    const warm = await runAnalysis(options);
    expect(warm.summary).toMatchObject({ analysed: 0, cached: 1 });
    expect(warm.outcomes[0]).toMatchObject({ status: 'analysed', cached: true });
  }, 60_000);

  it('offline with the tarballs cached analyses them', async () => {
    const options = freshOptions();
    await runAnalysis({ ...options, cachePath: join(options.projectDir, 'other.db') });
    const requests = server.requests.length;
    const run = await runAnalysis({ ...options, offline: true });
    expect(server.requests.length).toBe(requests);
    expect(run.summary).toMatchObject({ analysed: 4, cached: 0 });
  }, 60_000);
});

describe('bundleStamp', () => {
  it('changes when any chunk the worker imports changes, statically or dynamically', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-stamp-'));
    writeFileSync(join(dir, 'worker.mjs'), 'import{t as e}from"./analyze-AAAA.mjs";e();');
    writeFileSync(join(dir, 'analyze-AAAA.mjs'), 'export const t=()=>import("./rules-BBBB.mjs");');
    writeFileSync(join(dir, 'rules-BBBB.mjs'), 'export const v=1;');
    const first = bundleStamp(join(dir, 'worker.mjs'));
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(bundleStamp(join(dir, 'worker.mjs'))).toBe(first);
    writeFileSync(join(dir, 'rules-BBBB.mjs'), 'export const v=2;');
    expect(bundleStamp(join(dir, 'worker.mjs'))).not.toBe(first);
  });

  it('names no build for tsc output or a missing chunk (the analyser is then asked directly)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-stamp-'));
    writeFileSync(join(dir, 'worker.js'), 'import "../../analysis/analyze.js";');
    expect(bundleStamp(join(dir, 'worker.js'))).toBeUndefined();
    writeFileSync(join(dir, 'worker.mjs'), 'import"./gone-CCCC.mjs";');
    expect(bundleStamp(join(dir, 'worker.mjs'))).toBeUndefined();
  });
});
