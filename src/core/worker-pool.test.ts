import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerPool, ownsBuffer, type WorkerPool } from './worker-pool.js';

type Reply = { type: 'done'; id: number; sum: number } | { type: 'failed'; id: number; message: string };

// Sums the bytes it is sent; a first byte of 255 never answers, 254 throws.
const worker = new URL(
  `data:text/javascript,${encodeURIComponent(`
import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ id, bytes }) => {
  if (bytes[0] === 255) return;
  if (bytes[0] === 254) return parentPort.postMessage({ type: 'failed', id, message: 'bad bytes' });
  parentPort.postMessage({ type: 'done', id, sum: bytes.reduce((a, b) => a + b, 0) });
});
parentPort.postMessage({ type: 'ready' });`)}`,
);

const sumPool = (
  limitMs: number,
  workerUrl = worker,
  size = 2,
): WorkerPool<Uint8Array, { status: 'summed'; sum: number }> =>
  createWorkerPool<Uint8Array, Reply, { status: 'summed'; sum: number }>({
    workerUrl,
    size,
    limitMs,
    maxHeapMb: 64,
    name: 'sum',
    request: (id, bytes) => ({
      message: { id, bytes },
      transfer: ownsBuffer(bytes) ? [bytes.buffer as ArrayBuffer] : [],
    }),
    settle: (reply) =>
      reply.type === 'done'
        ? { status: 'summed', sum: reply.sum }
        : { status: 'failed', message: reply.message },
  });

describe('worker pool (real worker threads)', () => {
  const pools: WorkerPool<Uint8Array, unknown>[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.close()));
  });

  it('runs jobs in workers; a worker past the limit is replaced and the pool goes on', async () => {
    const pool = sumPool(300);
    pools.push(pool);
    const [a, b, stuck, bad] = await Promise.all([
      pool.run(new Uint8Array([1, 2, 3])),
      pool.run(new Uint8Array([10, 20])),
      pool.run(new Uint8Array([255])),
      pool.run(new Uint8Array([254])),
    ]);
    expect([a, b, stuck, bad]).toEqual([
      { status: 'summed', sum: 6 },
      { status: 'summed', sum: 30 },
      { status: 'time-limit', limitMs: 300 },
      { status: 'failed', message: 'bad bytes' },
    ]);
    expect(await pool.run(new Uint8Array([4]))).toEqual({ status: 'summed', sum: 4 });
    // The job after may go to the other worker, so the replacement may not have started yet.
    expect(pool.started).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it('starts a new worker in place of one stopped at the limit', async () => {
    const pool = sumPool(300, worker, 1);
    pools.push(pool);
    expect(await pool.run(new Uint8Array([255]))).toEqual({ status: 'time-limit', limitMs: 300 });
    expect(await pool.run(new Uint8Array([4]))).toEqual({ status: 'summed', sum: 4 });
    expect(pool.started).toBe(2);
  }, 30_000);

  it('fails queued jobs when the worker cannot load, and every job after close', async () => {
    const pool = sumPool(1000, new URL('data:text/javascript,throw new Error("cannot load")'));
    pools.push(pool);
    expect(await pool.run(new Uint8Array([1]))).toMatchObject({ status: 'failed' });
    const open = sumPool(1000);
    await open.close();
    expect(await open.run(new Uint8Array([1]))).toEqual({ status: 'failed', message: 'the pool is closed' });
  }, 30_000);
});

describe('ownsBuffer', () => {
  it('is true only for a view over its whole buffer', () => {
    expect(ownsBuffer(new Uint8Array(4))).toBe(true);
    expect(ownsBuffer(new Uint8Array(new ArrayBuffer(8), 2, 4))).toBe(false);
  });
});
