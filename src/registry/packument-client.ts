import { decodeUtf8 } from '../core/input.js';
import { TOOL_VERSION } from '../core/version.js';
import {
  authFor,
  authorizationHeader,
  emptyNpmrc,
  loadNpmrc,
  type NpmrcConfig,
  registryFor,
} from './npmrc.js';
import { type Packument, parsePackument } from './packument.js';
import { fetchFor } from './proxy.js';
import { readBodyLimited } from './read-body.js';
import { describeFetchError, RegistryError, redact } from './registry-errors.js';
import { fetchWithRetries } from './retry.js';

export { describeFetchError, RegistryError, redact };

import { type CachedDocument, createDocumentCache, defaultPackumentCacheDir } from './packument-cache.js';

/** Where remediation gets registry data. `undefined` means the package is not published. */
export type PackumentSource = { get: (name: string) => Promise<Packument | undefined> };

export type HttpPackumentOptions = {
  npmrc?: NpmrcConfig;
  /** Directory of the on-disk cache; no disk cache when omitted. */
  cacheDir?: string;
  /** Only read the cache; a package not cached is reported as unknown (`undefined`). */
  offline?: boolean;
  timeoutMs?: number;
  /** Further attempts after the first, for network errors, 429 and 5xx. */
  retries?: number;
  /** First backoff delay; doubles on each retry. */
  backoffMs?: number;
  concurrency?: number;
  /** Largest document accepted, in bytes. */
  maxBytes?: number;
  /** A cached document younger than this is used without asking the registry. */
  maxAgeMs?: number;
  /** Notes for the user (stale cache used, …). */
  onWarning?: (message: string) => void;
  fetch?: typeof fetch;
};

/** Abbreviated documents first, as npm asks: they carry everything resolution needs. */
const ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

export const DEFAULT_MAX_PACKUMENT_BYTES = 64 * 1024 * 1024;

/** `@scope/name` → `@scope%2fname`, as the registry expects. */
export const packumentUrl = (registry: string, name: string): string => {
  if (!/^(@[a-z0-9][\w.~-]*\/)?[a-z0-9._~-][\w.~-]*$/i.test(name) || name.length > 214) {
    throw new RegistryError(`"${name}" is not a valid package name`);
  }
  return `${registry}${name.replace('/', '%2f')}`;
};

export type ProjectPackumentOptions = {
  projectDir: string;
  offline?: boolean;
  /** Registry URL that overrides `.npmrc` (a `--registry` flag). */
  registry?: string | undefined;
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  onWarning?: (message: string) => void;
};

