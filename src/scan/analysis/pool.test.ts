import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalysisPool } from './pool.js';
import { buildTestWorker } from './testdata/build-worker.js';
import { benignPackage, maliciousPackage, slowPackage } from './testdata/packages.js';

let workerUrl: URL;
beforeAll(async () => {
  workerUrl = await buildTestWorker();
}, 60_000);

const job = async (bytes: Promise<Buffer>, name: string) => ({
  bytes: await bytes,
  source: name,
  identity: { name, version: '1.0.0' },
});

describe('analysis pool (real worker threads)', () => {
  const pools: { close: () => Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.close()));
  });

  it('analyses packages in workers: the defanged stealer is malicious, the benign one clean', async () => {
    const pool = createAnalysisPool({ size: 2, limitMs: 20_000, workerUrl });
    pools.push(pool);
    const [bad, good] = await Promise.all([
      pool.run(await job(maliciousPackage(), 'fixture-stealer')),
      pool.run(await job(benignPackage('left-pad-fixture'), 'left-pad-fixture')),
    ]);
    expect(bad.status).toBe('analysed');
    expect(good.status).toBe('analysed');
    if (bad.status !== 'analysed' || good.status !== 'analysed') return;
    expect(bad.analysis.verdict).toBe('malicious');
    expect(bad.analysis.findings.map((f) => f.rule)).toContain('install-script-download-exec');
    expect(good.analysis.verdict).toBe('clean');
  }, 60_000);

  it('a package past the wall-clock limit yields time-limit; the respawned worker goes on', async () => {
    const pool = createAnalysisPool({ size: 1, limitMs: 150, workerUrl });
    pools.push(pool);
    const slow = await job(slowPackage(), 'fixture-slow');
    const t0 = Date.now();
    const first = await pool.run(slow);
    expect(first).toEqual({ status: 'time-limit', limitMs: 150 });
    // the worker load is not counted: only the analysis itself is timed
    expect(Date.now() - t0).toBeLessThan(10_000);
    const after = await pool.run(await job(benignPackage('after-timeout'), 'after-timeout'));
    expect(after.status).toBe('analysed');
    expect(pool.started).toBe(2);
  }, 60_000);

  it('a broken archive is unreadable, not a crash', async () => {
    const pool = createAnalysisPool({ size: 1, limitMs: 20_000, workerUrl });
    pools.push(pool);
    const result = await pool.run({
      bytes: new Uint8Array(Buffer.from('not a gzip stream at all')),
      source: 'broken',
      identity: { name: 'broken', version: '1.0.0' },
    });
    expect(result.status).toBe('unreadable');
  }, 60_000);

  it('a worker that cannot load fails the queued packages instead of respawning forever', async () => {
    const pool = createAnalysisPool({
      size: 2,
      limitMs: 1000,
      workerUrl: new URL('data:text/javascript,throw new Error("no analyser here")'),
    });
    pools.push(pool);
    const result = await pool.run(await job(benignPackage('x'), 'x'));
    expect(result).toMatchObject({ status: 'failed' });
    expect(pool.started).toBeLessThanOrEqual(2);
  }, 30_000);
});
