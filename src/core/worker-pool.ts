import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Why a job has no result of the worker's own. */
export type PoolFailure =
  /** Still running at the wall-clock limit: the worker was terminated. */
  | { status: 'time-limit'; limitMs: number }
  /** The worker threw or died (out of memory, crash), or the pool was closed or cannot start. */
  | { status: 'failed'; message: string };

/** A worker entry's answer to one request; every entry also sends `{ type: 'ready' }` once loaded. */
export type WorkerReply = { type: string; id: number };

export type WorkerPool<Job, Result> = {
  run: (job: Job) => Promise<Result | PoolFailure>;
  /** Workers started so far (respawns after a time limit included). */
  readonly started: number;
  close: () => Promise<void>;
};

export type WorkerPoolOptions<Job, Reply extends WorkerReply, Result> = {
  /** The worker entry: it posts `{ type: 'ready' }` once loaded, then one reply per request. */
  workerUrl: URL;
  /** Worker threads; defaults to the cores available. */
  size?: number;
  /** Per-job wall-clock limit, from the moment the job is posted to a ready worker. */
  limitMs: number;
  /** Heap limit per worker: a job that blows it fails alone. */
  maxHeapMb: number;
  /** Names the worker in messages: "the <name> worker exited (code 1)". */
  name: string;
  /** The message for one job, and the buffers to transfer (not copy) with it. */
  request: (id: number, job: Job) => { message: unknown; transfer: ArrayBuffer[] };
  /** A worker's reply to a job, as the job's outcome. */
  settle: (reply: Reply) => Result | PoolFailure;
};

type Pending<Job, Outcome> = { job: Job; resolve: (outcome: Outcome) => void };
type Slot<Job, Outcome> = {
  worker?: Worker;
  ready: boolean;
  current?: { id: number; pending: Pending<Job, Outcome>; timer: NodeJS.Timeout };
};

/**
 * A fixed set of worker threads fed from one queue. Each job gets a wall-clock limit; a worker
 * past it is terminated and replaced, and the job yields a `time-limit` outcome, never a hang.
 * A job never rejects: after `close` or once workers cannot even load, it yields `failed`.
 */
export const createWorkerPool = <Job, Reply extends WorkerReply, Result>(
  options: WorkerPoolOptions<Job, Reply, Result>,
): WorkerPool<Job, Result> => {
  type Outcome = Result | PoolFailure;
  const size = Math.max(1, options.size ?? availableParallelism());
  const slots: Slot<Job, Outcome>[] = Array.from({ length: size }, () => ({ ready: false }));
  const queue: Pending<Job, Outcome>[] = [];
  let nextId = 1;
  let started = 0;
  let closed = false;
  let broken: string | undefined;

  const finish = (slot: Slot<Job, Outcome>, outcome: Outcome) => {
    const current = slot.current;
    if (!current) return;
    clearTimeout(current.timer);
    slot.current = undefined;
    current.pending.resolve(outcome);
    dispatch();
  };

  const discard = (slot: Slot<Job, Outcome>) => {
    const worker = slot.worker;
    slot.worker = undefined;
    slot.ready = false;
    worker?.removeAllListeners();
    worker?.on('error', () => {});
    void worker?.terminate();
  };

  const spawn = (slot: Slot<Job, Outcome>) => {
    const worker = new Worker(options.workerUrl, {
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
    });
    started++;
    slot.worker = worker;
    slot.ready = false;
    worker.on('message', (message: { type: 'ready' } | Reply) => {
      if (slot.worker !== worker) return;
      if (message.type === 'ready') {
        slot.ready = true;
        dispatch();
        return;
      }
      const reply = message as Reply;
      if (slot.current?.id !== reply.id) return;
      finish(slot, options.settle(reply));
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
    worker.on('exit', (code) => died(`the ${options.name} worker exited (code ${code})`));
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
      const { message, transfer } = options.request(id, pending.job);
      slot.current = {
        id,
        pending,
        timer: setTimeout(() => {
          discard(slot);
          finish(slot, { status: 'time-limit', limitMs: options.limitMs });
        }, options.limitMs),
      };
      slot.worker.postMessage(message, [...new Set(transfer)]);
    }
  };

  return {
    run: (job) =>
      new Promise<Outcome>((resolve) => {
        if (closed || broken !== undefined)
          return resolve({ status: 'failed', message: broken ?? 'the pool is closed' });
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

/** Whether a view covers its whole buffer: only then may the buffer be transferred (detached). */
export const ownsBuffer = (bytes: Uint8Array): boolean =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
