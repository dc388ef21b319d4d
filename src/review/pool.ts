import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JobResult, ReviewJob } from './analyse-job.js';
import type { ReviewWorkerRequest, ReviewWorkerResponse } from './worker.js';

/** A job's outcome from the pool: the worker's, or why there is none. */
export type PoolOutcome =
  | JobResult
  | { status: 'time-limit'; limitMs: number }
  | { status: 'failed'; message: string };

export type ReviewPool = { run: (job: ReviewJob) => Promise<PoolOutcome>; close: () => Promise<void> };

/**
 * The bundle names the worker `review-worker.mjs`; tsc output keeps `worker.js` beside this file.
 * Absent (tests running the TypeScript sources): jobs run in this thread instead.
 */
export const defaultReviewWorkerUrl = (): URL | undefined => {
  for (const candidate of ['./review-worker.mjs', './worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
};

type Pending = { job: ReviewJob; resolve: (outcome: PoolOutcome) => void };
type Slot = {
  worker?: Worker;
  ready: boolean;
  current?: { id: number; pending: Pending; timer: NodeJS.Timeout };
};

/**
 * Worker threads fed from one queue, each job under a wall-clock limit: a worker past it is
 * terminated and replaced, and the job yields `time-limit`, never a hang. The same shape as the
 * scan's pool, for review jobs (two tarballs, facts kept for the delta) instead of one tarball.
 */
export const createReviewPool = (options: {
  workerUrl: URL;
  size?: number;
  limitMs: number;
  maxHeapMb?: number;
}): ReviewPool => {
  const size = Math.max(1, options.size ?? availableParallelism());
  const slots: Slot[] = Array.from({ length: size }, () => ({ ready: false }));
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;
  let broken: string | undefined;

  const finish = (slot: Slot, outcome: PoolOutcome) => {
    const current = slot.current;
    if (!current) return;
    clearTimeout(current.timer);
    slot.current = undefined;
    current.pending.resolve(outcome);
    dispatch();
  };
  const discard = (slot: Slot) => {
    const worker = slot.worker;
    slot.worker = undefined;
    slot.ready = false;
    worker?.removeAllListeners();
    worker?.on('error', () => {});
    void worker?.terminate();
  };
  const spawn = (slot: Slot) => {
    const worker = new Worker(options.workerUrl, {
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 1536 },
    });
    slot.worker = worker;
    slot.ready = false;
    worker.on('message', (message: ReviewWorkerResponse) => {
      if (slot.worker !== worker) return;
      if (message.type === 'ready') {
        slot.ready = true;
        dispatch();
        return;
      }
      if (slot.current?.id !== message.id) return;
      finish(slot, message.type === 'done' ? message.result : { status: 'failed', message: message.message });
    });
    const died = (message: string) => {
      if (slot.worker !== worker) return;
      const duringStartup = !slot.ready;
      discard(slot);
      if (slot.current) return finish(slot, { status: 'failed', message });
      if (duringStartup) {
        broken = message;
        for (const pending of queue.splice(0)) pending.resolve({ status: 'failed', message });
      } else dispatch();
    };
    worker.on('error', (error) => died(error.message));
    worker.on('exit', (code) => died(`the review worker exited (code ${code})`));
  };
  const dispatch = () => {
    if (closed) return;
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (slot.current) continue;
      if (!slot.worker) {
        spawn(slot);
        continue;
      }
      if (!slot.ready) continue;
      const pending = queue.shift()!;
      const id = nextId++;
      const transfer = [pending.job.to.bytes, pending.job.from?.bytes]
        .filter((bytes): bytes is Uint8Array => bytes !== undefined)
        // Whole buffers only: a slice of a pooled Buffer would detach its neighbours.
        .filter((bytes) => bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength)
        .map((bytes) => bytes.buffer as ArrayBuffer);
      const request: ReviewWorkerRequest = { id, job: pending.job };
      slot.current = {
        id,
        pending,
        timer: setTimeout(() => {
          discard(slot);
          finish(slot, { status: 'time-limit', limitMs: options.limitMs });
        }, options.limitMs),
      };
      slot.worker.postMessage(request, [...new Set(transfer)]);
    }
  };
  return {
    run: (job) =>
      new Promise<PoolOutcome>((resolve) => {
        if (closed || broken !== undefined)
          return resolve({ status: 'failed', message: broken ?? 'the pool is closed' });
        queue.push({ job, resolve });
        dispatch();
      }),
    close: async () => {
      closed = true;
      for (const pending of queue.splice(0)) pending.resolve({ status: 'failed', message: 'cancelled' });
      await Promise.all(
        slots.map(async (slot) => {
          const worker = slot.worker;
          if (slot.current) finish(slot, { status: 'failed', message: 'cancelled' });
          if (!worker) return;
          slot.worker = undefined;
          worker.removeAllListeners();
          worker.on('error', () => {});
          await worker.terminate();
        }),
      );
    },
  };
};
