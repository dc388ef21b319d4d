import { join } from 'node:path';
import { decodeUtf8, parseJsonInput } from '../../core/input.js';
import { isRecord, type JsonRecord } from '../../core/shape.js';
import { TOOL_VERSION } from '../../core/version.js';
import {
  authFor,
  authorizationHeader,
  loadNpmrc,
  type NpmrcConfig,
  registryFor,
} from '../../registry/npmrc.js';
import { createDocumentCache, defaultPackumentCacheDir } from '../../registry/packument-cache.js';
import {
  createLimiter,
  DEFAULT_MAX_PACKUMENT_BYTES,
  packumentUrl,
  RegistryError,
} from '../../registry/packument-client.js';
import { fetchFor } from '../../registry/proxy.js';
import { readBodyLimited } from '../../registry/read-body.js';
import { fetchWithRetries } from '../../registry/retry.js';

/** One listed release, reduced to what fetching and judging it needs. */
export type ListedRelease = { tarball?: string; integrity?: string; deprecated?: string };

/** A full registry document: the raw object for the metadata transitions, and its releases. */
export type RegistryDocument = {
  /** ISO time the registry sent it. */
  fetchedAt: string;
  raw: JsonRecord;
  releases: ReadonlyMap<string, ListedRelease>;
  latest?: string;
};

export type DocumentSource = {
  /** `undefined` when the registry does not have the package. Throws RegistryError when unreachable. */
  get: (name: string) => Promise<RegistryDocument | undefined>;
  /** The registry the package's documents come from (scopes honoured). */
  registryOf: (name: string) => string;
  /**
   * A small value computed from the package's document, cached beside it and fresh exactly as
   * long as the document: a warm run reads it without reading the document. `key` names the
   * computation and its inputs; a cached value `valid` rejects is computed again.
   */
  derived: <T>(
    name: string,
    key: string,
    compute: (document: RegistryDocument) => T,
    valid: (value: unknown) => value is T,
  ) => Promise<T | undefined>;
};

export type DocumentSourceOptions = {
  projectDir: string;
  registry?: string | undefined;
  /** Defaults to a `full/` directory beside the abbreviated documents the resolver caches. */
  cacheDir?: string;
  /** A cached document younger than this is used without asking the registry. */
  maxAgeMs?: number;
  concurrency?: number;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
};

/** An hour: the upgrade check reads every inventory package's document, and the mirror sends no validators. */
export const DEFAULT_DOCUMENT_MAX_AGE_MS = 60 * 60_000;

/**
 * Full registry documents (with `_npmUser`, `maintainers`, `time`, `repository`, `gitHead`,
 * attestations), which the abbreviated ones scan's resolver asks for do not carry. They are
 * cached in their own directory so that one kind is never served for the other. After one
 * "unreachable" the rest of the run reads the cache only.
 */
export const createDocumentSource = (options: DocumentSourceOptions): DocumentSource => {
  const env = options.env ?? process.env;
  const npmrc: NpmrcConfig = loadNpmrc({ projectDir: options.projectDir, env });
  if (options.registry)
    npmrc.registry = options.registry.endsWith('/') ? options.registry : `${options.registry}/`;
  const cacheDir = options.cacheDir ?? join(defaultPackumentCacheDir(env), 'full');
  const cache = createDocumentCache(cacheDir);
  const derivedCache = createDocumentCache(join(cacheDir, 'derived'));
  const limit = createLimiter(options.concurrency ?? 8);
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_DOCUMENT_MAX_AGE_MS;
  const policy = {
    fetch: options.fetch ?? fetchFor(npmrc),
    retries: 1,
    backoffMs: 250,
    timeoutMs: options.timeoutMs ?? 20_000,
  };
  let down: string | undefined;

  const get = async (name: string): Promise<RegistryDocument | undefined> => {
    const registry = registryFor(npmrc, name);
    const url = packumentUrl(registry, name);
    const cached = cache.read(url);
    if (cached && (down !== undefined || Date.now() - Date.parse(cached.fetchedAt) < maxAgeMs))
      return readDocument(cached.body, `${url} (cached)`, cached.fetchedAt);
    if (down !== undefined) throw new RegistryError(down);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': `bulwark/${TOOL_VERSION}`,
    };
    const authorization = authorizationHeader(authFor(npmrc, registry));
    if (authorization) headers.authorization = authorization;
    let body: string | undefined;
    try {
      body = await limit(() =>
        fetchWithRetries(policy, url, { headers, redirect: 'follow' }, async (response) => {
          if (response.status === 404) {
            await response.body?.cancel();
            return undefined;
          }
          if (response.status !== 200) {
            await response.body?.cancel();
            throw new RegistryError(`${url}: unexpected HTTP ${response.status}`);
          }
          return decodeUtf8(await readBodyLimited(response, DEFAULT_MAX_PACKUMENT_BYTES, 'document'), url);
        }),
      );
    } catch (error) {
      if (error instanceof RegistryError && /unreachable/.test(error.message)) down ??= error.message;
      if (cached) return readDocument(cached.body, `${url} (cached)`, cached.fetchedAt);
      throw error;
    }
    if (body === undefined) return undefined;
    const document = readDocument(body, url, new Date().toISOString());
    // The cache holds the slim form: a warm scan parses kilobytes per package, not a whole history.
    const slim = JSON.stringify(document.raw);
    try {
      cache.write({ url, body: slim, fetchedAt: document.fetchedAt });
    } catch {
      // a cache that cannot be written costs speed on the next run, never this answer
    }
    return document;
  };

  const derived = async <T>(
    name: string,
    key: string,
    compute: (document: RegistryDocument) => T,
    valid: (value: unknown) => value is T,
  ): Promise<T | undefined> => {
    const id = `${packumentUrl(registryFor(npmrc, name), name)}#${key}`;
    const hit = derivedCache.read(id);
    if (hit && Date.now() - Date.parse(hit.fetchedAt) < maxAgeMs) {
      try {
        const value: unknown = JSON.parse(hit.body);
        if (valid(value)) return value;
      } catch {
        // a damaged entry is computed again
      }
    }
    const document = await get(name);
    if (document === undefined) return undefined;
    const value = compute(document);
    try {
      derivedCache.write({ url: id, body: JSON.stringify(value), fetchedAt: document.fetchedAt });
    } catch {
      // computed again next time
    }
    return value;
  };

  return { get, registryOf: (name) => registryFor(npmrc, name), derived };
};

