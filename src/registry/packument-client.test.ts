import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNpmrc } from './npmrc.js';
import { createHttpPackumentSource, createLimiter, packumentUrl, RegistryError } from './packument-client.js';
import { type FakeRegistry, makePackument, startFakeRegistry } from './testdata/fake-registry.js';

let registry: FakeRegistry;

beforeAll(async () => {
  registry = await startFakeRegistry();
  registry.set('left-pad', makePackument('left-pad', { '1.0.0': {}, '1.3.0': {} }));
  registry.set('@acme/widget', makePackument('@acme/widget', { '2.0.0': {} }));
});
afterAll(() => registry.close());

const npmrcFor = (extra = '') => parseNpmrc(`registry=${registry.url}\n${extra}`, {});
const freshCache = () => mkdtempSync(join(tmpdir(), 'bulwark-cache-'));
const count = (path: string, status?: number) =>
  registry.requests.filter((r) => r.path === path && (status === undefined || r.status === status)).length;

/** A port nothing listens on: bind, read the port, close. */
const deadPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
};

describe('createHttpPackumentSource', () => {
  it('fetches, caches on disk and revalidates with the ETag', async () => {
    const cacheDir = freshCache();
    const first = createHttpPackumentSource({ npmrc: npmrcFor(), cacheDir, maxAgeMs: 0 });
    const packument = await first.get('left-pad');
    expect([...packument!.versions.keys()]).toEqual(['1.0.0', '1.3.0']);
    expect(readdirSync(cacheDir)).toHaveLength(1);
    const before = count('/left-pad', 304);
    const second = createHttpPackumentSource({ npmrc: npmrcFor(), cacheDir, maxAgeMs: 0 });
    expect((await second.get('left-pad'))?.name).toBe('left-pad');
    expect(count('/left-pad', 304)).toBe(before + 1);
    const last = registry.requests.at(-1)!;
    expect(last.headers['if-none-match']).toMatch(/^"[0-9a-f]{40}"$/);
    expect(last.headers.accept).toContain('application/vnd.npm.install-v1+json');
  });

  it('serves a fresh cache entry without asking the registry, and offline mode reads only the cache', async () => {
    const cacheDir = freshCache();
    await createHttpPackumentSource({ npmrc: npmrcFor(), cacheDir }).get('left-pad');
    const requests = registry.requests.length;
    expect(await createHttpPackumentSource({ npmrc: npmrcFor(), cacheDir }).get('left-pad')).toBeDefined();
    const offline = createHttpPackumentSource({ npmrc: npmrcFor(), cacheDir, offline: true });
    expect((await offline.get('left-pad'))?.name).toBe('left-pad');
    expect(await offline.get('@acme/widget')).toBeUndefined();
    expect(registry.requests.length).toBe(requests);
  });

  it('encodes scoped names and returns undefined for unpublished packages', async () => {
    const source = createHttpPackumentSource({ npmrc: npmrcFor() });
    expect((await source.get('@acme/widget'))?.name).toBe('@acme/widget');
    expect(count('/@acme%2fwidget')).toBeGreaterThan(0);
    expect(await source.get('does-not-exist')).toBeUndefined();
  });

  it('retries 503 with backoff, then succeeds', async () => {
    registry.set('flaky', makePackument('flaky', { '1.0.0': {} }));
    registry.failures.set('/flaky', [503, 503]);
    const source = createHttpPackumentSource({ npmrc: npmrcFor(), retries: 2, backoffMs: 5 });
    expect((await source.get('flaky'))?.name).toBe('flaky');
    expect(count('/flaky')).toBe(3);
  });

  it('gives up after bounded retries with one clear RegistryError', async () => {
    registry.set('down', makePackument('down', { '1.0.0': {} }));
    registry.failures.set('/down', [500, 500, 500, 500]);
    const source = createHttpPackumentSource({ npmrc: npmrcFor(), retries: 1, backoffMs: 5 });
    await expect(source.get('down')).rejects.toThrow(/unreachable after 2 attempts \(HTTP 500\)/);
    expect(count('/down')).toBe(2);
  });

  it('reports an unreachable registry quickly and stops asking after the first failure', async () => {
    const port = await deadPort();
    const npmrc = parseNpmrc(`registry=http://127.0.0.1:${port}/`, {});
    const source = createHttpPackumentSource({ npmrc, retries: 1, backoffMs: 5, timeoutMs: 2000 });
    const started = Date.now();
    await expect(source.get('anything')).rejects.toBeInstanceOf(RegistryError);
    await expect(source.get('other')).rejects.toThrow(/unreachable/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('falls back to a stale cached copy when the registry fails', async () => {
    const cacheDir = freshCache();
    await createHttpPackumentSource({ npmrc: npmrcFor(), cacheDir }).get('left-pad');
    registry.failures.set('/left-pad', [502, 502]);
    const warnings: string[] = [];
    const source = createHttpPackumentSource({
      npmrc: npmrcFor(),
      cacheDir,
      maxAgeMs: 0,
      retries: 1,
      backoffMs: 5,
      onWarning: (w) => warnings.push(w),
    });
    expect((await source.get('left-pad'))?.name).toBe('left-pad');
    expect(warnings[0]).toMatch(/using the cached copy/);
  });

  it('still answers when the cache cannot be written', async () => {
    const blocker = join(freshCache(), 'not-a-dir');
    writeFileSync(blocker, 'x');
    const warnings: string[] = [];
    const source = createHttpPackumentSource({
      npmrc: npmrcFor(),
      cacheDir: blocker,
      onWarning: (w) => warnings.push(w),
    });
    expect((await source.get('left-pad'))?.name).toBe('left-pad');
    expect(warnings).toEqual([expect.stringMatching(/^cannot write the packument cache \(E[A-Z]+\)$/)]);
  });

  it('enforces the document size limit', async () => {
    registry.raw.set('/huge', JSON.stringify({ name: 'huge', pad: 'x'.repeat(10_000) }));
    const source = createHttpPackumentSource({ npmrc: npmrcFor(), maxBytes: 1000 });
    await expect(source.get('huge')).rejects.toThrow(/over the 1000 byte limit|exceeds the 1000 byte limit/);
  });

  it('turns a hostile document into an InputError naming the URL', async () => {
    registry.raw.set('/evil', '{"name":"evil","versions":{"__proto__":{}}}');
    const source = createHttpPackumentSource({ npmrc: npmrcFor() });
    await expect(source.get('evil')).rejects.toThrow(/evil:1:\d+: contains a "__proto__" key/);
  });

  it('sends the token only to the registry it is configured for', async () => {
    const host = new URL(registry.url).host;
    const source = createHttpPackumentSource({
      npmrc: npmrcFor(
        `//${host}/:_authToken=secret-token\n@acme:registry=http://localhost:${new URL(registry.url).port}/`,
      ),
    });
    await source.get('left-pad');
    expect(registry.requests.at(-1)!.headers.authorization).toBe('Bearer secret-token');
    await source.get('@acme/widget');
    const last = registry.requests.at(-1)!;
    expect(last.path).toBe('/@acme%2fwidget');
    expect(last.headers.authorization).toBeUndefined();
  });

  it('bounds concurrency', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `pkg-${i}`);
    for (const name of names) registry.set(name, makePackument(name, { '1.0.0': {} }));
    registry.maxInFlight = 0;
    registry.delayMs = 30;
    try {
      const source = createHttpPackumentSource({ npmrc: npmrcFor(), concurrency: 3 });
      await Promise.all(names.map((name) => source.get(name)));
      expect(registry.maxInFlight).toBeLessThanOrEqual(3);
      expect(registry.maxInFlight).toBeGreaterThan(1);
    } finally {
      registry.delayMs = 0;
    }
  });
});

describe('packumentUrl', () => {
  it('refuses names that could escape the registry path', () => {
    expect(packumentUrl('https://r.example.invalid/', '@s/n')).toBe('https://r.example.invalid/@s%2fn');
    expect(() => packumentUrl('https://r.example.invalid/', '../admin')).toThrow(RegistryError);
    expect(() => packumentUrl('https://r.example.invalid/', 'a/b')).toThrow(RegistryError);
  });
});

describe('createLimiter', () => {
  it('never runs more than the limit at once', async () => {
    const limit = createLimiter(2);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        limit(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 5));
          active--;
        }),
      ),
    );
    expect(peak).toBe(2);
  });
});
