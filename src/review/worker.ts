// Worker-thread entry for `bulwark review`: analyses one job (a version pair or an added
// version) at a time, in memory. Package code is read, never run.
import { parentPort } from 'node:worker_threads';
import { analyseJob, type JobResult, type ReviewJob } from './analyse-job.js';

export type ReviewWorkerRequest = { id: number; job: ReviewJob };
export type ReviewWorkerResponse =
  | { type: 'ready' }
  | { type: 'done'; id: number; result: JobResult }
  | { type: 'failed'; id: number; message: string };

const port = parentPort;
if (port) {
  const send = (message: ReviewWorkerResponse) => port.postMessage(message);
  port.on('message', async ({ id, job }: ReviewWorkerRequest) => {
    try {
      send({ type: 'done', id, result: await analyseJob(job) });
    } catch (error) {
      send({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) });
    }
  });
  send({ type: 'ready' });
}
