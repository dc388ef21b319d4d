import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compare } from 'semver';

/** What one published release carries besides its code: `_npmUser`, `dist.attestations`, `deprecated`, … */
export type ReleaseExtras = { manifest?: Record<string, unknown>; dist?: Record<string, unknown>; time?: string };

export type ReleaseRegistry = {
  /** Ends with `/`. */
  url: string;
  /** Every request path, in order. */
  requests: string[];
  /** Publishes a release; returns its tarball URL and integrity, as a lockfile records them. */
  publish: (
    name: string,
    version: string,
    bytes: Uint8Array,
    extras?: ReleaseExtras,
  ) => { resolved: string; integrity: string };
  close: () => Promise<void>;
};

type Release = { version: string; tarball: string; integrity: string; extras: ReleaseExtras };

/**
 * A registry on 127.0.0.1 serving full packuments (the real shape: dist-tags, versions with
 * dist, time) and the tarballs behind them; `latest` is the highest release published.
 */
export const startReleaseRegistry = async (): Promise<ReleaseRegistry> => {
  const packages = new Map<string, Release[]>();
  const tarballs = new Map<string, Uint8Array>();
  const requests: string[] = [];
  let base = '';

  const documentOf = (name: string, releases: Release[]) => {
    const sorted = [...releases].sort((a, b) => compare(a.version, b.version));
    const stable = sorted.filter((release) => !release.version.includes('-'));
    const latest = (stable.length > 0 ? stable : sorted)[(stable.length > 0 ? stable : sorted).length - 1]!;
    return {
      _id: name,
      name,
      'dist-tags': { latest: latest.version },
      versions: Object.fromEntries(
        sorted.map((release) => [
          release.version,
          {
            name,
            version: release.version,
            ...release.extras.manifest,
            dist: { tarball: release.tarball, integrity: release.integrity, ...release.extras.dist },
          },
        ]),
      ),
      time: Object.fromEntries(
        sorted.map((release, i) => [
          release.version,
          release.extras.time ?? new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
        ]),
      ),
    };
  };

  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    requests.push(path);
    const tarball = tarballs.get(path);
    if (tarball) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(tarball);
      return;
    }
    const releases = packages.get(path.slice(1));
    if (!releases) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"Not found"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(documentOf(path.slice(1), releases)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    url: base,
    requests,
    publish: (name, version, bytes, extras = {}) => {
      const path = `/${name}/-/${name.split('/').pop()}-${version}.tgz`;
      tarballs.set(path, bytes);
      const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
      const release = { version, tarball: `${base}${path.slice(1)}`, integrity, extras };
      packages.set(name, [...(packages.get(name) ?? []).filter((r) => r.version !== version), release]);
      return { resolved: release.tarball, integrity };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
