import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type ContentHash, parseIntegrity } from '../../registry/content-cache.js';
import { createLru } from './lru.js';
import { type UpstreamClient, UpstreamError } from './upstream.js';

/** The upstream sent bytes that are not the ones the packument promised. Never served. */
export class IntegrityMismatch extends Error {
  readonly expected: string;
  readonly actual: string;
  constructor(what: string, expected: string, actual: string) {
    super(`${what}: integrity mismatch: expected ${expected}, got ${actual}`);
    this.name = 'IntegrityMismatch';
    this.expected = expected;
    this.actual = actual;
  }
}

export type FetchedBytes = { bytes: Buffer; fromCache: boolean };

export type TarballStore = {
  /**
   * Verified bytes for `integrity`: from the disk cache, else fetched from `url` (bounded) and
   * checked before anything else sees them. Concurrent calls for the same bytes share one fetch.
   */
  get: (request: {
    what: string;
    integrity: string;
    url: string;
    headers: Record<string, string>;
  }) => Promise<FetchedBytes>;
  /** Verified bytes already in memory, without waiting for anything. */
  peek: (integrity: string) => Buffer | undefined;
  /** Waits for pending cache writes. */
  flush: () => Promise<void>;
  readonly dir: string;
};

/**
 * Tarballs on disk by their strongest hash (`<dir>/<algorithm>/<2 hex>/<rest>`), written to a
 * temporary file and renamed, re-hashed on every read (a damaged file is deleted and fetched
 * again). The directory is kept under `maxCacheBytes` by deleting the least recently used files.
 */
