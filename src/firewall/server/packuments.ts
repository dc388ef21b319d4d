import { parseUpstreamDocument, type RegistryDocument } from '../registry/document.js';
import { createLru } from './lru.js';
import { type UpstreamClient, UpstreamError } from './upstream.js';
import type { Upstreams } from './upstreams.js';

/** A parsed upstream packument as cached: always the full document (release age needs `time`). */
export type PackumentEntry = {
  name: string;
  doc: RegistryDocument;
  /** Changes whenever the document is replaced; derived views are keyed by it. */
  generation: number;
  /** The upstream registry base it came from. */
  base: string;
  etag?: string;
  fetchedAt: number;
  /** Served from the cache after a failed revalidation. */
  stale: boolean;
  /** Size of the upstream body, the entry's weight in the cache. */
  bytes: number;
};

export type PackumentCache = {
  /**
   * The packument of `name`: from memory while younger than the max age, else revalidated with
   * the upstream ETag. Concurrent calls for one name share one upstream request. A failed
   * revalidation serves the cached copy (marked stale) rather than nothing.
   */
  get: (name: string, clientAuth?: string) => Promise<PackumentEntry>;
  readonly size: number;
};

/** After a failed revalidation, how long the cached copy is served before the upstream is tried again. */
const STALE_RETRY_MS = 30_000;

/** Upstream said the package does not exist (or is not visible to us). */
export class PackageNotFound extends Error {
  readonly status: number;
  constructor(name: string, status: number) {
    super(`${name}: the upstream registry answered ${status}`);
    this.name = 'PackageNotFound';
    this.status = status;
  }
}

export const createPackumentCache = (options: {
  upstream: UpstreamClient;
  upstreams: Upstreams;
  entries: number;
  maxAgeMs: number;
  maxBytes: number;
  maxCacheBytes: number;
  onWarning?: (message: string) => void;
}): PackumentCache => {
  // Parsed documents take a few times their JSON size; bounded by count and by bytes.
  const cache = createLru<string, PackumentEntry>(options.entries, options.maxCacheBytes);
  const inFlight = new Map<string, Promise<PackumentEntry>>();
  let generation = 0;

  const fetchEntry = async (
    name: string,
    cached: PackumentEntry | undefined,
    clientAuth?: string,
  ): Promise<PackumentEntry> => {
    const url = options.upstreams.packumentUrl(name);
    // Large packuments compress ten to one; the body is decoded with the same bound.
    const headers: Record<string, string> = { accept: 'application/json', 'accept-encoding': 'gzip' };
    const auth = options.upstreams.authFor(url) ?? clientAuth;
    if (auth) headers.authorization = auth;
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    try {
      const response = await options.upstream.get(url, { headers, maxBytes: options.maxBytes });
      if (response.status === 304 && cached) {
        const fresh = { ...cached, fetchedAt: Date.now(), stale: false };
        cache.set(name, fresh, fresh.bytes);
        return fresh;
      }
      if (response.status === 404 || response.status === 401 || response.status === 403) {
        cache.delete(name);
        throw new PackageNotFound(name, response.status);
      }
      if (response.status !== 200) {
        throw new UpstreamError(
          'status',
          `upstream answered ${response.status} for ${name}`,
          response.status,
        );
      }
      const doc = parseUpstreamDocument(response.body, `upstream packument of ${name}`, {
        expectedName: name,
        limits: { maxBytes: options.maxBytes },
      });
      const etag = response.headers.etag;
      const entry: PackumentEntry = {
        name,
        doc,
        generation: ++generation,
        base: options.upstreams.baseFor(name),
        fetchedAt: Date.now(),
        stale: false,
        bytes: response.body.byteLength,
        ...(typeof etag === 'string' ? { etag } : {}),
      };
      cache.set(name, entry, response.body.byteLength);
      return entry;
    } catch (error) {
      if (cached && !(error instanceof PackageNotFound)) {
        options.onWarning?.(`serving the cached packument of ${name}: ${(error as Error).message}`);
        // Try the upstream again in a while, not on every request: each try can take the whole
        // timeout, and every client asking meanwhile would wait for it.
        const retryIn = Math.min(options.maxAgeMs, STALE_RETRY_MS);
        const stale = { ...cached, stale: true, fetchedAt: Date.now() - options.maxAgeMs + retryIn };
        cache.set(name, stale, stale.bytes);
        return stale;
      }
      throw error;
    }
  };

  return {
    get: (name, clientAuth) => {
      const cached = cache.get(name);
      if (cached && Date.now() - cached.fetchedAt < options.maxAgeMs) return Promise.resolve(cached);
      const pending = inFlight.get(name);
      if (pending) return pending;
      const promise = fetchEntry(name, cached, clientAuth).finally(() => inFlight.delete(name));
      inFlight.set(name, promise);
      return promise;
    },
    get size() {
      return cache.size;
    },
  };
};
