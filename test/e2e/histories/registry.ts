import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { abbreviated, type PackedHistory, packument, tarballPath } from './history.js';

export type HistoryRegistry = {
  /** `http://127.0.0.1:<port>/`, for `--registry`. */
  url: string;
  /** Every request's path and status, in order. */
  requests: { path: string; status: number }[];
  /** The full document served for `name`. */
  document: (name: string) => Record<string, unknown>;
  close: () => Promise<void>;
};

/**
 * One loopback server for packed histories: full and abbreviated packuments (`/<name>`,
 * `/@scope%2fname`) and tarballs (`/<name>/-/<base>-<version>.tgz`), 404 for anything else.
 */
export const startHistoryRegistry = async (histories: readonly PackedHistory[]): Promise<HistoryRegistry> => {
  const documents = new Map<string, Record<string, unknown>>();
  const tarballs = new Map<string, Buffer>();
  const requests: HistoryRegistry['requests'] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const answer = (status: number, body: string | Buffer, type: string) => {
      requests.push({ path, status });
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
    };
    if (req.method !== 'GET') return answer(405, '{"error":"Method not allowed"}', 'application/json');
    const tarball = tarballs.get(path);
    if (tarball) return answer(200, tarball, 'application/octet-stream');
    const doc = documents.get(path.slice(1));
    if (!doc) return answer(404, '{"error":"Not found"}', 'application/json');
    // npm asks for the abbreviated document first; the full one only when asked for plain JSON.
    const short = (req.headers.accept ?? '').startsWith('application/vnd.npm.install-v1+json');
    return short
      ? answer(200, JSON.stringify(abbreviated(doc)), 'application/vnd.npm.install-v1+json')
      : answer(200, JSON.stringify(doc), 'application/json');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  for (const packed of histories) {
    documents.set(packed.name, packument(packed, url));
    for (const release of packed.releases)
      tarballs.set(`/${tarballPath(packed.name, release.version)}`, release.tgz);
  }
  return {
    url,
    requests,
    document: (name) => {
      const doc = documents.get(name);
      if (!doc) throw new Error(`${name}: not served`);
      return doc;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
