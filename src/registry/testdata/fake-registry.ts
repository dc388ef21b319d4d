import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** `{ version: { dependencies } }` — the versions a test package publishes. */
export type VersionSpec = Record<string, { dependencies?: Record<string, string>; deprecated?: string }>;

/** A packument in the registry's real shape (name, dist-tags, versions with dist, time). */
export const makePackument = (name: string, versions: VersionSpec, latest?: string): Record<string, unknown> => {
  const keys = Object.keys(versions);
  const doc: Record<string, unknown> = {
    _id: name,
    name,
    'dist-tags': { latest: latest ?? keys[keys.length - 1] },
    versions: Object.fromEntries(
      keys.map((version) => [
        version,
        {
          name,
          version,
          ...(versions[version]!.dependencies ? { dependencies: versions[version]!.dependencies } : {}),
          ...(versions[version]!.deprecated ? { deprecated: versions[version]!.deprecated } : {}),
          dist: {
            tarball: `https://registry.example.invalid/${name}/-/${name.split('/').pop()}-${version}.tgz`,
            integrity: `sha512-${createHash('sha512').update(`${name}@${version}`).digest('base64')}`,
            shasum: createHash('sha1').update(`${name}@${version}`).digest('hex'),
          },
        },
      ]),
    ),
    time: Object.fromEntries(keys.map((version, i) => [version, new Date(Date.UTC(2024, 0, 1 + i)).toISOString()])),
  };
  return doc;
};

export type FakeRegistry = {
  url: string;
  /** Every request, in order. */
  requests: { path: string; headers: IncomingHttpHeaders; status: number }[];
  /** Status codes to answer before serving normally, per package path (`/name`, `/@scope%2fname`). */
  failures: Map<string, number[]>;
  /** Raw bodies served instead of a packument. */
  raw: Map<string, string>;
  maxInFlight: number;
  delayMs: number;
  set: (name: string, doc: Record<string, unknown>) => void;
  close: () => Promise<void>;
};

/** A registry on 127.0.0.1 serving test-built packuments, with ETags and scripted failures. */
export const startFakeRegistry = async (): Promise<FakeRegistry> => {
  const docs = new Map<string, string>();
  let inFlight = 0;
  const registry: FakeRegistry = {
    url: '',
    requests: [],
    failures: new Map(),
    raw: new Map(),
    maxInFlight: 0,
    delayMs: 0,
    set: (name, doc) => docs.set(`/${name.replace('/', '%2f')}`, JSON.stringify(doc)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    inFlight++;
    registry.maxInFlight = Math.max(registry.maxInFlight, inFlight);
    const path = (req.url ?? '/').split('?')[0]!;
    const answer = (status: number, body = '', headers: Record<string, string> = {}) => {
      registry.requests.push({ path, headers: req.headers, status });
      setTimeout(() => {
        inFlight--;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body);
      }, registry.delayMs);
    };
    const scripted = registry.failures.get(path);
    if (scripted && scripted.length > 0) return answer(scripted.shift()!, '{"error":"scripted"}');
    const raw = registry.raw.get(path);
    if (raw !== undefined) return answer(200, raw);
    const body = docs.get(path);
    if (body === undefined) return answer(404, '{"error":"Not found"}');
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) return answer(304, '', { etag });
    return answer(200, body, { etag });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registry.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return registry;
};
