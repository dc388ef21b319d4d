import type { PackageAnalysis } from '../../analysis/analyze.js';

/** Main thread → worker: one tarball to analyse. The bytes are transferred, not copied. */
export type WorkerRequest = {
  id: number;
  bytes: Uint8Array;
  source: string;
  identity: { name: string; version: string; integrity?: string };
};

/** Worker → main thread. `ready` once the analyser is loaded, so load time never counts as analysis. */
export type WorkerResponse =
  | { type: 'ready' }
  | { type: 'done'; id: number; analysis: PackageAnalysis }
  | { type: 'failed'; id: number; unreadable: boolean; message: string };