export const createTarballStore = (options: {
  dir: string;
  upstream: UpstreamClient;
  maxBytes: number;
  maxCacheBytes: number;
  /** Verified tarballs also kept in memory, most recently used first. */
  maxMemoryBytes: number;
  onWarning?: (message: string) => void;
}): TarballStore => {
  const { dir } = options;
  const warn = options.onWarning ?? (() => {});
  const inFlight = new Map<string, Promise<FetchedBytes>>();
  // Recently served tarballs, already verified: a warm request touches neither disk nor hash.
  const memory = createLru<string, Buffer>(100_000, options.maxMemoryBytes);
  const writes = new Set<Promise<void>>();
  // What the directory holds: summed once in the background, then kept up to date.
  let knownBytes = 0;
  let pruning: Promise<void> | undefined;
  void listFiles(dir).then((files) => {
    knownBytes += files.reduce((sum, f) => sum + f.size, 0);
    maybePrune();
  });

  // Parsed once per integrity string: the warm path asks for the same few thousand over and over.
  const hashes = createLru<string, ContentHash | null>(50_000);
  const strongest = (integrity: string): ContentHash | undefined => {
    let hash = hashes.get(integrity);
    if (hash === undefined) {
      hash = parseIntegrity(integrity)[0] ?? null;
      hashes.set(integrity, hash);
    }
    return hash ?? undefined;
  };

  const pathOf = ({ algorithm, hex }: ContentHash) => join(dir, algorithm, hex.slice(0, 2), hex.slice(2));

  const readCached = async (hash: ContentHash): Promise<Buffer | undefined> => {
    const path = pathOf(hash);
    let bytes: Buffer;
    let mtimeMs: number;
    try {
      const info = await stat(path);
      if (info.size > options.maxBytes) return undefined;
      mtimeMs = info.mtimeMs;
      bytes = await readFile(path);
    } catch {
      return undefined;
    }
    if (createHash(hash.algorithm).update(bytes).digest('hex') !== hash.hex) {
      await rm(path, { force: true });
      warn(`a cached tarball was damaged and has been removed (${path})`);
      return undefined;
    }
    // Recency for pruning; an hour's precision is plenty.
    if (Date.now() - mtimeMs > 3_600_000) {
      const now = new Date();
      utimes(path, now, now).catch(() => {});
    }
    return bytes;
  };

  const store = (hash: ContentHash, bytes: Buffer) => {
    const write = (async () => {
      const target = pathOf(hash);
      const temp = join(dir, 'tmp', `${process.pid}-${randomBytes(6).toString('hex')}`);
      try {
        await mkdir(dirname(temp), { recursive: true });
        await mkdir(dirname(target), { recursive: true });
        await writeFile(temp, bytes);
        await rename(temp, target);
        knownBytes += bytes.byteLength;
      } catch (error) {
        await rm(temp, { force: true }).catch(() => {});
        warn(`cannot cache a tarball in ${dir} (${(error as Error).message})`);
      }
    })().finally(() => writes.delete(write));
    writes.add(write);
    void write.then(() => maybePrune());
  };

  const maybePrune = () => {
    if (pruning) return;
    if (knownBytes <= options.maxCacheBytes) return;
    pruning = prune()
      .catch((error) => warn(`cannot prune ${dir} (${(error as Error).message})`))
      .finally(() => {
        pruning = undefined;
      });
  };

  const prune = async () => {
    const files = await listFiles(dir);
    let total = files.reduce((sum, f) => sum + f.size, 0);
    files.sort((a, b) => a.mtimeMs - b.mtimeMs);
    // Down to 90% of the bound, so the next few writes do not walk the directory again.
    const target = options.maxCacheBytes * 0.9;
    for (const file of files) {
      if (total <= target) break;
      await rm(file.path, { force: true });
      total -= file.size;
    }
    knownBytes = total;
  };

  const fetchVerified = async (
    request: Parameters<TarballStore['get']>[0],
    hash: ContentHash,
    key: string,
  ) => {
    const cached = await readCached(hash);
    if (cached) {
      memory.set(key, cached, cached.byteLength);
      return { bytes: cached, fromCache: true };
    }
    const response = await options.upstream.get(request.url, {
      headers: request.headers,
      maxBytes: options.maxBytes,
    });
    if (response.status !== 200) {
      throw new UpstreamError(
        'status',
        `upstream answered ${response.status} for ${request.what}`,
        response.status,
      );
    }
    const actual = createHash(hash.algorithm).update(response.body).digest();
    if (actual.toString('hex') !== hash.hex) {
      throw new IntegrityMismatch(
        request.what,
        `${hash.algorithm}-${Buffer.from(hash.hex, 'hex').toString('base64')}`,
        `${hash.algorithm}-${actual.toString('base64')}`,
      );
    }
    store(hash, response.body);
    memory.set(key, response.body, response.body.byteLength);
    return { bytes: response.body, fromCache: false };
  };

  return {
    dir,
    get: (request) => {
      const hash = strongest(request.integrity);
      if (hash === undefined)
        return Promise.reject(new Error(`${request.what}: no usable integrity ("${request.integrity}")`));
      const key = `${hash.algorithm}:${hash.hex}`;
      const remembered = memory.get(key);
      if (remembered) return Promise.resolve({ bytes: remembered, fromCache: true });
      const pending = inFlight.get(key);
      if (pending) return pending;
      const promise = fetchVerified(request, hash, key).finally(() => inFlight.delete(key));
      inFlight.set(key, promise);
      return promise;
    },
    peek: (integrity) => {
      const hash = strongest(integrity);
      return hash === undefined ? undefined : memory.get(`${hash.algorithm}:${hash.hex}`);
    },
    flush: async () => {
      while (writes.size > 0) await Promise.all([...writes]);
      await pruning;
    },
  };
};

const listFiles = async (root: string) => {
  const found: { path: string; size: number; mtimeMs: number }[] = [];
  const walk = async (folder: string, depth: number) => {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      return;
    }
    for (const name of names) {
      if (depth === 0 && name === 'tmp') continue;
      const path = join(folder, name);
      try {
        const info = await stat(path);
        if (info.isDirectory()) await walk(path, depth + 1);
        else if (info.isFile()) found.push({ path, size: info.size, mtimeMs: info.mtimeMs });
      } catch {
        // removed meanwhile
      }
    }
  };
  await walk(root, 0);
  return found;
};
