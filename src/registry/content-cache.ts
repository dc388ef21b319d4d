import { createHash, randomBytes } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { dataDir } from '../core/paths.js';

/** One hash of an SRI string, the digest in hex (safe as a file name). */
export type ContentHash = { algorithm: SriAlgorithm; hex: string };

type SriAlgorithm = 'sha512' | 'sha384' | 'sha256' | 'sha1';

/** Strongest first, the order npm prefers. */
const ALGORITHMS: readonly SriAlgorithm[] = ['sha512', 'sha384', 'sha256', 'sha1'];
const DIGEST_BYTES: Record<SriAlgorithm, number> = { sha512: 64, sha384: 48, sha256: 32, sha1: 20 };

/**
 * Every well-formed hash of an SRI string (`sha512-<base64> sha1-<base64>`), strongest first.
 * Unknown algorithms and malformed digests are dropped: the string comes from untrusted lockfiles.
 */
export const parseIntegrity = (integrity: string): ContentHash[] => {
  const found: ContentHash[] = [];
  for (const token of integrity.trim().split(/\s+/)) {
    const match = /^(sha512|sha384|sha256|sha1)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(token);
    if (!match) continue;
    const algorithm = match[1] as SriAlgorithm;
    const digest = Buffer.from(match[2]!, 'base64');
    if (digest.byteLength !== DIGEST_BYTES[algorithm]) continue;
    found.push({ algorithm, hex: digest.toString('hex') });
  }
  return found.sort((a, b) => ALGORITHMS.indexOf(a.algorithm) - ALGORITHMS.indexOf(b.algorithm));
};

export const integrityOf = (bytes: Uint8Array, algorithm: SriAlgorithm = 'sha512'): string =>
  `${algorithm}-${createHash(algorithm).update(bytes).digest('base64')}`;

export type CacheUsage = { files: number; bytes: number };

export type ContentCache = {
  dir: string;
  /** Bytes stored for `integrity`, re-hashed on every read; a damaged entry is deleted and missed. */
  getContent: (integrity: string) => Uint8Array | undefined;
  /**
   * Stores bytes under their sha512 and under the strongest hash of `integrity`, when given and
   * different (old lockfiles carry only sha1). Returns the sha512 integrity. The bytes must match
   * `integrity`; the caller verifies before storing, this re-check guards the cache itself.
   */
  putContent: (bytes: Uint8Array, integrity?: string) => string;
  /** Derived data (analysis results) by any key, e.g. `integrity + analyzer version`. Checksummed. */
  get: (key: string) => Uint8Array | undefined;
  put: (key: string, bytes: Uint8Array) => void;
  usage: () => CacheUsage;
  /** Deletes least recently used entries until the cache holds at most `maxBytes`. */
  prune: (maxBytes: number) => CacheUsage;
};

export type ContentCacheOptions = {
  /** Told when a damaged entry was found and deleted. */
  onCorrupt?: (message: string) => void;
};

export const defaultContentCacheDir = (env: NodeJS.ProcessEnv = process.env): string =>
  join(dataDir(env), 'cache', 'content');

const KEYED_MAGIC = Buffer.from('BWK1');
const KEYED_HEADER = KEYED_MAGIC.byteLength + 32;

/**
 * A content-addressed directory, like npm's cacache but simpler:
 * `content/<algorithm>/<2 hex>/<2 hex>/<rest of hex>` for tarballs,
 * `keyed/<2 hex>/<rest of sha256(key)>` for derived data (magic + sha256 of payload + payload).
 * Writes go to `tmp/` and are renamed into place, so readers never see half a file.
 */
