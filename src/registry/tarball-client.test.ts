import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTarball } from '../tarball/read-tarball.js';
import { makeTgz } from '../tarball/testdata/make-tarball.js';
import { createContentCache, parseIntegrity } from './content-cache.js';
import { parseNpmrc } from './npmrc.js';
import { createHttpPackumentSource, RegistryError } from './packument-client.js';
import {
  createTarballClient,
  fetchTarball,
  IntegrityError,
  type TarballClientOptions,
} from './tarball-client.js';

/** A registry on 127.0.0.1: packuments and tarballs by path, scripted failures, every request logged. */
type TestServer = {
  url: string;
  routes: Map<string, { status: number; body: Uint8Array | string; headers?: Record<string, string> }>;
  failures: Map<string, number[]>;
  requests: { path: string; authorization: string | undefined }[];
  delayMs: number;
  maxInFlight: number;
  close: () => Promise<void>;
};

const startServer = async (): Promise<TestServer> => {
  let inFlight = 0;
  const state: TestServer = {
    url: '',
    routes: new Map(),
    failures: new Map(),
    requests: [],
    delayMs: 0,
    maxInFlight: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    state.requests.push({ path, authorization: req.headers.authorization });
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    const answer = (status: number, body: Uint8Array | string, headers: Record<string, string> = {}) =>
      setTimeout(() => {
        inFlight--;
        res.writeHead(status, headers);
        res.end(body);
      }, state.delayMs);
    const scripted = state.failures.get(path)?.shift();
    const route = state.routes.get(path);
    if (scripted !== undefined) answer(scripted, 'scripted failure');
    else if (!route) answer(404, '{"error":"Not found"}');
    else answer(route.status, route.body, route.headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return state;
};

const sri = (bytes: Uint8Array) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

/** Publishes `name@version` on the server: its tarball, and a packument pointing at it. */
const publish = (
  server: TestServer,
  name: string,
  version: string,
  tgz: Uint8Array,
  integrity = sri(tgz),
) => {
  const tarballPath = `/${name}/-/${name.split('/').pop()}-${version}.tgz`;
  server.routes.set(tarballPath, {
    status: 200,
    body: tgz,
    headers: { 'content-type': 'application/octet-stream' },
  });
  const packument = {
    name,
    'dist-tags': { latest: version },
    versions: {
      [version]: { name, version, dist: { tarball: `${server.url}${tarballPath.slice(1)}`, integrity } },
    },
  };
  server.routes.set(`/${name.replace('/', '%2f')}`, { status: 200, body: JSON.stringify(packument) });
  return `${server.url}${tarballPath.slice(1)}`;
};

let registry: TestServer;
let other: TestServer;
let demo: Buffer;
let scoped: Buffer;

beforeAll(async () => {
  registry = await startServer();
  other = await startServer();
  demo = await makeTgz([
    { name: 'package/package.json', content: '{"name":"demo","version":"1.0.0"}' },
    { name: 'package/index.js', content: 'module.exports = 42;\n' },
  ]);
  scoped = await makeTgz([
    { name: 'package/package.json', content: '{"name":"@acme/widget","version":"2.0.0"}' },
  ]);
  publish(registry, 'demo', '1.0.0', demo);
  publish(registry, '@acme/widget', '2.0.0', scoped);
});
afterAll(async () => {
  await registry.close();
  await other.close();
});

const freshDir = () => mkdtempSync(join(tmpdir(), 'bulwark-tarballs-'));
const count = (server: TestServer, path: string) => server.requests.filter((r) => r.path === path).length;

const clientOptions = (
  extra: Partial<TarballClientOptions> & { npmrcText?: string } = {},
): TarballClientOptions => {
  const { npmrcText = '', ...rest } = extra;
  const npmrc = parseNpmrc(`registry=${registry.url}\n${npmrcText}`, {});
  return {
    npmrc,
    cache: createContentCache(freshDir()),
    packuments: createHttpPackumentSource({ npmrc, cacheDir: freshDir(), backoffMs: 1 }),
    backoffMs: 1,
    ...rest,
  };
};

const failure = async (promise: Promise<unknown>): Promise<Error> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
};

describe('createTarballClient', () => {
  it('finds the URL in the packument, verifies, caches, and serves the second call from the cache', async () => {
    const options = clientOptions();
    const client = createTarballClient(options);
    const before = count(registry, '/demo/-/demo-1.0.0.tgz');
    const fetched = await client.fetch({ name: 'demo', version: '1.0.0' });
    expect(fetched).toMatchObject({ integrity: sri(demo), verified: true, fromCache: false });
    expect(fetched.url).toBe(`${registry.url}demo/-/demo-1.0.0.tgz`);
    expect(Buffer.from(fetched.bytes)).toEqual(demo);
    const contents = await readTarball(fetched.bytes, { source: 'demo@1.0.0' });
    expect([...contents.files.keys()]).toEqual(['package.json', 'index.js']);

    const again = await createTarballClient({ ...options, packuments: undefined, offline: true }).fetch({
      name: 'demo',
      version: '1.0.0',
      integrity: sri(demo),
    });
    expect(again.fromCache).toBe(true);
    expect(count(registry, '/demo/-/demo-1.0.0.tgz')).toBe(before + 1);
  });

  it('uses the lockfile URL and integrity without asking for the packument', async () => {
    const packumentBefore = count(registry, '/demo');
    const fetched = await fetchTarball(
      {
        name: 'demo',
        version: '1.0.0',
        integrity: sri(demo),
        resolved: `${registry.url}demo/-/demo-1.0.0.tgz`,
      },
      clientOptions(),
    );
    expect(fetched.verified).toBe(true);
    expect(count(registry, '/demo')).toBe(packumentBefore);
  });

  it('accepts an older sha1 integrity, as in package-lock v1', async () => {
    const sha1 = `sha1-${createHash('sha1').update(demo).digest('base64')}`;
    const options = clientOptions();
    const fetched = await fetchTarball({ name: 'demo', version: '1.0.0', integrity: sha1 }, options);
    expect(fetched).toMatchObject({ verified: true, integrity: sha1 });
    expect(options.cache!.getContent(sha1)).toBeDefined();
  });

  it('refuses bytes that do not match the integrity, naming package, expected and actual; caches nothing', async () => {
    const options = clientOptions();
    const expected = sri(Buffer.from('what the lockfile recorded'));
    const error = await failure(
      fetchTarball({ name: 'demo', version: '1.0.0', integrity: expected }, options),
    );
    expect(error).toBeInstanceOf(IntegrityError);
    const mismatch = error as IntegrityError;
    expect(mismatch.packageName).toBe('demo');
    expect(mismatch.expected).toBe(expected);
    expect(mismatch.actual).toBe(sri(demo));
    expect(mismatch.message).toBe(
      `demo@1.0.0: integrity mismatch: expected ${expected}, got ${sri(demo)} (from ${registry.url}demo/-/demo-1.0.0.tgz)`,
    );
    expect(options.cache!.usage().files).toBe(0);
  });

  it('checks against the packument integrity when the lockfile has none', async () => {
    const bad = await makeTgz([{ name: 'package/package.json', content: '{"name":"swapped"}' }]);
    publish(registry, 'swapped', '1.0.0', bad, sri(demo));
    const error = await failure(fetchTarball({ name: 'swapped', version: '1.0.0' }, clientOptions()));
    expect(error).toBeInstanceOf(IntegrityError);
  });

  it('retries 5xx and 429 with backoff, then gives up with a clear error', async () => {
    const path = '/demo/-/demo-1.0.0.tgz';
    const before = count(registry, path);
    registry.failures.set(path, [500, 429]);
    const fetched = await fetchTarball(
      { name: 'demo', version: '1.0.0', integrity: sri(demo) },
      clientOptions(),
    );
    expect(fetched.verified).toBe(true);
    expect(count(registry, path)).toBe(before + 3);

    registry.failures.set(path, [502, 503, 500]);
    const error = await failure(
      fetchTarball({ name: 'demo', version: '1.0.0', integrity: sri(demo) }, clientOptions({ retries: 2 })),
    );
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toBe(
      `${registry.url}demo/-/demo-1.0.0.tgz: registry unreachable after 3 attempts (HTTP 500)`,
    );
  });

  it('fetches a scoped package: packument at /@scope%2fname, tarball under /@scope/name/-/', async () => {
    const fetched = await fetchTarball({ name: '@acme/widget', version: '2.0.0' }, clientOptions());
    expect(fetched.url).toBe(`${registry.url}@acme/widget/-/widget-2.0.0.tgz`);
    expect(count(registry, '/@acme%2fwidget')).toBeGreaterThan(0);
    expect(Buffer.from(fetched.bytes)).toEqual(scoped);
  });

  it('sends a token only to the host it is configured for, also across a redirect', async () => {
    const host = registry.url.replace(/^http:/, '');
    const npmrcText = `${host}:_authToken=secret-for-registry`;
    other.routes.set('/mirror/demo-1.0.0.tgz', { status: 200, body: demo });
    const onOther = await fetchTarball(
      { name: 'demo', version: '1.0.0', integrity: sri(demo), resolved: `${other.url}mirror/demo-1.0.0.tgz` },
      clientOptions({ npmrcText }),
    );
    expect(onOther.verified).toBe(true);
    expect(other.requests.at(-1)).toEqual({ path: '/mirror/demo-1.0.0.tgz', authorization: undefined });

    registry.routes.set('/private/demo-1.0.0.tgz', {
      status: 302,
      body: '',
      headers: { location: `${other.url}mirror/demo-1.0.0.tgz` },
    });
    const redirected = await fetchTarball(
      {
        name: 'demo',
        version: '1.0.0',
        integrity: sri(demo),
        resolved: `${registry.url}private/demo-1.0.0.tgz`,
      },
      clientOptions({ npmrcText }),
    );
    expect(redirected.verified).toBe(true);
    expect(registry.requests.at(-1)).toEqual({
      path: '/private/demo-1.0.0.tgz',
      authorization: 'Bearer secret-for-registry',
    });
    expect(other.requests.at(-1)).toEqual({ path: '/mirror/demo-1.0.0.tgz', authorization: undefined });
  });

  it('offline: serves a cached tarball and names a missing one, without any request', async () => {
    const options = clientOptions();
    await fetchTarball({ name: 'demo', version: '1.0.0', integrity: sri(demo) }, options);
    const requests = registry.requests.length;
    const offline = { ...options, offline: true };
    const hit = await fetchTarball({ name: 'demo', version: '1.0.0', integrity: sri(demo) }, offline);
    expect(hit.fromCache).toBe(true);
    const miss = await failure(
      fetchTarball({ name: '@acme/widget', version: '2.0.0', integrity: sri(scoped) }, offline),
    );
    expect(miss).toBeInstanceOf(RegistryError);
    expect(miss.message).toBe('@acme/widget@2.0.0: tarball is not in the cache (offline mode)');
    expect(registry.requests.length).toBe(requests);
  });

  it('detects a corrupted cache entry, evicts it and downloads again', async () => {
    const dir = freshDir();
    const warnings: string[] = [];
    const cache = createContentCache(dir, { onCorrupt: (message) => warnings.push(message) });
    const options = clientOptions({ cache });
    const request = { name: 'demo', version: '1.0.0', integrity: sri(demo) };
    await fetchTarball(request, options);
    const hex = parseIntegrity(sri(demo))[0]!.hex;
    writeFileSync(join(dir, 'content', 'sha512', hex.slice(0, 2), hex.slice(2, 4), hex.slice(4)), 'evil');
    const before = count(registry, '/demo/-/demo-1.0.0.tgz');
    const fetched = await fetchTarball(request, options);
    expect(fetched).toMatchObject({ fromCache: false, verified: true });
    expect(Buffer.from(fetched.bytes)).toEqual(demo);
    expect(warnings).toEqual([expect.stringContaining('damaged')]);
    expect(count(registry, '/demo/-/demo-1.0.0.tgz')).toBe(before + 1);
  });

  it('bounds concurrent downloads and shares one in-flight request per tarball', async () => {
    for (let i = 0; i < 8; i++) publish(registry, `pkg${i}`, '1.0.0', demo);
    registry.maxInFlight = 0;
    registry.delayMs = 20;
    try {
      const client = createTarballClient(clientOptions({ concurrency: 2 }));
      const requests = Array.from({ length: 8 }, (_, i) => ({
        name: `pkg${i}`,
        version: '1.0.0',
        integrity: sri(demo),
        resolved: `${registry.url}pkg${i}/-/pkg${i}-1.0.0.tgz`,
      }));
      const before = count(registry, '/pkg0/-/pkg0-1.0.0.tgz');
      const results = await Promise.all([...requests, requests[0]!].map((request) => client.fetch(request)));
      expect(results.every((result) => result.verified)).toBe(true);
      expect(registry.maxInFlight).toBe(2);
      expect(count(registry, '/pkg0/-/pkg0-1.0.0.tgz')).toBe(before + 1);
    } finally {
      registry.delayMs = 0;
    }
  });

  it('refuses oversized downloads, unknown versions, bad names and unusable integrity', async () => {
    const tooBig = await failure(
      fetchTarball(
        { name: 'demo', version: '1.0.0', integrity: sri(demo) },
        clientOptions({ maxBytes: 100 }),
      ),
    );
    expect(tooBig.message).toMatch(/over the 100 byte limit|exceeds the 100 byte limit/);
    const unknown = await failure(fetchTarball({ name: 'demo', version: '9.9.9' }, clientOptions()));
    expect(unknown.message).toBe('demo@9.9.9: this version is not published');
    const missing = await failure(fetchTarball({ name: 'nothing-here', version: '1.0.0' }, clientOptions()));
    expect(missing.message).toBe('nothing-here@1.0.0: the registry does not know this package');
    const badName = await failure(fetchTarball({ name: '../../etc', version: '1.0.0' }, clientOptions()));
    expect(badName).toBeInstanceOf(RegistryError);
    const badIntegrity = await failure(
      fetchTarball({ name: 'demo', version: '1.0.0', integrity: 'md5-Zm9v' }, clientOptions()),
    );
    expect(badIntegrity.message).toBe(
      'demo@1.0.0: integrity "md5-Zm9v" has no sha512/sha384/sha256/sha1 hash',
    );
    const notFound = await failure(
      fetchTarball({ name: 'demo', version: '1.0.0', resolved: `${registry.url}gone.tgz` }, clientOptions()),
    );
    expect(notFound.message).toBe(`${registry.url}gone.tgz: HTTP 404`);
  });

  it('sends registry.npmjs.org URLs from the lockfile to the configured registry, as npm does', async () => {
    const asked: string[] = [];
    const localOnly: typeof fetch = (input, init) => {
      asked.push(String(input));
      if (!String(input).startsWith(registry.url)) throw new Error(`test reached for ${String(input)}`);
      return fetch(input, init);
    };
    const fetched = await fetchTarball(
      {
        name: 'demo',
        version: '1.0.0',
        integrity: sri(demo),
        resolved: 'https://registry.npmjs.org/demo/-/demo-1.0.0.tgz',
      },
      clientOptions({ fetch: localOnly }),
    );
    expect(fetched.url).toBe(`${registry.url}demo/-/demo-1.0.0.tgz`);
    expect(asked).toEqual([`${registry.url}demo/-/demo-1.0.0.tgz`]);
  });

  it('ignores a non-http resolved value (git, file) and falls back to the packument', async () => {
    const fetched = await fetchTarball(
      { name: 'demo', version: '1.0.0', resolved: 'git+ssh://git@example.invalid/demo.git#abc' },
      clientOptions(),
    );
    expect(fetched.url).toBe(`${registry.url}demo/-/demo-1.0.0.tgz`);
  });

  it('reads a lockfile written against an unreachable mirror from the configured registry, asking the dead host once', async () => {
    const mirror = await startServer();
    const deadUrl = mirror.url;
    await mirror.close(); // the port now refuses connections
    const asked: string[] = [];
    const counting: typeof fetch = (input, init) => {
      asked.push(String(input));
      return fetch(input, init);
    };
    const client = createTarballClient(clientOptions({ fetch: counting, retries: 1 }));
    const first = await client.fetch({
      name: 'demo',
      version: '1.0.0',
      integrity: sri(demo),
      resolved: `${deadUrl}demo/-/demo-1.0.0.tgz`,
    });
    expect(first.url).toBe(`${registry.url}demo/-/demo-1.0.0.tgz`);
    expect(first.verified).toBe(true);
    const second = await client.fetch({
      name: '@acme/widget',
      version: '2.0.0',
      integrity: sri(scoped),
      resolved: `${deadUrl}@acme/widget/-/widget-2.0.0.tgz`,
    });
    expect(second.url).toBe(`${registry.url}@acme/widget/-/widget-2.0.0.tgz`);
    expect(asked.filter((url) => url.startsWith(deadUrl))).toHaveLength(2); // one attempt + one retry, for the first only
  });
});
