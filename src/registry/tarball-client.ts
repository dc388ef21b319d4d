import ssri from 'ssri';
import { TOOL_VERSION } from '../core/version.js';
import { type ContentCache, createContentCache, integrityOf, parseIntegrity } from './content-cache.js';
import {
  authFor,
  authorizationHeader,
  DEFAULT_REGISTRY,
  emptyNpmrc,
  type NpmrcConfig,
  registryFor,
} from './npmrc.js';
import { defaultPackumentCacheDir } from './packument-cache.js';
import {
  createHttpPackumentSource,
  createLimiter,
  describeFetchError,
  type PackumentSource,
  packumentUrl,
  RegistryError,
  redact,
} from './packument-client.js';
import { fetchFor } from './proxy.js';
import { readBodyLimited } from './read-body.js';
import { fetchWithRetries } from './retry.js';

/** What to fetch: a lockfile entry's name, version and, when the lockfile has them, integrity and URL. */
export type TarballRequest = { name: string; version: string; integrity?: string; resolved?: string };

export type FetchedTarball = {
  bytes: Uint8Array;
  /** The integrity the bytes were checked against, else their sha512 (then `verified` is false). */
  integrity: string;
  verified: boolean;
  fromCache: boolean;
  /** Where the bytes came from; absent for a cache hit. */
  url?: string;
};

/** The bytes are not the ones the lockfile or registry promised. Never retried, never cached. */
export class IntegrityError extends Error {
  readonly packageName: string;
  readonly version: string;
  readonly expected: string;
  readonly actual: string;

  constructor(packageName: string, version: string, expected: string, actual: string, url: string) {
    super(
      `${packageName}@${version}: integrity mismatch: expected ${expected}, got ${actual} (from ${redact(url)})`,
    );
    this.name = 'IntegrityError';
    this.packageName = packageName;
    this.version = version;
    this.expected = expected;
    this.actual = actual;
  }
}

export type TarballClientOptions = {
  npmrc?: NpmrcConfig;
  /** Verified tarballs by integrity; defaults to the shared cache under the data directory. */
  cache?: ContentCache;
  /** Where the tarball URL and integrity come from when the lockfile lacks them. */
  packuments?: PackumentSource;
  /** Cache only; a tarball not cached is an error that says so. */
  offline?: boolean;
  /** Per request, body included. */
  timeoutMs?: number;
  /** Further attempts after the first, for network errors, 429 and 5xx. */
  retries?: number;
  backoffMs?: number;
  concurrency?: number;
  /** Largest compressed tarball accepted. */
  maxBytes?: number;
  onWarning?: (message: string) => void;
  fetch?: typeof fetch;
};

export type TarballClient = { fetch: (request: TarballRequest) => Promise<FetchedTarball> };

export const DEFAULT_MAX_TARBALL_BYTES = 256 * 1024 * 1024;
const MAX_REDIRECTS = 5;

/**
 * Fetches package tarballs the way npm would (lockfile URL, else the packument's dist.tarball;
 * `.npmrc` credentials only for the host they belong to) and returns them verified. One client
 * shares one concurrency limit and one in-flight map across all its calls.
 */
