import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createWorkerPool, ownsBuffer, type PoolFailure } from '../core/worker-pool.js';
import type { JobResult, ReviewJob } from './analyse-job.js';
import type { ReviewWorkerRequest, ReviewWorkerResponse } from './worker.js';

/** A job's outcome from the pool: the worker's, or why there is none. */
export type PoolOutcome = JobResult | PoolFailure;

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

/**
 * Worker threads fed from one queue, each job under a wall-clock limit: a worker past it is
 * terminated and replaced, and the job yields `time-limit`, never a hang. The scan's pool, for
 * review jobs (two tarballs, facts kept for the delta) instead of one tarball.
 */
export const createReviewPool = (options: {
  workerUrl: URL;
  size?: number;
  limitMs: number;
  maxHeapMb?: number;
}): ReviewPool =>
  createWorkerPool<ReviewJob, Exclude<ReviewWorkerResponse, { type: 'ready' }>, JobResult>({
    workerUrl: options.workerUrl,
    ...(options.size === undefined ? {} : { size: options.size }),
    limitMs: options.limitMs,
    maxHeapMb: options.maxHeapMb ?? 1536,
    name: 'review',
    request: (id, job) => {
      const message: ReviewWorkerRequest = { id, job };
      // Whole buffers only: a slice of a pooled Buffer would detach its neighbours (it is copied).
      const transfer = [job.to.bytes, job.from?.bytes]
        .filter((bytes): bytes is Uint8Array => bytes !== undefined && ownsBuffer(bytes))
        .map((bytes) => bytes.buffer as ArrayBuffer);
      return { message, transfer };
    },
    settle: (reply) => (reply.type === 'done' ? reply.result : { status: 'failed', message: reply.message }),
  });
