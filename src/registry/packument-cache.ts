import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../core/paths.js';
import { isRecord } from '../core/shape.js';

/** One cached registry response: the body as received plus its HTTP validators. */
export type CachedDocument = {
  url: string;
  body: string;
  etag?: string;
  lastModified?: string;
  /** ISO time of the last successful fetch or revalidation. */
  fetchedAt: string;
};

export type DocumentCache = {
  read: (url: string) => CachedDocument | undefined;
  write: (entry: CachedDocument) => void;
};

export const defaultPackumentCacheDir = (env: NodeJS.ProcessEnv = process.env): string =>
  join(dataDir(env), 'cache', 'packuments');

/**
 * A directory of JSON files named by the SHA-256 of the URL. A damaged or foreign file is a miss,
 * never an error: the cache can always be refilled from the registry.
 */
export const createDocumentCache = (dir: string): DocumentCache => {
  const fileFor = (url: string) => join(dir, `${createHash('sha256').update(url).digest('hex')}.json`);
  return {
    read: (url) => {
      let text: string;
      try {
        text = readFileSync(fileFor(url), 'utf8');
      } catch {
        return undefined;
      }
      try {
        const parsed: unknown = JSON.parse(text);
        if (!isRecord(parsed) || parsed.url !== url || typeof parsed.body !== 'string') return undefined;
        if (typeof parsed.fetchedAt !== 'string') return undefined;
        const entry: CachedDocument = { url, body: parsed.body, fetchedAt: parsed.fetchedAt };
        if (typeof parsed.etag === 'string') entry.etag = parsed.etag;
        if (typeof parsed.lastModified === 'string') entry.lastModified = parsed.lastModified;
        return entry;
      } catch {
        return undefined;
      }
    },
    write: (entry) => {
      mkdirSync(dir, { recursive: true });
      const target = fileFor(entry.url);
      const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        writeFileSync(temp, JSON.stringify(entry));
        renameSync(temp, target);
      } catch (error) {
        rmSync(temp, { force: true });
        throw error;
      }
    },
  };
};
