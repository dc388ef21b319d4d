import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PackageAnalysis } from '../../analysis/analyze.js';
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

type Pending = { job: PoolJob; resolve: (result: PoolResult) => void };
type Slot = {
  worker?: Worker;
  ready: boolean;
  current?: { id: number; pending: Pending; timer?: NodeJS.Timeout };
};

/**
 * A fixed set of worker threads fed from one queue. Each package gets a wall-clock limit; a worker
 * past it is terminated and replaced, and the package yields a `time-limit` result, never a hang.
 */
export const createAnalysisPool = (options: PoolOptions): AnalysisPool => {
  const size = Math.max(1, options.size ?? availableParallelism());
  const workerUrl = options.workerUrl ?? defaultWorkerUrl();
  const maxHeapMb = options.maxHeapMb ?? DEFAULT_MAX_HEAP_MB;
  const slots: Slot[] = Array.from({ length: size }, () => ({ ready: false }));
  const queue: Pending[] = [];
  let nextId = 1;
  let started = 0;
  let closed = false;
  let broken: string | undefined;

  const finish = (slot: Slot, result: PoolResult) => {
    const current = slot.current;
    if (!current) return;
    clearTimeout(current.timer);
    slot.current = undefined;
    current.pending.resolve(result);
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
    const worker = new Worker(workerUrl, { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
    started++;
    slot.worker = worker;
    slot.ready = false;
    worker.on('message', (message: WorkerResponse) => {
      if (slot.worker !== worker) return;
      if (message.type === 'ready') {
        slot.ready = true;
        dispatch();
        return;
      }
      if (slot.current?.id !== message.id) return;
      finish(
        slot,
        message.type === 'done'
          ? { status: 'analysed', analysis: message.analysis }
          : message.unreadable
            ? { status: 'unreadable', message: message.message }
            : { status: 'failed', message: message.message },
      );
    });
    const died = (message: string) => {
      if (slot.worker !== worker) return;
      const duringStartup = !slot.ready;
      discard(slot);
      if (slot.current) return finish(slot, { status: 'failed', message });
      // A worker that cannot even load would be respawned forever: fail what is queued instead.
      if (duringStartup) {
        broken = message;
        for (const pending of queue.splice(0)) pending.resolve({ status: 'failed', message });
      } else dispatch();
    };
    worker.on('error', (error) => died(error.message));
    worker.on('exit', (code) => died(`the analysis worker exited (code ${code})`));
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
      const { bytes } = pending.job;
      // Transfer whole buffers only: a slice of a pooled Buffer would detach its neighbours.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      const payload = own ? bytes : bytes.slice();
      slot.current = { id, pending };
      const request: WorkerRequest = { ...pending.job, id, bytes: payload };
      slot.worker.postMessage(request, [payload.buffer as ArrayBuffer]);
      slot.current.timer = setTimeout(() => {
        discard(slot);
        finish(slot, { status: 'time-limit', limitMs: options.limitMs });
      }, options.limitMs);
    }
  };

  return {
    run: (job) =>
      new Promise<PoolResult>((resolve) => {
        if (closed) throw new Error('the analysis pool is closed');
        if (broken !== undefined) return resolve({ status: 'failed', message: broken });
        queue.push({ job, resolve });
        dispatch();
      }),
    get started() {
      return started;
    },
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
