import type { FirewallPolicy } from '../../policy/firewall/types.js';
import type { FirewallLimits, FirewallOptions, Requester } from '../types.js';
import type { TarballAnalyser } from './analyser.js';
import type { Intel } from './intel.js';
import type { PackumentCache } from './packuments.js';
import type { Recorder } from './recorder.js';
import type { Semaphore } from './semaphore.js';
import type { TarballStore } from './tarball-store.js';
import type { UpstreamClient } from './upstream.js';
import type { Upstreams } from './upstreams.js';

/** Everything a request handler needs, built once by startFirewall. */
export type ServerContext = {
  options: FirewallOptions;
  limits: FirewallLimits;
  /** The policy with the stored waivers merged into its exceptions, and a key that changes with them. */
  policy: () => { policy: FirewallPolicy; key: string };
  now: () => Date;
  upstream: UpstreamClient;
  upstreams: Upstreams;
  packuments: PackumentCache;
  intel: Intel;
  tarballs: TarballStore;
  /**
   * Tarballs being fetched or analysed that were not in memory: their bytes are held until the
   * answer is sent, so their number is bounded (memory ≤ slots × maxTarballBytes).
   */
  coldTarballs: Semaphore;
  analyser: TarballAnalyser | undefined;
  recorder: Recorder;
  warn: (message: string) => void;
};

/** One request, once its prefix is stripped: who asks, and the origin tarball URLs point at. */
export type RequestInfo = {
  requester: Requester;
  /** `http://host:port` plus any `/-/bulwark/p/<id>` prefix, for rewritten tarball URLs; undefined keeps the upstream's (attribution.ts). */
  tarballBase: string | undefined;
  /** The registry path without the prefix, still percent-encoded, with its query. */
  path: string;
};
