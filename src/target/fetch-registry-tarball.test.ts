import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyzeTarball } from '../analysis/analyze.js';
import { fetchFullPackument } from '../registry/full-packument.js';
import { emptyNpmrc } from '../registry/npmrc.js';
import { makeTgz } from '../tarball/testdata/make-tarball.js';
import { fetchRegistryTarball } from './fetch-registry-tarball.js';

/** A registry on 127.0.0.1 answering abbreviated or full documents by Accept header, as npm's does. */
let server: Server;
let registry = '';
const accepts: string[] = [];
let tgz: Buffer;

const manifest = { name: 'confused-fixture', version: '1.0.0', repository: 'github:owner/confused-fixture' };

beforeAll(async () => {
  vi.stubEnv('BULWARK_HOME', mkdtempSync(join(tmpdir(), 'bulwark-inspect-fetch-')));
  tgz = await makeTgz([
    {
      name: 'package/package.json',
      content: JSON.stringify({ ...manifest, scripts: { preinstall: 'node -e "console.log(1)"' } }),
    },
    { name: 'package/index.js', content: 'module.exports = 1;\n' },
  ]);
  const integrity = `sha512-${createHash('sha512').update(tgz).digest('base64')}`;
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/confused-fixture/-/confused-fixture-1.0.0.tgz') {
      res.writeHead(200).end(tgz);
      return;
    }
    if (path !== '/confused-fixture') {
      res.writeHead(404).end('{}');
      return;
    }
    const accept = req.headers.accept ?? '';
    accepts.push(accept);
    const dist = { tarball: `${registry}confused-fixture/-/confused-fixture-1.0.0.tgz`, integrity };
    const full = !accept.includes('install-v1');
    const version = full ? { ...manifest, dist } : { name: manifest.name, version: '1.0.0', dist };
    const doc = {
      name: 'confused-fixture',
      'dist-tags': { latest: '1.0.0' },
      versions: { '1.0.0': version },
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('fetchRegistryTarball', () => {
  it('returns the full registry document beside the tarball', async () => {
    const fetched = await fetchRegistryTarball('confused-fixture', '1.0.0', { registry });
    expect(fetched.version).toBe('1.0.0');
    expect(fetched.packument).toMatchObject({ versions: { '1.0.0': { repository: manifest.repository } } });
    expect(accepts).toContain('application/json');
  });
  it('feeds the document to the analysis: a tarball install hook absent from the registry copy', async () => {
    const fetched = await fetchRegistryTarball('confused-fixture', '1.0.0', { registry });
    const analysis = await analyzeTarball(
      fetched.bytes,
      'confused-fixture@1.0.0',
      {},
      { packument: fetched.packument },
    );
    const without = await analyzeTarball(fetched.bytes, 'confused-fixture@1.0.0');
    expect(analysis.findings.map((f) => f.rule)).toContain('metadata-manifest-confusion');
    expect(without.findings.map((f) => f.rule)).not.toContain('metadata-manifest-confusion');
  });
  it('offline, answers from the caches and goes without the full document', async () => {
    await fetchRegistryTarball('confused-fixture', '1.0.0', { registry });
    const requests = accepts.length;
    const offline = await fetchRegistryTarball('confused-fixture', '1.0.0', { registry, offline: true });
    expect(offline.version).toBe('1.0.0');
    expect(offline.packument).toBeUndefined();
    expect(accepts.length).toBe(requests);
  });
});

describe('fetchFullPackument', () => {
  it('gives undefined, not an error, when the registry refuses', async () => {
    const npmrc = emptyNpmrc();
    npmrc.registry = registry;
    expect(await fetchFullPackument('not-published', npmrc)).toBeUndefined();
    npmrc.registry = 'http://127.0.0.1:9/';
    expect(await fetchFullPackument('confused-fixture', npmrc)).toBeUndefined();
  });
});