export const createTarballClient = (options: TarballClientOptions = {}): TarballClient => {
  const npmrc = options.npmrc ?? emptyNpmrc();
  const warn = options.onWarning ?? (() => {});
  const cache = options.cache ?? createContentCache(undefined, { onCorrupt: warn });
  const offline = options.offline ?? false;
  const transport: Transport = {
    fetch: options.fetch ?? fetchFor(npmrc),
    timeoutMs: options.timeoutMs ?? 60_000,
    retries: options.retries ?? 2,
    backoffMs: options.backoffMs ?? 250,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_TARBALL_BYTES,
    npmrc,
  };
  const packuments =
    options.packuments ??
    createHttpPackumentSource({
      npmrc,
      offline,
      cacheDir: defaultPackumentCacheDir(),
      fetch: transport.fetch,
      onWarning: warn,
    });
  const limit = createLimiter(options.concurrency ?? 8);
  const inFlight = new Map<string, Promise<FetchedTarball>>();
  /** Hosts that did not answer at all (DNS, refused, timeouts): asked once per client, not per package. */
  const deadHosts = new Map<string, string>();
  let cacheWarned = false;

  const load = async (request: TarballRequest): Promise<FetchedTarball> => {
    const { name, version } = request;
    const spec = `${name}@${version}`;
    packumentUrl(DEFAULT_REGISTRY, name); // validates the name
    let integrity = request.integrity;
    if (integrity !== undefined && parseIntegrity(integrity).length === 0) {
      throw new RegistryError(`${spec}: integrity "${integrity}" has no sha512/sha384/sha256/sha1 hash`);
    }
    const cached = integrity === undefined ? undefined : cache.getContent(integrity);
    if (cached && integrity) return { bytes: cached, integrity, verified: true, fromCache: true };
    if (offline && integrity !== undefined) {
      throw new RegistryError(`${spec}: tarball is not in the cache (offline mode)`);
    }

    const registry = registryFor(npmrc, name);
    let url = viaRegistry(httpUrl(request.resolved), registry);
    if (url === undefined || integrity === undefined) {
      const published = await publishedVersion(packuments, name, version, url === undefined, warn);
      url ??= viaRegistry(httpUrl(published?.tarball), registry);
      if (integrity === undefined && published?.integrity && parseIntegrity(published.integrity).length > 0) {
        integrity = published.integrity;
        const hit = cache.getContent(integrity);
        if (hit) return { bytes: hit, integrity, verified: true, fromCache: true };
      }
    }
    if (offline) throw new RegistryError(`${spec}: tarball is not in the cache (offline mode)`);
    if (url === undefined) {
      throw new RegistryError(
        `${spec}: no tarball URL (none in the lockfile, none published for this version)`,
      );
    }

    const source = url;
    // A lockfile written against another registry (a mirror this machine cannot reach) is read
    // from the configured one instead, as npm does: same path, and the integrity decides.
    const fallback =
      integrity !== undefined && !source.startsWith(registry) && /\/-\/[^/]+\.tgz$/.test(source)
        ? `${registry}${name}/-/${source.slice(source.lastIndexOf('/') + 1)}`
        : undefined;
    const { bytes, from } = await limit(async () => {
      const host = hostOf(source);
      const dead = deadHosts.get(host);
      if (dead === undefined) {
        try {
          return { bytes: await download(transport, source), from: source };
        } catch (error) {
          // Only a host that does not answer at all is given up on; an HTTP error is per file.
          if (!(error instanceof RegistryError) || !UNREACHABLE.test(error.message)) throw error;
          deadHosts.set(host, error.message);
          if (fallback === undefined) throw error;
        }
      } else if (fallback === undefined) {
        throw new RegistryError(`${spec}: not fetched, ${dead}`);
      }
      return { bytes: await download(transport, fallback!), from: fallback! };
    });
    url = from;
    let verified = false;
    if (integrity !== undefined) {
      if (!ssri.checkData(bytes, integrity)) {
        const algorithm = parseIntegrity(integrity)[0]!.algorithm;
        throw new IntegrityError(name, version, integrity, integrityOf(bytes, algorithm), url);
      }
      verified = true;
    } else {
      warn(`${spec}: no integrity in the lockfile or the registry; the tarball is unverified`);
    }
    try {
      const stored = cache.putContent(bytes, integrity);
      integrity ??= stored;
    } catch (error) {
      integrity ??= integrityOf(bytes);
      if (!cacheWarned)
        warn(`cannot write the tarball cache (${(error as NodeJS.ErrnoException).code ?? error})`);
      cacheWarned = true;
    }
    return { bytes, integrity, verified, fromCache: false, url };
  };

  return {
    fetch: (request) => {
      const key = `${request.name}@${request.version} ${request.integrity ?? ''} ${request.resolved ?? ''}`;
      let pending = inFlight.get(key);
      if (!pending) {
        pending = load(request).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
};

/** One-off fetch. For many packages create one client, so they share its concurrency limit. */
export const fetchTarball = (
  request: TarballRequest,
  options: TarballClientOptions = {},
): Promise<FetchedTarball> => createTarballClient(options).fetch(request);

const publishedVersion = async (
  packuments: PackumentSource,
  name: string,
  version: string,
  required: boolean,
  warn: (message: string) => void,
) => {
  try {
    const packument = await packuments.get(name);
    if (packument === undefined && required) {
      throw new RegistryError(`${name}@${version}: the registry does not know this package`);
    }
    const found = packument?.versions.get(version);
    if (packument !== undefined && found === undefined && required) {
      throw new RegistryError(`${name}@${version}: this version is not published`);
    }
    return found;
  } catch (error) {
    // Only the integrity was wanted: the lockfile's URL still works without it.
    if (required) throw error;
    warn(`${name}@${version}: cannot read the packument for its integrity (${(error as Error).message})`);
    return undefined;
  }
};

/** Lockfiles also hold `file:`, `git+ssh:` and workspace links; only http(s) is fetched here. */
const httpUrl = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
};

/**
 * npm's `replace-registry-host=npmjs` default: lockfiles written against the public registry
 * still install through the configured mirror, so a URL on registry.npmjs.org goes there.
 */
/** A failure to reach the host at all, not an HTTP status. */
const UNREACHABLE = /unreachable after \d+ attempts \((?!HTTP )/;

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

const viaRegistry = (url: string | undefined, registry: string): string | undefined =>
  url?.startsWith(DEFAULT_REGISTRY) && registry !== DEFAULT_REGISTRY
    ? `${registry}${url.slice(DEFAULT_REGISTRY.length)}`
    : url;

type Transport = {
  fetch: typeof fetch;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  maxBytes: number;
  npmrc: NpmrcConfig;
};

/**
 * Follows redirects itself so credentials are chosen per hop: a registry that redirects to a CDN
 * or another host never receives, nor passes on, a token meant for itself.
 */
const download = async (transport: Transport, url: string): Promise<Uint8Array> => {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = { accept: '*/*', 'user-agent': `bulwark/${TOOL_VERSION}` };
    const authorization = authorizationHeader(authFor(transport.npmrc, current));
    if (authorization) headers.authorization = authorization;
    const result = await requestWithRetries(transport, current, headers);
    if ('bytes' in result) return result.bytes;
    const next = httpUrl(new URL(result.location, current).href);
    if (next === undefined) throw new RegistryError(`${redact(current)}: redirect to a non-http(s) location`);
    current = next;
  }
  throw new RegistryError(`${redact(url)}: more than ${MAX_REDIRECTS} redirects`);
};

const requestWithRetries = async (
  transport: Transport,
  url: string,
  headers: Record<string, string>,
): Promise<{ bytes: Uint8Array } | { location: string }> =>
  fetchWithRetries<{ bytes: Uint8Array } | { location: string }>(
    transport,
    url,
    { headers, redirect: 'manual' },
    async (response) => {
      const { status } = response;
      if (status >= 300 && status < 400 && response.headers.get('location')) {
        await response.body?.cancel();
        return { location: response.headers.get('location')! };
      }
      if (status !== 200) {
        await response.body?.cancel();
        const hint = status === 401 || status === 403 ? ' (check the registry credentials in .npmrc)' : '';
        throw new RegistryError(`${redact(url)}: HTTP ${status}${hint}`);
      }
      try {
        return { bytes: await readLimited(response, transport.maxBytes) };
      } catch (error) {
        if (error instanceof RegistryError) throw new RegistryError(`${redact(url)}: ${error.message}`);
        return { retry: describeFetchError(error, transport.timeoutMs) };
      }
    },
  );

const readLimited = (response: Response, maxBytes: number): Promise<Uint8Array> =>
  readBodyLimited(response, maxBytes, 'tarball');
