import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { makeTgz } from '../../../tarball/testdata/make-tarball.js';

/** One version a test publishes: real tarball bytes, built from a package.json and an index.js. */
export type TestVersion = {
  /** ISO time; default 2024-01-01 plus the version's index in days. */
  time?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  deprecated?: string;
  /** Extra fields on the version object (`_npmUser`, `gypfile`…). */
  extra?: Record<string, unknown>;
  /** Serve these bytes for the tarball instead of the ones the integrity names (tampering). */
  tamperedBytes?: Buffer;
  /** Replace the built tarball (e.g. a malicious fixture). */
  bytes?: Buffer;
};

export type Behaviour = {
  status?: number;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Wait before answering. */
  delayMs?: number;
  /** Send the headers, then hang for this long before the body. */
  stallBodyMs?: number;
  /** Drop the connection without an answer this many times first (a stale kept-alive socket). */
  resets?: number;
};

export type TestUpstream = {
  url: string;
  requests: { method: string; path: string; headers: IncomingHttpHeaders; body: string }[];
  /** Publishes a package; returns the tarball bytes by version. */
  publish: (
    name: string,
    versions: Record<string, TestVersion>,
    distTags?: Record<string, string>,
  ) => Promise<Map<string, Buffer>>;
  /** Overrides the answer for one path (exact, percent-encoded as requested). */
  behave: (path: string, behaviour: Behaviour) => void;
  /** Removes a version from `versions`, keeping its `time` entry, as the registry does on unpublish. */
  unpublish: (name: string, version: string) => void;
  /** Also serves everything under a path prefix (`/api/npm/remote`), tarball URLs included. */
  mount: (prefix: string) => void;
  /** Most requests this server was answering at once. */
  maxInFlight: number;
  /** Delay every tarball answer (in-flight tests). */
  tarballDelayMs: number;
  count: (path: string) => number;
  close: () => Promise<void>;
};

/**
 * A loopback registry in the public registry's shapes: full packuments (ETag, 304 on
 * If-None-Match) at `/<name>` and `/@scope%2fname`, gzip tarballs at `/<name>/-/<file>.tgz`,
 * with scripted misbehaviour per path.
 */
export const startTestUpstream = async (): Promise<TestUpstream> => {
  const docs = new Map<string, string>();
  const tarballs = new Map<string, Buffer>();
  const behaviours = new Map<string, Behaviour>();
  const requests: TestUpstream['requests'] = [];
  let mounted = '';
  const upstream: TestUpstream = {
    url: '',
    requests,
    publish: async () => new Map(),
    behave: (path, behaviour) => behaviours.set(path, behaviour),
    tarballDelayMs: 0,
    maxInFlight: 0,
    count: (path) => requests.filter((r) => r.path === path).length,
    unpublish: (name, version) => {
      const doc = JSON.parse(docs.get(name)!) as { versions: Record<string, unknown> };
      delete doc.versions[version];
      docs.set(name, JSON.stringify(doc));
    },
    mount: (prefix) => {
      mounted = prefix;
      for (const [name, doc] of docs) docs.set(name, doc.replaceAll(`${upstream.url}/`, `${upstream.url}${prefix}/`));
    },
    close: async () => {},
  };

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = req.url ?? '/';
    const path = mounted !== '' && raw.startsWith(`${mounted}/`) ? raw.slice(mounted.length) : raw;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body: Buffer.concat(chunks).toString() });
    const behaviour = behaviours.get(path);
    if (behaviour) {
      if (behaviour.resets) {
        behaviour.resets--;
        req.socket.destroy();
        return;
      }
      if (behaviour.delayMs) await sleep(behaviour.delayMs);
      res.writeHead(behaviour.status ?? 200, behaviour.headers ?? { 'content-type': 'application/json' });
      if (behaviour.stallBodyMs) {
        res.write(typeof behaviour.body === 'string' ? behaviour.body.slice(0, 1) : '{');
        await sleep(behaviour.stallBodyMs);
      }
      res.end(behaviour.body ?? '');
      return;
    }
    const key = decodeURIComponent(path.split('?')[0]!.slice(1));
    const doc = docs.get(key);
    if (doc !== undefined) {
      const etag = `"${createHash('sha1').update(doc).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        res.end();
        return;
      }
      // As the public registry does: gzip when the client accepts it.
      if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        res.writeHead(200, { 'content-type': 'application/json', etag, 'content-encoding': 'gzip' });
        res.end(gzipSync(doc));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', etag });
      res.end(doc);
      return;
    }
    const tarball = tarballs.get(path.split('?')[0]!);
    if (tarball !== undefined) {
      if (upstream.tarballDelayMs) await sleep(upstream.tarballDelayMs);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tarball.byteLength });
      res.end(tarball);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"Not found"}');
  };

  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    upstream.maxInFlight = Math.max(upstream.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    answer(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  upstream.publish = async (name, versions, distTags) => {
    const unscoped = name.split('/').pop()!;
    const built = new Map<string, Buffer>();
    const versionDocs: Record<string, unknown> = {};
    const time: Record<string, string> = { created: '2024-01-01T00:00:00.000Z' };
    let index = 0;
    for (const [version, spec] of Object.entries(versions)) {
      const manifest = {
        name,
        version,
        ...(spec.scripts ? { scripts: spec.scripts } : {}),
        ...(spec.dependencies ? { dependencies: spec.dependencies } : {}),
      };
      const bytes =
        spec.bytes ??
        (await makeTgz([
          { name: 'package/package.json', content: JSON.stringify(manifest) },
          { name: 'package/index.js', content: `module.exports = ${JSON.stringify(`${name}@${version}`)};\n` },
        ]));
      built.set(version, bytes);
      const path = `/${name}/-/${unscoped}-${version}.tgz`;
      tarballs.set(path, spec.tamperedBytes ?? bytes);
      versionDocs[version] = {
        ...manifest,
        ...(spec.deprecated ? { deprecated: spec.deprecated } : {}),
        ...spec.extra,
        _id: `${name}@${version}`,
        dist: {
          ...(spec.extra?.dist as Record<string, unknown> | undefined),
          tarball: `${upstream.url}${path}`,
          integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
          shasum: createHash('sha1').update(bytes).digest('hex'),
        },
      };
      time[version] = spec.time ?? new Date(Date.UTC(2024, 0, 1 + index)).toISOString();
      index++;
    }
    const keys = Object.keys(versions);
    time.modified = new Date(Math.max(...Object.values(time).map((t) => Date.parse(t)))).toISOString();
    docs.set(
      name,
      JSON.stringify({
        _id: name,
        name,
        'dist-tags': distTags ?? { latest: keys[keys.length - 1] },
        versions: versionDocs,
        time,
      }),
    );
    return built;
  };

  upstream.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return upstream;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
