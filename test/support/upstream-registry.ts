import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

/** One file inside a test package (under `package/`). */
export type PackageFile = { path: string; content: string };

/** A version to publish: the package.json fields that matter plus its files. */
export type PublishSpec = {
  name: string;
  version: string;
  /** Publish time; default 30 days ago. */
  time?: Date;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  deprecated?: string;
  /** Files besides package.json; default an index.js exporting a function. */
  files?: PackageFile[];
  /** dist-tags to point at this version; `latest` moves to the highest stable version unless given. */
  tags?: string[];
};

export type Published = {
  name: string;
  version: string;
  tarball: Buffer;
  integrity: string;
  shasum: string;
  /** The tarball URL on this upstream. */
  url: string;
};

/** Ways the upstream misbehaves, per packument or tarball path. */
export type HostileMode =
  /** A valid document larger than `bytes`. */
  | { kind: 'oversized'; bytes: number }
  /** Headers sent, then the body trickles for at most `ms` (bounded), then the socket ends. */
  | { kind: 'slow'; ms: number }
  /** 200 with a body that is not JSON. */
  | { kind: 'malformed' }
  /** Tarball bytes that do not match the packument's integrity (same length, one byte changed). */
  | { kind: 'bad-integrity' };

export type UpstreamRequest = {
  method: string;
  path: string;
  accept?: string;
  userAgent?: string;
  status: number;
};

export type UpstreamRegistry = {
  /** `http://127.0.0.1:<port>/` — with a trailing slash. */
  url: string;
  requests: UpstreamRequest[];
  publish: (spec: PublishSpec) => Promise<Published>;
  /** The full packument as served (realistic shape). */
  packument: (name: string) => Record<string, unknown> | undefined;
  hostile: (name: string, mode: HostileMode) => void;
  /** Requests that reached a path (`/name`, tarball paths), counting every method. */
  hits: (pathPrefix: string) => number;
  close: () => Promise<void>;
};

const DAY = 24 * 60 * 60 * 1000;

const tarEntry = (pack: tar.Pack, name: string, content: string, mtime: Date) =>
  new Promise<void>((resolve, reject) =>
    pack.entry({ name, mode: 0o644, mtime }, content, (error) => (error ? reject(error) : resolve())),
  );

/** A real .tgz as `npm pack` makes it: gzip of a ustar stream whose entries sit under `package/`. */
export const buildTarball = async (
  manifest: Record<string, unknown>,
  files: PackageFile[],
): Promise<Buffer> => {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  // npm pack uses 1985-10-26T08:15:00Z for every entry.
  const mtime = new Date('1985-10-26T08:15:00.000Z');
  await tarEntry(pack, 'package/package.json', `${JSON.stringify(manifest, null, 2)}\n`, mtime);
  for (const file of files) await tarEntry(pack, `package/${file.path}`, file.content, mtime);
  pack.finalize();
  await collected;
  return gzipSync(Buffer.concat(chunks));
};

export const sriOf = (bytes: Uint8Array): string =>
  `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

const defaultFiles = (name: string): PackageFile[] => [
  {
    path: 'index.js',
    content: `'use strict';\nmodule.exports = function ${name.replace(/\W/g, '_')}(a, b) {\n  return a + b;\n};\n`,
  },
  { path: 'README.md', content: `# ${name}\n\nA package built by the Bulwark end-to-end tests.\n` },
];

/** The registry's tarball file name: the unscoped part of the name. */
export const tarballFile = (name: string, version: string): string =>
  `${name.startsWith('@') ? name.split('/')[1] : name}-${version}.tgz`;

type Stored = {
  name: string;
  versions: Map<
    string,
    { manifest: Record<string, unknown>; published: Published; time: Date; tags: string[] }
  >;
  created: Date;
};

const STABLE = /^\d+\.\d+\.\d+$/;
const compareVersions = (a: string, b: string): number => {
  const pa = a.split(/[.-]/).map((p) => Number.parseInt(p, 10));
  const pb = b.split(/[.-]/).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return a.localeCompare(b);
};

/** The packument path for a name: `/name` or `/@scope%2fname`. */
export const packumentPath = (name: string): string => `/${name.replace('/', '%2f')}`;

/**
 * A loopback npm registry serving test-built packages: full packuments in the real registry's
 * shape, the abbreviated form on `Accept: application/vnd.npm.install-v1+json`, real gzip
 * tarballs at both scoped path shapes, ETags, and hostile answers on demand. POST endpoints
 * answer 405, as the registry mirror on our machines does.
 */
