import type { Action, FirewallPolicy, PolicyException, RuleId } from '../policy/firewall/types.js';
import type { AdvisoryStore } from '../store/store.js';

/** Which package manager sent a request, read from its User-Agent. */
export type ClientName = 'npm' | 'pnpm' | 'yarn' | 'bun' | 'other';

/** Who is asking: the client (from User-Agent) and, when it came through `bulwark npm …`, the project. */
export interface Requester {
  client: ClientName;
  /** `npm/11.6.2`, `yarn/4.5.0`… as sent; undefined without a User-Agent. */
  clientVersion?: string;
  /** The project directory, known when the request carries a `/-/bulwark/p/<id>/` prefix. */
  project?: string;
  /** A wrapper run's id (the same prefix), so `bulwark npm` can summarise its own decisions. */
  session?: string;
}

/** One decision the firewall took, as stored and as `bulwark firewall log` shows it. */
export interface DecisionRecord {
  /** ISO 8601. */
  time: string;
  client: ClientName;
  clientVersion?: string;
  project?: string;
  session?: string;
  package: string;
  version: string;
  /** What was asked for: a packument (per version hidden or warned) or a tarball. */
  request: 'packument' | 'tarball' | 'version';
  /** What was served: allow, warn, hide, deny. In dry run, what was served (warn) with `wouldBe`. */
  action: Action;
  wouldBe?: Action;
  rule?: RuleId;
  reason: string;
  /** Id of the waiver that allowed it, when one did. */
  waiver?: string;
}

export interface DecisionQuery {
  package?: string;
  /** Only these outcomes. */
  actions?: Action[];
  rule?: RuleId;
  client?: ClientName;
  project?: string;
  session?: string;
  /** ISO 8601, inclusive. */
  since?: string;
  /** Newest first; default 100, at most 10 000. */
  limit?: number;
}

/** The decision log: an append-only SQLite table in the data directory. */
export interface DecisionLog {
  location: string;
  record: (decision: DecisionRecord) => void;
  query: (query: DecisionQuery) => DecisionRecord[];
  close: () => void;
}

/** A waiver added through the admin API; applied like a policy exception. */
export interface StoredWaiver extends PolicyException {
  id: string;
  createdAt: string;
}

/** Waivers added at run time, kept beside the decision log so they survive a restart. */
export interface WaiverStore {
  list: () => StoredWaiver[];
  add: (waiver: PolicyException) => StoredWaiver;
  remove: (id: string) => boolean;
  close: () => void;
}

/** Everything `startFirewall` needs; only `upstream` and `policy` are required. */
export interface FirewallOptions {
  /** The default upstream registry base URL, e.g. `https://registry.npmjs.org/`. */
  upstream: string;
  /** Per-scope upstreams (`@corp` → URL) and auth by registry URL, as read from .npmrc. */
  scopes?: Record<string, string>;
  /** Authorization header values by upstream base URL (nerf-darted in .npmrc). */
  upstreamAuth?: Record<string, string>;
  policy: FirewallPolicy;
  /** Default 127.0.0.1 and 4873; port 0 picks a free one. */
  host?: string;
  port?: number;
  /** Where caches, the decision log and waivers live; default `dataDir()`. */
  dataDir?: string;
  /** The intel database: known malware and vulnerabilities, and the audit endpoint. */
  store?: AdvisoryStore;
  decisionLog?: DecisionLog;
  waivers?: WaiverStore;
  /** The admin API (`/-/bulwark/admin/…`) is off unless a token is given. */
  adminToken?: string;
  /** Code analysis of tarballs; `false` turns it off (the malicious/suspicious rules then never match). */
  analysis?: false | { workers?: number; limitMs?: number };
  limits?: Partial<FirewallLimits>;
  /** The clock, for release age; tests pass a fixed one. */
  now?: () => Date;
}

export interface FirewallLimits {
  /** Largest upstream packument accepted. */
  maxDocumentBytes: number;
  /** Largest upstream tarball accepted. */
  maxTarballBytes: number;
  /** Requests in flight to the upstream at once. */
  upstreamConcurrency: number;
  /** Per upstream request: headers and body together. */
  upstreamTimeoutMs: number;
  /** Packuments kept parsed in memory. */
  documentCacheEntries: number;
  /** How long a cached packument is served without revalidating upstream. */
  documentMaxAgeMs: number;
}

export interface Firewall {
  /** `http://127.0.0.1:<port>` — no trailing slash. */
  url: string;
  port: number;
  /** Decisions taken by this server, as they happen (the wrapper's summary listens here). */
  onDecision: (listener: (decision: DecisionRecord) => void) => () => void;
  close: () => Promise<void>;
}
