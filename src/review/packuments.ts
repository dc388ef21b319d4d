import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeUtf8 } from '../core/input.js';
import { dataDir } from '../core/paths.js';
import { TOOL_VERSION } from '../core/version.js';
import { authFor, authorizationHeader, type NpmrcConfig, registryFor } from '../registry/npmrc.js';
import { type Packument, parsePackument } from '../registry/packument.js';
import { type CachedDocument, createDocumentCache } from '../registry/packument-cache.js';
import {
  createLimiter,
  DEFAULT_MAX_PACKUMENT_BYTES,
  type PackumentSource,
  packumentUrl,
  RegistryError,
  redact,
} from '../registry/packument-client.js';
import { fetchFor } from '../registry/proxy.js';
import { readBodyLimited } from '../registry/read-body.js';
import { fetchWithRetries } from '../registry/retry.js';

/**
 * A package's full registry document: a digest of its text for cache keys, and the text itself,
 * read from disk only when asked for (a warm review needs the digests alone). `text()` is
 * `undefined` when the cached body is gone or no longer matches the digest.
 */
export type FullDocument = { digest: string; text: () => string | undefined };

export type FullPackuments = {
  /** `undefined` when the registry has no such package (or offline with nothing cached). */
  get: (name: string) => Promise<FullDocument | undefined>;
  /** The same documents, validated, for the tarball client (dist.tarball and integrity). */
  source: PackumentSource;
};

export type FullPackumentOptions = {
  npmrc: NpmrcConfig;
  offline: boolean;
  /** Where documents are cached; the data directory's `cache/packuments-full` by default. */
  cacheDir?: string;
  /** A cached document younger than this is used without asking the registry. */
  maxAgeMs?: number;
  onWarning?: (message: string) => void;
  fetch?: typeof fetch;
};

export const defaultFullPackumentCacheDir = (env: NodeJS.ProcessEnv = process.env): string =>
  join(dataDir(env), 'cache', 'packuments-full');

/**
 * Full (not abbreviated) registry documents: publish times, publishers, maintainers, attestations
 * and repositories, which the metadata transitions read. Cached on disk with the same document
 * cache and the same revalidation (`If-None-Match`, `If-Modified-Since`, five minutes fresh) as
 * the scan's packument client, in a directory of their own: the scan caches abbreviated documents
 * under the same URLs.
 */