export const startUpstreamRegistry = async (): Promise<UpstreamRegistry> => {
  const packages = new Map<string, Stored>();
  const hostile = new Map<string, HostileMode>();
  const requests: UpstreamRequest[] = [];
  const sockets = new Set<Socket>();
  let base = '';

  const fullDocument = (stored: Stored): Record<string, unknown> => {
    const versions = [...stored.versions.keys()].sort(compareVersions);
    const stable = versions.filter((v) => STABLE.test(v));
    const distTags: Record<string, string> = {};
    const latest = stable[stable.length - 1] ?? versions[versions.length - 1];
    if (latest) distTags.latest = latest;
    for (const [version, entry] of stored.versions) for (const tag of entry.tags) distTags[tag] = version;
    const times = versions.map((v) => stored.versions.get(v)!.time.getTime());
    const modified = new Date(Math.max(stored.created.getTime(), ...times));
    const latestManifest = latest ? stored.versions.get(latest)!.manifest : {};
    return {
      _id: stored.name,
      _rev: `${versions.length}-${createHash('md5').update(versions.join(',')).digest('hex')}`,
      name: stored.name,
      description: latestManifest.description,
      'dist-tags': distTags,
      versions: Object.fromEntries(
        versions.map((version) => {
          const { manifest, published } = stored.versions.get(version)!;
          return [
            version,
            {
              ...manifest,
              _id: `${stored.name}@${version}`,
              _nodeVersion: '20.20.2',
              _npmVersion: '11.6.2',
              dist: {
                integrity: published.integrity,
                shasum: published.shasum,
                tarball: published.url,
                fileCount: 3,
                unpackedSize: published.tarball.length * 3,
              },
              _npmUser: { name: 'bulwark-tests', email: 'tests@example.invalid' },
              maintainers: [{ name: 'bulwark-tests', email: 'tests@example.invalid' }],
              directories: {},
              _hasShrinkwrap: false,
            },
          ];
        }),
      ),
      time: {
        created: stored.created.toISOString(),
        modified: modified.toISOString(),
        ...Object.fromEntries(versions.map((v) => [v, stored.versions.get(v)!.time.toISOString()])),
      },
      maintainers: [{ name: 'bulwark-tests', email: 'tests@example.invalid' }],
      license: 'MIT',
      readme: `# ${stored.name}\n`,
      readmeFilename: 'README.md',
    };
  };

  /** The abbreviated ("corgi") document npm's install-v1 format defines. */
  const abbreviated = (full: Record<string, unknown>): Record<string, unknown> => {
    const versions = full.versions as Record<string, Record<string, unknown>>;
    const keep = [
      'name',
      'version',
      'deprecated',
      'dependencies',
      'optionalDependencies',
      'peerDependencies',
      'peerDependenciesMeta',
      'bundleDependencies',
      'bin',
      'directories',
      'engines',
      'cpu',
      'os',
      'dist',
      '_hasShrinkwrap',
    ];
    return {
      name: full.name,
      modified: (full.time as Record<string, string>).modified,
      'dist-tags': full['dist-tags'],
      versions: Object.fromEntries(
        Object.entries(versions).map(([v, m]) => {
          const out: Record<string, unknown> = {};
          for (const key of keep) if (m[key] !== undefined) out[key] = m[key];
          const scripts = (m.scripts ?? {}) as Record<string, string>;
          if (scripts.preinstall || scripts.install || scripts.postinstall) out.hasInstallScript = true;
          return [v, out];
        }),
      ),
    };
  };

  const registry: UpstreamRegistry = {
    url: '',
    requests,
    publish: async (spec) => {
      const manifest: Record<string, unknown> = {
        name: spec.name,
        version: spec.version,
        description: `${spec.name}, built by the Bulwark end-to-end tests`,
        main: 'index.js',
        license: 'MIT',
        ...(spec.scripts ? { scripts: spec.scripts } : {}),
        ...(spec.dependencies ? { dependencies: spec.dependencies } : {}),
        ...(spec.optionalDependencies ? { optionalDependencies: spec.optionalDependencies } : {}),
        ...(spec.peerDependencies ? { peerDependencies: spec.peerDependencies } : {}),
      };
      const tarball = await buildTarball(manifest, spec.files ?? defaultFiles(spec.name));
      const published: Published = {
        name: spec.name,
        version: spec.version,
        tarball,
        integrity: sriOf(tarball),
        shasum: createHash('sha1').update(tarball).digest('hex'),
        url: `${base}${spec.name}/-/${tarballFile(spec.name, spec.version)}`,
      };
      const time = spec.time ?? new Date(Date.now() - 30 * DAY);
      let stored = packages.get(spec.name);
      if (!stored) {
        stored = { name: spec.name, versions: new Map(), created: time };
        packages.set(spec.name, stored);
      }
      if (time < stored.created) stored.created = time;
      stored.versions.set(spec.version, {
        manifest: spec.deprecated ? { ...manifest, deprecated: spec.deprecated } : manifest,
        published,
        time,
        tags: spec.tags ?? [],
      });
      return published;
    },
    packument: (name) => {
      const stored = packages.get(name);
      return stored ? fullDocument(stored) : undefined;
    },
    hostile: (key, mode) => hostile.set(key, mode),
    hits: (prefix) => requests.filter((r) => r.path.startsWith(prefix)).length,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  /** The package a path names, and whether it asks for a tarball. */
  const route = (rawPath: string): { name: string; tarball?: string } | undefined => {
    const path = rawPath.replace(/%2f/gi, '/').replace(/%40/gi, '@');
    const tar = /^\/((?:@[^/]+\/)?[^/@][^/]*)\/-\/([^/]+\.tgz)$/.exec(path);
    if (tar) return { name: decodeURIComponent(tar[1]!), tarball: tar[2]! };
    const doc = /^\/((?:@[^/]+\/)?[^/@][^/]*)\/?$/.exec(path);
    if (doc) return { name: decodeURIComponent(doc[1]!) };
    return undefined;
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const entry: UpstreamRequest = {
      method: req.method ?? 'GET',
      path,
      accept: req.headers.accept,
      userAgent: req.headers['user-agent'],
      status: 0,
    };
    requests.push(entry);
    const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    req.resume();
    if (path === '/-/ping') return send(200, '{}');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, '{"error":"Method not allowed"}');
    const target = route(path);
    const stored = target ? packages.get(target.name) : undefined;
    if (!target || !stored) return send(404, '{"error":"Not found"}');
    const mode = hostile.get(target.tarball ? `${target.name}/-/${target.tarball}` : target.name);

    if (target.tarball) {
      const version = [...stored.versions.values()].find(
        (v) => tarballFile(stored.name, v.published.version) === target.tarball,
      );
      if (!version) return send(404, '{"error":"Not found"}');
      let bytes = version.published.tarball;
      if (mode?.kind === 'bad-integrity') {
        bytes = Buffer.from(bytes);
        bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0xff;
      }
      if (mode?.kind === 'slow') return trickle(res, entry, 'application/octet-stream', bytes, mode.ms);
      return send(200, bytes, {
        'content-type': 'application/octet-stream',
        'content-length': String(bytes.length),
        etag: `"${version.published.shasum}"`,
      });
    }

    if (mode?.kind === 'malformed') return send(200, '{"name": "oops", "versions": {"1.0.0": ');
    const full = fullDocument(stored);
    if (mode?.kind === 'oversized') {
      // Still a valid packument: a huge readme.
      full.readme = 'x'.repeat(mode.bytes);
      return send(200, JSON.stringify(full));
    }
    const corgi = (req.headers.accept ?? '').includes('application/vnd.npm.install-v1+json');
    const body = JSON.stringify(corgi ? abbreviated(full) : full);
    if (mode?.kind === 'slow') return trickle(res, entry, 'application/json', Buffer.from(body), mode.ms);
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    const headers: Record<string, string> = {
      'content-type': corgi ? 'application/vnd.npm.install-v1+json' : 'application/json',
      etag,
      'last-modified': new Date((full.time as { modified: string }).modified).toUTCString(),
      vary: 'accept',
    };
    if (req.headers['if-none-match'] === etag) {
      entry.status = 304;
      res.writeHead(304, headers);
      return res.end();
    }
    return send(200, body, headers);
  });

  /** Sends headers, then one byte every so often; gives up after `ms` and cuts the connection. */
  const trickle = (res: ServerResponse, entry: UpstreamRequest, type: string, body: Buffer, ms: number) => {
    entry.status = 200;
    res.writeHead(200, { 'content-type': type, 'content-length': String(body.length) });
    let sent = 0;
    const started = Date.now();
    const tick = setInterval(() => {
      if (res.destroyed || Date.now() - started > ms || sent >= body.length - 1) {
        clearInterval(tick);
        res.destroy();
        return;
      }
      res.write(body.subarray(sent, sent + 1));
      sent++;
    }, 200);
    res.on('close', () => clearInterval(tick));
  };

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  registry.url = base;
  return registry;
};