/** The packument source a command uses for a project: its `.npmrc`, the shared disk cache. */
export const createPackumentSource = (options: ProjectPackumentOptions): PackumentSource => {
  const env = options.env ?? process.env;
  const npmrc = loadNpmrc({
    projectDir: options.projectDir,
    env,
    ...(options.home !== undefined ? { home: options.home } : {}),
  });
  if (options.registry)
    npmrc.registry = options.registry.endsWith('/') ? options.registry : `${options.registry}/`;
  return createHttpPackumentSource({
    npmrc,
    cacheDir: options.cacheDir ?? defaultPackumentCacheDir(env),
    offline: options.offline ?? false,
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
};

export const createHttpPackumentSource = (options: HttpPackumentOptions = {}): PackumentSource => {
  const npmrc = options.npmrc ?? emptyNpmrc();
  const cache = options.cacheDir ? createDocumentCache(options.cacheDir) : undefined;
  const limit = createLimiter(options.concurrency ?? 8);
  const memo = new Map<string, Promise<Packument | undefined>>();
  const fetcher: Fetcher = {
    fetch: options.fetch ?? fetchFor(npmrc),
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 2,
    backoffMs: options.backoffMs ?? 250,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_PACKUMENT_BYTES,
  };
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const warn = options.onWarning ?? (() => {});
  // After one registry failure the rest of the run reads the cache only, instead of paying the
  // timeout and retries again for every package.
  let down: string | undefined;

  // A cache that cannot be written (read-only home, full disk) costs speed, never the answer.
  let cacheWarned = false;
  const store = (entry: CachedDocument) => {
    try {
      cache?.write(entry);
    } catch (error) {
      if (!cacheWarned)
        warn(`cannot write the packument cache (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      cacheWarned = true;
    }
  };

  const load = async (name: string): Promise<Packument | undefined> => {
    const registry = registryFor(npmrc, name);
    const url = packumentUrl(registry, name);
    const cached = cache?.read(url);
    const fromCache = (entry: typeof cached) =>
      entry === undefined ? undefined : parsePackument(entry.body, `${url} (cached)`, name);
    if (options.offline) return fromCache(cached);
    if (down !== undefined) {
      if (cached) return fromCache(cached);
      throw new RegistryError(down);
    }
    if (cached && Date.now() - Date.parse(cached.fetchedAt) < maxAgeMs) return fromCache(cached);

    const headers: Record<string, string> = {
      accept: ACCEPT,
      'user-agent': `bulwark/${TOOL_VERSION}`,
    };
    const authorization = authorizationHeader(authFor(npmrc, registry));
    if (authorization) headers.authorization = authorization;
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;

    let response: FetchedDocument;
    try {
      response = await limit(() => fetchDocument(fetcher, url, headers));
    } catch (error) {
      if (error instanceof RegistryError && /unreachable/.test(error.message)) down ??= error.message;
      if (cached && error instanceof RegistryError) {
        warn(`${error.message}; using the cached copy from ${cached.fetchedAt}`);
        return fromCache(cached);
      }
      throw error;
    }
    const now = new Date().toISOString();
    if (response.status === 404) return undefined;
    if (response.status === 304 && cached) {
      store({ ...cached, fetchedAt: now });
      return fromCache(cached);
    }
    const packument = parsePackument(response.body, url, name);
    store({ url, body: response.body, fetchedAt: now, ...response.validators });
    return packument;
  };

  return {
    get: (name) => {
      let pending = memo.get(name);
      if (!pending) {
        pending = load(name);
        memo.set(name, pending);
      }
      return pending;
    },
  };
};

type Fetcher = {
  fetch: typeof fetch;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  maxBytes: number;
};

type FetchedDocument = {
  status: number;
  body: string;
  validators: { etag?: string; lastModified?: string };
};

const fetchDocument = async (
  fetcher: Fetcher,
  url: string,
  headers: Record<string, string>,
): Promise<FetchedDocument> =>
  fetchWithRetries<FetchedDocument>(fetcher, url, { headers, redirect: 'follow' }, async (response) => {
    const { status } = response;
    if (status === 401 || status === 403) {
      await response.body?.cancel();
      throw new RegistryError(`${redact(url)}: HTTP ${status} (check the registry credentials in .npmrc)`);
    }
    if (status === 404 || status === 304) {
      await response.body?.cancel();
      return { status, body: '', validators: {} };
    }
    if (status !== 200) {
      await response.body?.cancel();
      throw new RegistryError(`${redact(url)}: unexpected HTTP ${status}`);
    }
    let body: string;
    try {
      body = await readLimited(response, fetcher.maxBytes);
    } catch (error) {
      if (error instanceof RegistryError) throw new RegistryError(`${redact(url)}: ${error.message}`);
      return { retry: describeFetchError(error, fetcher.timeoutMs) };
    }
    const validators: FetchedDocument['validators'] = {};
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    if (etag) validators.etag = etag;
    if (lastModified) validators.lastModified = lastModified;
    return { status, body, validators };
  });

const readLimited = async (response: Response, maxBytes: number): Promise<string> =>
  decodeUtf8(await readBodyLimited(response, maxBytes, 'document'), response.url || 'registry response');

/** Runs at most `max` tasks at once, in arrival order. */
export const createLimiter = (max: number) => {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the next waiter, so `active` never overshoots.
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
};