export const createContentCache = (
  dir: string = defaultContentCacheDir(),
  options: ContentCacheOptions = {},
): ContentCache => {
  const onCorrupt = options.onCorrupt ?? (() => {});
  const contentPath = ({ algorithm, hex }: ContentHash) =>
    join(dir, 'content', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
  const keyedPath = (key: string) => {
    const hex = createHash('sha256').update(key).digest('hex');
    return join(dir, 'keyed', hex.slice(0, 2), hex.slice(2));
  };

  const writeAtomic = (target: string, chunks: Uint8Array[]) => {
    const tmpDir = join(dir, 'tmp');
    mkdirSync(tmpDir, { recursive: true });
    mkdirSync(dirname(target), { recursive: true });
    const temp = join(tmpDir, `${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      writeFileSync(temp, Buffer.concat(chunks));
      renameSync(temp, target);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  };

  const readFile = (path: string): Buffer | undefined => {
    try {
      return readFileSync(path);
    } catch {
      return undefined;
    }
  };

  const touch = (path: string) => {
    try {
      const now = new Date();
      utimesSync(path, now, now);
    } catch {
      // recency is a hint for pruning, never worth failing a read
    }
  };

  const evict = (path: string, what: string) => {
    rmSync(path, { force: true });
    onCorrupt(`cache entry ${what} was damaged and has been removed (${path})`);
  };

  const getContent = (integrity: string): Uint8Array | undefined => {
    for (const hash of parseIntegrity(integrity)) {
      const path = contentPath(hash);
      const bytes = readFile(path);
      if (bytes === undefined) continue;
      if (createHash(hash.algorithm).update(bytes).digest('hex') !== hash.hex) {
        evict(path, `${hash.algorithm}-${Buffer.from(hash.hex, 'hex').toString('base64')}`);
        continue;
      }
      touch(path);
      return bytes;
    }
    return undefined;
  };

  const putContent = (bytes: Uint8Array, integrity?: string): string => {
    const sha512 = createHash('sha512').update(bytes).digest('hex');
    const hashes: ContentHash[] = [{ algorithm: 'sha512', hex: sha512 }];
    if (integrity !== undefined) {
      const strongest = parseIntegrity(integrity)[0];
      if (!strongest) throw new Error(`"${integrity}" is not a usable integrity`);
      const actual = createHash(strongest.algorithm).update(bytes).digest('hex');
      if (actual !== strongest.hex) throw new Error(`bytes do not match ${integrity}`);
      if (strongest.algorithm !== 'sha512') hashes.push(strongest);
    }
    for (const hash of hashes) writeAtomic(contentPath(hash), [bytes]);
    return `sha512-${Buffer.from(sha512, 'hex').toString('base64')}`;
  };

  const get = (key: string): Uint8Array | undefined => {
    const path = keyedPath(key);
    const stored = readFile(path);
    if (stored === undefined) return undefined;
    const payload = stored.subarray(KEYED_HEADER);
    const intact =
      stored.byteLength >= KEYED_HEADER &&
      stored.subarray(0, KEYED_MAGIC.byteLength).equals(KEYED_MAGIC) &&
      createHash('sha256')
        .update(payload)
        .digest()
        .equals(stored.subarray(KEYED_MAGIC.byteLength, KEYED_HEADER));
    if (!intact) {
      evict(path, `for key "${key}"`);
      return undefined;
    }
    touch(path);
    return payload;
  };

  const put = (key: string, bytes: Uint8Array): void => {
    writeAtomic(keyedPath(key), [KEYED_MAGIC, createHash('sha256').update(bytes).digest(), bytes]);
  };

  const entries = () => {
    const found: { path: string; size: number; mtimeMs: number }[] = [];
    const walk = (folder: string) => {
      let names: string[];
      try {
        names = readdirSync(folder);
      } catch {
        return;
      }
      for (const name of names) {
        const path = join(folder, name);
        try {
          const stat = statSync(path);
          if (stat.isDirectory()) walk(path);
          else if (stat.isFile()) found.push({ path, size: stat.size, mtimeMs: stat.mtimeMs });
        } catch {
          // removed by another process meanwhile
        }
      }
    };
    walk(join(dir, 'content'));
    walk(join(dir, 'keyed'));
    return found;
  };

  const usage = (): CacheUsage => {
    const all = entries();
    return { files: all.length, bytes: all.reduce((sum, entry) => sum + entry.size, 0) };
  };

  const prune = (maxBytes: number): CacheUsage => {
    const all = entries().sort((a, b) => a.mtimeMs - b.mtimeMs);
    let bytes = all.reduce((sum, entry) => sum + entry.size, 0);
    let files = all.length;
    for (const entry of all) {
      if (bytes <= maxBytes) break;
      rmSync(entry.path, { force: true });
      bytes -= entry.size;
      files--;
    }
    return { files, bytes };
  };

  return { dir, getContent, putContent, get, put, usage, prune };
};
