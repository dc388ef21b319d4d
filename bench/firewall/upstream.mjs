// The local upstream registry for the firewall bench, run as its own process so its work does
// not share an event loop with the load generator: packuments (full JSON) and tarballs from the
// corpus, with ETags. Prints `listening <url>` when ready; counts requests (GET /-/bench/stats).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { prepareCorpus } from './corpus.mjs';

const cacheDir = process.argv[2];
const corpus = await prepareCorpus(cacheDir);
const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}`;

const docs = new Map();
for (const [name, doc] of corpus.docs) {
  for (const version of Object.values(doc.versions ?? {}))
    version.dist.tarball = `${url}${version.dist.tarball}`;
  const body = Buffer.from(JSON.stringify(doc));
  const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
  docs.set(`/${name.replace('/', '%2f')}`, { body, etag });
  if (name.startsWith('@')) docs.set(`/${name}`, { body, etag });
}
const tarballs = new Map();
for (const [path, file] of corpus.tarballs) tarballs.set(path, readFileSync(file));
const stats = { packuments: 0, tarballs: 0, notFound: 0 };

server.on('request', (req, res) => {
  const path = decodeURIComponent((req.url ?? '/').split('?')[0]).replace(
    /^\/(@[^/]+)\//,
    (_, s) => `/${s}%2f`,
  );
  const raw = (req.url ?? '/').split('?')[0];
  if (raw === '/-/bench/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(stats));
  }
  const tarball = tarballs.get(raw) ?? tarballs.get(decodeURIComponent(raw));
  if (tarball) {
    stats.tarballs++;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tarball.length });
    return res.end(tarball);
  }
  const doc = docs.get(path) ?? docs.get(raw);
  if (doc) {
    stats.packuments++;
    if (req.headers['if-none-match'] === doc.etag) {
      res.writeHead(304, { etag: doc.etag });
      return res.end();
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': doc.body.length,
      etag: doc.etag,
    });
    return res.end(doc.body);
  }
  stats.notFound++;
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"error":"not found"}');
});
process.stdout.write(`listening ${url}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
