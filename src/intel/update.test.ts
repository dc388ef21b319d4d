import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { openStore } from '../store/open-store.js';
import { makeZip } from './testdata/make-zip.js';
import { OSV_SOURCE_NAME, updateFromUrl } from './update.js';

const corpus = new URL('../../testdata/osv/npm/', import.meta.url).pathname;
const real = (id: string) => readFileSync(join(corpus, `${id}.json`), 'utf8');
const zipV1 = makeZip([
  { name: 'MAL-2025-46969.json', data: real('MAL-2025-46969') },
  { name: 'GHSA-29mw-wpgm-hmr9.json', data: real('GHSA-29mw-wpgm-hmr9') },
]);
const zipV2 = makeZip([
  { name: 'MAL-2025-46969.json', data: real('MAL-2025-46969') },
  { name: 'GHSA-29mw-wpgm-hmr9.json', data: real('GHSA-29mw-wpgm-hmr9') },
  { name: 'MAL-2024-2929.json', data: real('MAL-2024-2929') },
]);
const badZip = makeZip([
  { name: 'MAL-2024-2929.json', data: real('MAL-2024-2929') },
  { name: 'BAD.json', data: '{"id": "X", "modified": ' },
]);

type Seen = { path: string; ifNoneMatch?: string; ifModifiedSince?: string };
let server: Server;
let base: string;
const seen: Seen[] = [];
let flaky = 0;
let cut = 0;
const dir = mkdtempSync(join(tmpdir(), 'bulwark-update-test-'));
let counter = 0;
const fresh = () => openStore(join(dir, `db-${++counter}`, 'bulwark.db'));
const fast = { retries: 2, backoffMs: 10, timeoutMs: 5000 };

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const path = req.url ?? '/';
    seen.push({
      path,
      ...(req.headers['if-none-match'] ? { ifNoneMatch: String(req.headers['if-none-match']) } : {}),
      ...(req.headers['if-modified-since']
        ? { ifModifiedSince: String(req.headers['if-modified-since']) }
        : {}),
    });
    if (path === '/v1/all.zip') {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { etag: '"v1"', 'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT' }).end(zipV1);
    } else if (path === '/flaky/all.zip') {
      flaky++;
      if (flaky <= 2) res.writeHead(500).end('try later');
      else res.writeHead(200, { etag: '"v2"' }).end(zipV2);
    } else if (path === '/bad/all.zip') res.writeHead(200).end(badZip);
    else if (path === '/down/all.zip') res.writeHead(503).end();
    else if (path === '/hang/all.zip') {
      // never answers; the client's timeout has to end it
    } else if (path === '/cut/all.zip') {
      cut++;
      if (cut === 1) {
        res.writeHead(200, { 'content-length': String(zipV1.length) });
        res.write(zipV1.subarray(0, 100));
        setTimeout(() => res.destroy(), 20);
      } else res.writeHead(200).end(zipV1);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('updateFromUrl', () => {
  it('downloads and imports, then sends the ETag back and gets 304', async () => {
    const store = await fresh();
    const url = `${base}/v1/all.zip`;
    const first = await updateFromUrl(store, { url, ...fast });
    expect(first.status).toBe('updated');
    if (first.status === 'updated') {
      expect(first.bytes).toBe(zipV1.length);
      expect(first.import).toMatchObject({ read: 2, added: 2 });
    }
    expect(await store.getSource(OSV_SOURCE_NAME)).toMatchObject({
      location: url,
      etag: '"v1"',
      lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT',
      entries: 2,
    });
    const firstImport = (await store.getSource(OSV_SOURCE_NAME))!.importedAt;
    const second = await updateFromUrl(store, { url, ...fast });
    expect(second).toEqual({ status: 'not-modified', url });
    expect(seen.at(-1)).toEqual({
      path: '/v1/all.zip',
      ifNoneMatch: '"v1"',
      ifModifiedSince: 'Wed, 01 Jan 2025 00:00:00 GMT',
    });
    expect((await store.getSource(OSV_SOURCE_NAME))!.importedAt >= firstImport).toBe(true);
    expect((await store.status()).advisories).toBe(2);
    await store.close();
  });

  it('does not send validators recorded for another URL', async () => {
    const store = await fresh();
    await updateFromUrl(store, { url: `${base}/v1/all.zip`, ...fast });
    await updateFromUrl(store, { url: `${base}/flaky/all.zip`, retries: 5, backoffMs: 1 });
    const flakyRequests = seen.filter((s) => s.path === '/flaky/all.zip');
    expect(flakyRequests.every((s) => s.ifNoneMatch === undefined)).toBe(true);
    await store.close();
  });

  it('retries after HTTP 500 and then imports', async () => {
    flaky = 0;
    const store = await fresh();
    const retries: string[] = [];
    const result = await updateFromUrl(store, {
      url: `${base}/flaky/all.zip`,
      ...fast,
      onRetry: (_attempt, reason) => retries.push(reason),
    });
    expect(retries).toEqual(['HTTP 500 Internal Server Error', 'HTTP 500 Internal Server Error']);
    expect(result.status).toBe('updated');
    expect((await store.status()).advisories).toBe(3);
    await store.close();
  });

  it('gives up after bounded retries and leaves the database unchanged', async () => {
    const store = await fresh();
    await updateFromUrl(store, { url: `${base}/v1/all.zip`, ...fast });
    const before = await store.status();
    const requests = seen.length;
    await expect(updateFromUrl(store, { url: `${base}/down/all.zip`, ...fast })).rejects.toThrow(
      /^cannot reach 127\.0\.0\.1:\d+: HTTP 503 Service Unavailable; the database was left unchanged \(2 advisories, last updated /,
    );
    expect(seen.length - requests).toBe(3);
    expect(await store.status()).toEqual(before);
    await store.close();
  });

  it('reports an unreachable port in one line', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const store = await fresh();
    const error = await updateFromUrl(store, { url: `http://127.0.0.1:${port}/all.zip`, ...fast }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      new RegExp(
        `^cannot reach 127\\.0\\.0\\.1:${port}: ECONNREFUSED.*; the database was left unchanged \\(0 advisories, never updated\\)$`,
      ),
    );
    await store.close();
  });

  it('times out a server that never answers', async () => {
    const store = await fresh();
    const started = Date.now();
    await expect(
      updateFromUrl(store, { url: `${base}/hang/all.zip`, retries: 1, backoffMs: 10, timeoutMs: 200 }),
    ).rejects.toThrow(/^cannot reach 127\.0\.0\.1:\d+: timed out; the database was left unchanged/);
    expect(Date.now() - started).toBeLessThan(5000);
    await store.close();
  });

  it('retries a download cut off mid-body', async () => {
    const store = await fresh();
    const retries: string[] = [];
    const result = await updateFromUrl(store, {
      url: `${base}/cut/all.zip`,
      ...fast,
      onRetry: (_attempt, reason) => retries.push(reason),
    });
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatch(/^download interrupted/);
    expect(result.status).toBe('updated');
    expect((await store.status()).advisories).toBe(2);
    await store.close();
  });

  it('fails on HTTP 404 without retrying', async () => {
    const store = await fresh();
    const requests = seen.length;
    await expect(updateFromUrl(store, { url: `${base}/missing.zip`, ...fast })).rejects.toThrow(
      /missing\.zip: download failed with HTTP 404; the database was left unchanged/,
    );
    expect(seen.length - requests).toBe(1);
    await store.close();
  });

  it('imports nothing from a download with a bad record', async () => {
    const store = await fresh();
    const error = await updateFromUrl(store, { url: `${base}/bad/all.zip`, ...fast }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message.startsWith(`${base}/bad/all.zip:BAD.json:1:`)).toBe(true);
    expect((error as Error).message).toMatch(/: invalid JSON/);
    expect((await store.status()).advisories).toBe(0);
    expect(await store.getSource(OSV_SOURCE_NAME)).toBeUndefined();
    await store.close();
  });

  it('rejects URLs it cannot fetch', async () => {
    const store = await fresh();
    await expect(updateFromUrl(store, { url: 'not a url' })).rejects.toThrow(/not a url: is not a valid URL/);
    await expect(updateFromUrl(store, { url: 'file:///etc/passwd' })).rejects.toThrow(
      /must be an http\(s\) URL/,
    );
    await store.close();
  });
});
