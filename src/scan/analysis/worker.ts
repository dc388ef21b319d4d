// Worker-thread entry: analyses one tarball at a time, in memory. Package code is read, never run.
import { parentPort } from 'node:worker_threads';
import { analyzeTarball } from '../../analysis/analyze.js';
import type { WorkerRequest, WorkerResponse } from './worker-protocol.js';

const port = parentPort;
if (port) {
  const send = (message: WorkerResponse) => port.postMessage(message);
  port.on('message', async (request: WorkerRequest) => {
    try {
      const analysis = await analyzeTarball(request.bytes, request.source, request.identity);
      send({ type: 'done', id: request.id, analysis });
    } catch (error) {
      const unreadable = error instanceof Error && error.name === 'TarballError';
      const message = error instanceof Error ? error.message : String(error);
      send({ type: 'failed', id: request.id, unreadable, message });
    }
  });
  send({ type: 'ready' });
}
