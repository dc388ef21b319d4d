import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { InputError } from '../core/errors.js';
import type { AdvisoryStore } from '../store/store.js';
import { type ImportResult, importOsv } from './import.js';

export const DEFAULT_OSV_URL = 'https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip';
/** The source name `db update` records its state under. */
export const OSV_SOURCE_NAME = 'osv-npm';

export type UpdateOptions = {
  url: string;
  /** Per attempt, download included. */
  timeoutMs?: number;
  /** Further attempts after the first, for 5xx, 429 and network errors other than DNS. */
  retries?: number;
  /** First backoff; doubled per retry. */
  backoffMs?: number;
  maxBytes?: number;
  /** Called before each retry (for a progress line). */
  onRetry?: (attempt: number, reason: string, waitMs: number) => void;
};

export type UpdateResult =
  | { status: 'not-modified'; url: string }
  | { status: 'updated'; url: string; bytes: number; import: ImportResult };

const MAX_DOWNLOAD_BYTES = 2 * 1024 * 1024 * 1024;

class RetryableError extends Error {}

/**
 * Downloads OSV's npm export with a conditional request (ETag / Last-Modified from the last
 * update of the same URL), streams it to a temporary file and imports it. Any failure leaves the
 * database as it was; an unreachable host is one InputError line saying so.
 */
export const updateFromUrl = async (store: AdvisoryStore, options: UpdateOptions): Promise<UpdateResult> => {
  const { url } = options;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(url, 'is not a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new InputError(url, 'must be an http(s) URL');
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 1000;
  const previous = await store.getSource(OSV_SOURCE_NAME);
  const headers: Record<string, string> = {};
  if (previous && previous.location === url) {
    if (previous.etag) headers['if-none-match'] = previous.etag;
    if (previous.lastModified) headers['if-modified-since'] = previous.lastModified;
  }

  let lastReason = 'unknown error';
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) {
      const wait = backoffMs * 2 ** (attempt - 1);
      options.onRetry?.(attempt, lastReason, wait);
      await sleep(wait);
    }
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 120_000) });
    } catch (error) {
      lastReason = networkReason(error);
      if (isPermanentNetworkError(error)) break;
      continue;
    }
    if (response.status === 304) {
      await response.body?.cancel();
      if (previous) await store.recordSource({ ...previous, importedAt: new Date().toISOString() });
      return { status: 'not-modified', url };
    }
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel();
      lastReason = `HTTP ${response.status} ${response.statusText}`.trim();
      continue;
    }
    if (response.status !== 200 || !response.body) {
      await response.body?.cancel();
      throw new InputError(url, `download failed with HTTP ${response.status}${await unchanged(store)}`);
    }
    try {
      return await downloadAndImport(store, response, url, options.maxBytes ?? MAX_DOWNLOAD_BYTES);
    } catch (error) {
      if (!(error instanceof RetryableError)) throw error;
      lastReason = error.message;
    }
  }
  throw new InputError(`cannot reach ${parsed.host}`, `${lastReason}${await unchanged(store)}`);
};

const downloadAndImport = async (
  store: AdvisoryStore,
  response: Response,
  url: string,
  maxBytes: number,
): Promise<UpdateResult> => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-update-'));
  const file = join(dir, 'all.zip');
  try {
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > maxBytes) done(new InputError(url, `is larger than the ${maxBytes}-byte download limit`));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(
        Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
        limit,
        createWriteStream(file),
      );
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new RetryableError(`download interrupted (${networkReason(error)})`);
    }
    const etag = response.headers.get('etag') ?? undefined;
    const lastModified = response.headers.get('last-modified') ?? undefined;
    const source = {
      name: OSV_SOURCE_NAME,
      location: url,
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified } : {}),
    };
    try {
      return { status: 'updated', url, bytes, import: await importOsv(store, file, { source }) };
    } catch (error) {
      throw error instanceof InputError ? renameInput(error, file, url) : error;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** Errors about the temporary download name the URL the user knows instead. */
const renameInput = (error: InputError, file: string, url: string): InputError => {
  if (!error.input.startsWith(file)) return error;
  const prefix = `${error.input}${error.position ? `:${error.position}` : ''}: `;
  const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return new InputError(url + error.input.slice(file.length), message, error.position);
};

const unchanged = async (store: AdvisoryStore): Promise<string> => {
  const status = await store.status();
  const when = status.lastImportAt ? `last updated ${status.lastImportAt}` : 'never updated';
  return `; the database was left unchanged (${status.advisories} advisories, ${when})`;
};

const causeOf = (error: unknown): { code?: string; message?: string } | undefined => {
  const cause = (error as { cause?: unknown })?.cause;
  return typeof cause === 'object' && cause !== null
    ? (cause as { code?: string; message?: string })
    : undefined;
};

const networkReason = (error: unknown): string => {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'timed out';
  const cause = causeOf(error);
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') return `DNS lookup failed (${cause.code})`;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return error instanceof Error ? error.message : String(error);
};

/** A name that does not resolve will not resolve a second later either. */
const isPermanentNetworkError = (error: unknown): boolean => causeOf(error)?.code === 'ENOTFOUND';
