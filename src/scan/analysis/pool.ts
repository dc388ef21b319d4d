import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PackageAnalysis } from '../../analysis/analyze.js';
import { createWorkerPool, ownsBuffer } from '../../core/worker-pool.js';
import type { WorkerRequest, WorkerResponse } from './worker-protocol.js';

export type PoolJob = Omit<WorkerRequest, 'id'>;

export type PoolResult =
  | { status: 'analysed'; analysis: PackageAnalysis }
  /** Not a readable package archive. */
  | { status: 'unreadable'; message: string }
  /** Still running at the wall-clock limit: the worker was terminated. */
  | { status: 'time-limit'; limitMs: number }
  /** The worker threw or died (out of memory, crash). */
  | { status: 'failed'; message: string };

export type AnalysisPool = {
  run: (job: PoolJob) => Promise<PoolResult>;
  /** Workers started so far (respawns after a time limit included). */
  readonly started: number;
  close: () => Promise<void>;
};

export type PoolOptions = {
  /** Worker threads; defaults to the cores available. */
  size?: number;
  /** Per-package wall-clock limit, from the moment the worker receives the tarball. */
  limitMs: number;
  /** The compiled worker entry; found beside this module by default. */
  workerUrl?: URL;
  /** Heap limit per worker: a package that blows it fails alone. */
  maxHeapMb?: number;
};

export const DEFAULT_PACKAGE_LIMIT_MS = 10_000;
const DEFAULT_MAX_HEAP_MB = 1024;

/** The bundle names the worker `analysis-worker.mjs`; tsc output keeps `worker.js` beside this file. */
export const defaultWorkerUrl = (): URL => {
  for (const candidate of ['./analysis-worker.mjs', './worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(`the analysis worker is missing beside ${fileURLToPath(import.meta.url)}; rebuild`);
};

/**
 * A fixed set of worker threads fed from one queue. Each package gets a wall-clock limit; a worker
 * past it is terminated and replaced, and the package yields a `time-limit` result, never a hang.
 */
export const createAnalysisPool = (options: PoolOptions): AnalysisPool => {
  const pool = createWorkerPool<PoolJob, Exclude<WorkerResponse, { type: 'ready' }>, PoolResult>({
    workerUrl: options.workerUrl ?? defaultWorkerUrl(),
    ...(options.size === undefined ? {} : { size: options.size }),
    limitMs: options.limitMs,
    maxHeapMb: options.maxHeapMb ?? DEFAULT_MAX_HEAP_MB,
    name: 'analysis',
    request: (id, job) => {
      // Transfer whole buffers only: a slice of a pooled Buffer would detach its neighbours.
      const bytes = ownsBuffer(job.bytes) ? job.bytes : job.bytes.slice();
      const message: WorkerRequest = { ...job, id, bytes };
      return { message, transfer: [bytes.buffer as ArrayBuffer] };
    },
    settle: (reply) =>
      reply.type === 'done'
        ? { status: 'analysed', analysis: reply.analysis }
        : reply.unreadable
          ? { status: 'unreadable', message: reply.message }
          : { status: 'failed', message: reply.message },
  });
  let closed = false;
  return {
    run: (job) => (closed ? Promise.reject(new Error('the analysis pool is closed')) : pool.run(job)),
    get started() {
      return pool.started;
    },
    close: () => {
      closed = true;
      return pool.close();
    },
  };
};