/**
 * Parses a document from untrusted text; odd releases are dropped, never fatal. `raw` keeps only
 * what the upgrade check reads — dist-tags, time, and per release the fields the metadata
 * transitions (src/diff/metadata/transitions.ts) and the tarball fetch use — so documents of
 * thousands of releases with readmes shrink to a few percent.
 */
export const readDocument = (
  text: string,
  source: string,
  fetchedAt: string = new Date().toISOString(),
): RegistryDocument => {
  const parsed = parseJsonInput(text, source);
  if (!isRecord(parsed)) throw new RegistryError(`${source}: not a registry document`);
  const raw = slim(parsed);
  const versions = raw.versions as JsonRecord;
  const releases = new Map<string, ListedRelease>();
  for (const [version, manifest] of Object.entries(versions)) {
    if (!isRecord(manifest)) continue;
    const dist = isRecord(manifest.dist) ? manifest.dist : {};
    const release: ListedRelease = {};
    if (typeof dist.tarball === 'string') release.tarball = dist.tarball;
    if (typeof dist.integrity === 'string') release.integrity = dist.integrity;
    if (typeof manifest.deprecated === 'string' && manifest.deprecated !== '')
      release.deprecated = manifest.deprecated;
    releases.set(version, release);
  }
  const tags = isRecord(raw['dist-tags']) ? raw['dist-tags'] : {};
  const latest = typeof tags.latest === 'string' && releases.has(tags.latest) ? tags.latest : undefined;
  return { fetchedAt, raw, releases, ...(latest === undefined ? {} : { latest }) };
};

/** Release fields kept: what `metadataTransitions` reads, plus `deprecated`. */
const RELEASE_FIELDS = ['_npmUser', 'maintainers', 'repository', 'gitHead', 'deprecated'] as const;
const DIST_FIELDS = ['tarball', 'integrity', 'attestations'] as const;

const slim = (doc: JsonRecord): JsonRecord => {
  const versions: JsonRecord = {};
  if (isRecord(doc.versions)) {
    for (const [version, manifest] of Object.entries(doc.versions)) {
      if (!isRecord(manifest)) continue;
      const kept: JsonRecord = {};
      for (const field of RELEASE_FIELDS) if (Object.hasOwn(manifest, field)) kept[field] = manifest[field];
      if (isRecord(manifest.dist)) {
        const dist: JsonRecord = {};
        for (const field of DIST_FIELDS)
          if (Object.hasOwn(manifest.dist, field)) dist[field] = manifest.dist[field];
        kept.dist = dist;
      }
      versions[version] = kept;
    }
  }
  return {
    ...(typeof doc.name === 'string' ? { name: doc.name } : {}),
    ...(isRecord(doc['dist-tags']) ? { 'dist-tags': doc['dist-tags'] } : {}),
    ...(isRecord(doc.time) ? { time: doc.time } : {}),
    versions,
  };
};