export const createFullPackuments = (options: FullPackumentOptions): FullPackuments => {
  const { npmrc } = options;
  const cache = createDocumentCache(options.cacheDir ?? defaultFullPackumentCacheDir());
  const fetchImpl = options.fetch ?? fetchFor(npmrc);
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const warn = options.onWarning ?? (() => {});
  const limit = createLimiter(8);
  const memo = new Map<string, Promise<FullDocument | undefined>>();
  const digests = createDigestIndex(options.cacheDir ?? defaultFullPackumentCacheDir());
  const parsed = new Map<string, Promise<Packument | undefined>>();
  let down: string | undefined;
  let cacheWarned = false;

  const store = (entry: CachedDocument, digest: string) => {
    try {
      cache.write(entry);
      digests.write(entry.url, { digest, fetchedAt: entry.fetchedAt });
    } catch (error) {
      if (!cacheWarned)
        warn(`cannot write the packument cache (${(error as NodeJS.ErrnoException).code ?? error})`);
      cacheWarned = true;
    }
  };

  const load = async (name: string): Promise<FullDocument | undefined> => {
    const registry = registryFor(npmrc, name);
    const url = packumentUrl(registry, name);
    // The digest alone, while the document is fresh: its body is read only if a job needs it.
    const known = digests.read(url);
    if (known && (options.offline || Date.now() - Date.parse(known.fetchedAt) < maxAgeMs))
      return lazyDocument(known.digest, () => cache.read(url)?.body);
    const cached = cache.read(url);
    const fromCache = () => (cached === undefined ? undefined : documentOf(cached.body));
    if (options.offline) return fromCache();
    if (down !== undefined && cached) return fromCache();
    if (down !== undefined) throw new RegistryError(down);
    if (cached && Date.now() - Date.parse(cached.fetchedAt) < maxAgeMs) return fromCache();
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': `bulwark/${TOOL_VERSION}`,
    };
    const authorization = authorizationHeader(authFor(npmrc, registry));
    if (authorization) headers.authorization = authorization;
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
    const policy = { fetch: fetchImpl, retries: 2, backoffMs: 250, timeoutMs: 20_000 };
    let answer: { status: number; body: string; etag?: string; lastModified?: string };
    try {
      answer = await limit(() =>
        fetchWithRetries(policy, url, { headers, redirect: 'follow' }, async (response) => {
          const { status } = response;
          if (status === 404 || status === 304) {
            await response.body?.cancel();
            return { status, body: '' };
          }
          if (status !== 200) {
            await response.body?.cancel();
            throw new RegistryError(`${redact(url)}: unexpected HTTP ${status}`);
          }
          const body = decodeUtf8(
            await readBodyLimited(response, DEFAULT_MAX_PACKUMENT_BYTES, 'document'),
            url,
          );
          const etag = response.headers.get('etag') ?? undefined;
          const lastModified = response.headers.get('last-modified') ?? undefined;
          return { status, body, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
        }),
      );
    } catch (error) {
      if (error instanceof RegistryError && /unreachable/.test(error.message)) down ??= error.message;
      if (cached) {
        warn(
          `${error instanceof Error ? error.message : String(error)}; using the cached copy from ${cached.fetchedAt}`,
        );
        return fromCache();
      }
      throw error;
    }
    const now = new Date().toISOString();
    if (answer.status === 404) return undefined;
    if (answer.status === 304 && cached) {
      const document = documentOf(cached.body);
      store({ ...cached, fetchedAt: now }, document.digest);
      return document;
    }
    const entry: CachedDocument = { url, body: answer.body, fetchedAt: now };
    if (answer.etag) entry.etag = answer.etag;
    if (answer.lastModified) entry.lastModified = answer.lastModified;
    const document = documentOf(answer.body);
    store(entry, document.digest);
    return document;
  };

  const get = (name: string) => {
    let pending = memo.get(name);
    if (!pending) {
      pending = load(name);
      memo.set(name, pending);
    }
    return pending;
  };

  return {
    get,
    source: {
      get: (name) => {
        let pending = parsed.get(name);
        if (!pending) {
          pending = get(name).then((doc) => {
            const text = doc?.text();
            return text === undefined ? undefined : parsePackument(text, `${name} (registry)`, name);
          });
          parsed.set(name, pending);
        }
        return pending;
      },
    },
  };
};

const digestOf = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

const documentOf = (text: string): FullDocument => ({ digest: digestOf(text), text: () => text });

/** A document whose body is read (and checked against its digest) on first use. */
const lazyDocument = (digest: string, read: () => string | undefined): FullDocument => {
  let body: string | undefined | null = null;
  return {
    digest,
    text: () => {
      if (body === null) {
        const text = read();
        body = text !== undefined && digestOf(text) === digest ? text : undefined;
      }
      return body;
    },
  };
};

type DigestEntry = { digest: string; fetchedAt: string };

/**
 * Beside each cached document, a few bytes: its digest and when it was fetched. Written after the
 * document (atomically), so a reader finds either the old pair or the new one; a body that no
 * longer matches is caught when it is read.
 */
const createDigestIndex = (dir: string) => {
  const fileFor = (url: string) => join(dir, `${createHash('sha256').update(url).digest('hex')}.digest`);
  return {
    read: (url: string): DigestEntry | undefined => {
      try {
        const value = JSON.parse(readFileSync(fileFor(url), 'utf8')) as Partial<DigestEntry> & {
          url?: unknown;
        };
        return value.url === url && typeof value.digest === 'string' && typeof value.fetchedAt === 'string'
          ? { digest: value.digest, fetchedAt: value.fetchedAt }
          : undefined;
      } catch {
        return undefined;
      }
    },
    write: (url: string, entry: DigestEntry): void => {
      mkdirSync(dir, { recursive: true });
      const target = fileFor(url);
      const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        writeFileSync(temp, JSON.stringify({ url, ...entry }));
        renameSync(temp, target);
      } catch (error) {
        rmSync(temp, { force: true });
        throw error;
      }
    },
  };
};
