import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Advisory } from '../../core/advisory.js';
import { defaultPolicy } from '../../policy/firewall/load.js';
import type { FirewallPolicy } from '../../policy/firewall/types.js';
import { openStore } from '../../store/open-store.js';
import { openDecisionLog } from '../decision-log.js';
import type { DecisionRecord, Firewall, FirewallOptions } from '../types.js';
import { openWaiverStore } from '../waiver-store.js';
import { encodeProjectId } from './requester.js';
import { startFirewall } from './start-firewall.js';
import { startTestUpstream, type TestUpstream } from './testdata/upstream.js';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();

let upstream: TestUpstream;
let home: string;
const open: Firewall[] = [];

beforeEach(async () => {
  upstream = await startTestUpstream();
  home = mkdtempSync(join(tmpdir(), 'bulwark-firewall-'));
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
  await upstream.close();
  rmSync(home, { recursive: true, force: true });
});

const policyWith = (change: (p: FirewallPolicy) => void = () => {}): FirewallPolicy => {
  const policy = defaultPolicy();
  change(policy);
  return policy;
};

const start = async (options: Partial<FirewallOptions> = {}) => {
  const firewall = await startFirewall(
    {
      upstream: upstream.url,
      policy: policyWith(),
      port: 0,
      dataDir: home,
      analysis: false,
      now: () => NOW,
      ...options,
    },
    { onWarning: () => {} },
  );
  open.push(firewall);
  const decisions: DecisionRecord[] = [];
  firewall.onDecision((d) => decisions.push(d));
  return { firewall, decisions };
};

type Version = {
  version: string;
  dist: { tarball: string; integrity: string };
  hasInstallScript?: boolean;
  scripts?: unknown;
};
type Doc = {
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, Version>;
  time: Record<string, string>;
  error: string;
  [key: string]: unknown;
};
const json = async (response: Response): Promise<Doc> => (await response.json()) as Doc;

const sha512 = (bytes: Uint8Array) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

describe('packuments', () => {
  it('rewrites tarball URLs to the firewall, keeps integrity and time, and answers 304 on its own ETag', async () => {
    const built = await upstream.publish('left-pad', { '1.0.0': {}, '1.1.0': {} });
    const { firewall } = await start();
    const response = await fetch(`${firewall.url}/left-pad`);
    expect(response.status).toBe(200);
    expect(response.headers.get('vary')).toBe('Accept');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = await json(response);
    expect(doc.versions['1.1.0']!.dist.tarball).toBe(`${firewall.url}/left-pad/-/left-pad-1.1.0.tgz`);
    expect(doc.versions['1.1.0']!.dist.integrity).toBe(sha512(built.get('1.1.0')!));
    expect(doc.time['1.0.0']).toBe('2024-01-01T00:00:00.000Z');
    expect(doc['dist-tags']).toEqual({ latest: '1.1.0' });
    // Full document asked upstream, whatever the client wanted.
    expect(upstream.requests[0]!.headers.accept).toBe('application/json');
    // Asked compressed (the test upstream then gzips, as the registry does) and decoded.
    expect(upstream.requests[0]!.headers['accept-encoding']).toBe('gzip');

    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    const upstreamEtag = (await fetch(`${upstream.url}/left-pad`)).headers.get('etag');
    expect(etag).not.toBe(upstreamEtag);
    const again = await fetch(`${firewall.url}/left-pad`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    // One request from the firewall (the second was served from memory), one from this test.
    expect(upstream.count('/left-pad')).toBe(2);
  });

  it('serves the abbreviated form when asked, with its own ETag, and time for pnpm', async () => {
    await upstream.publish('corgi', { '1.0.0': { scripts: { postinstall: 'node x.js' } } });
    const { firewall } = await start();
    const accept = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
    const npm = await fetch(`${firewall.url}/corgi`, {
      headers: { accept, 'user-agent': 'npm/11.6.2 node/v20' },
    });
    expect(npm.headers.get('content-type')).toMatch(/^application\/vnd\.npm\.install-v1\+json/);
    const abbreviated = await json(npm);
    expect(Object.keys(abbreviated)).toEqual(['name', 'modified', 'dist-tags', 'versions']);
    expect(abbreviated.versions['1.0.0']!.hasInstallScript).toBe(true);
    expect(abbreviated.versions['1.0.0']!.scripts).toBeUndefined();
    const full = await fetch(`${firewall.url}/corgi`);
    expect(full.headers.get('etag')).not.toBe(npm.headers.get('etag'));
    const pnpm = await json(
      await fetch(`${firewall.url}/corgi`, {
        headers: { accept, 'user-agent': 'pnpm/10.20.0 npm/? node/v20' },
      }),
    );
    expect(pnpm.time['1.0.0']).toBeDefined();
  });

  it('hides versions under the minimum release age and re-points latest, never to a prerelease', async () => {
    await upstream.publish('fresh', {
      '1.0.0': { time: hoursAgo(100) },
      '1.1.0': { time: hoursAgo(50) },
      '2.0.0-beta.1': { time: hoursAgo(40) },
      '2.0.0': { time: hoursAgo(2) },
    });
    const { firewall, decisions } = await start();
    const doc = await json(await fetch(`${firewall.url}/fresh`));
    expect(Object.keys(doc.versions)).toEqual(['1.0.0', '1.1.0', '2.0.0-beta.1']);
    expect(doc['dist-tags'].latest).toBe('1.1.0');
    expect(doc.time['2.0.0']).toBeUndefined();
    expect(decisions.map((d) => [d.version, d.action, d.rule])).toEqual([
      ['2.0.0', 'hide', 'minimumReleaseAge'],
    ]);

    // A lockfile install asking for the hidden tarball directly is refused.
    const tarball = await fetch(`${firewall.url}/fresh/-/fresh-2.0.0.tgz`);
    expect(tarball.status).toBe(403);
    expect(tarball.headers.get('x-bulwark-rule')).toBe('minimumReleaseAge');
    expect((await json(tarball)).error).toContain('fresh@2.0.0');
    expect(upstream.count('/fresh/-/fresh-2.0.0.tgz')).toBe(0);

    const view = await fetch(`${firewall.url}/fresh/2.0.0`);
    expect(view.status).toBe(404);
    const latest = await json(await fetch(`${firewall.url}/fresh/latest`));
    expect(latest.version).toBe('1.1.0');
    const tags = await (await fetch(`${firewall.url}/-/package/fresh/dist-tags`)).json();
    expect(tags).toEqual({ latest: '1.1.0' });
  });

  it('shows a version once it comes of age on the firewall clock, with the same ETag while nothing changes', async () => {
    await upstream.publish('ripening', { '1.0.0': { time: hoursAgo(100) }, '1.1.0': { time: hoursAgo(23) } });
    let clock = NOW;
    const { firewall } = await start({ now: () => clock });
    const before = await fetch(`${firewall.url}/ripening`);
    expect(Object.keys((await json(before)).versions)).toEqual(['1.0.0']);
    clock = new Date(NOW.getTime() + 60_000);
    const unchanged = await fetch(`${firewall.url}/ripening`);
    expect(unchanged.headers.get('etag')).toBe(before.headers.get('etag'));
    clock = new Date(NOW.getTime() + 2 * 3_600_000);
    const after = await json(await fetch(`${firewall.url}/ripening`));
    expect(Object.keys(after.versions)).toEqual(['1.0.0', '1.1.0']);
    expect(after['dist-tags'].latest).toBe('1.1.0');
    expect(upstream.count('/ripening')).toBe(1);
  });

  it('hides a version with a git dependency and refuses one published with weaker evidence than before', async () => {
    const provenance = {
      dist: { attestations: { provenance: { predicateType: 'https://slsa.dev/provenance/v1' } } },
    };
    await upstream.publish('careful', {
      '1.0.0': { extra: provenance },
      '1.1.0': {},
      '1.2.0': { extra: provenance, dependencies: { helper: 'github:someone/helper' } },
    });
    const policy = policyWith((p) => {
      p.rules.trustDowngrade = 'deny';
      p.rules.exoticDependencies = 'hide';
    });
    const { firewall } = await start({ policy });
    const doc = await json(await fetch(`${firewall.url}/careful`));
    expect(Object.keys(doc.versions)).toEqual(['1.0.0', '1.1.0']);
    expect(doc['dist-tags'].latest).toBe('1.1.0');
    // The attestation survives in the served document.
    expect((doc.versions['1.0.0']!.dist as Record<string, unknown>).attestations).toEqual(
      provenance.dist.attestations,
    );
    const downgraded = await fetch(`${firewall.url}/careful/-/careful-1.1.0.tgz`);
    expect(downgraded.status).toBe(403);
    expect(downgraded.headers.get('x-bulwark-rule')).toBe('trustDowngrade');
    expect((await fetch(`${firewall.url}/careful/-/careful-1.2.0.tgz`)).headers.get('x-bulwark-rule')).toBe(
      'exoticDependencies',
    );
  });

  it('keeps denied versions listed and refuses their tarballs and version views with 403', async () => {
    await upstream.publish('old-thing', { '1.0.0': {}, '1.0.1': { deprecated: 'use new-thing' } });
    const { firewall, decisions } = await start({
      policy: policyWith((p) => {
        p.rules.deprecated = 'deny';
      }),
    });
    const doc = await json(await fetch(`${firewall.url}/old-thing`));
    expect(Object.keys(doc.versions)).toEqual(['1.0.0', '1.0.1']);
    const denied = await fetch(`${firewall.url}/old-thing/-/old-thing-1.0.1.tgz`, {
      headers: { 'user-agent': 'npm/11.6.2 node/v20.20.2' },
    });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('x-bulwark-rule')).toBe('deprecated');
    expect(denied.statusText).toContain('old-thing@1.0.1 (deprecated)');
    const version = await fetch(`${firewall.url}/old-thing/1.0.1`);
    expect(version.status).toBe(403);
    const ok = await fetch(`${firewall.url}/old-thing/-/old-thing-1.0.0.tgz`);
    expect(ok.status).toBe(200);
    expect(decisions.map((d) => [d.request, d.version, d.action, d.client])).toEqual([
      ['tarball', '1.0.1', 'deny', 'npm'],
      ['version', '1.0.1', 'deny', 'other'],
      ['tarball', '1.0.0', 'allow', 'other'],
    ]);
  });
});

describe('tarballs', () => {
  it('sends the exact upstream bytes, then serves them from the disk cache', async () => {
    const built = await upstream.publish('exact', { '1.0.0': {} });
    const { firewall } = await start();
    const first = await fetch(`${firewall.url}/exact/-/exact-1.0.0.tgz`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/octet-stream');
    const bytes = Buffer.from(await first.arrayBuffer());
    expect(bytes.equals(built.get('1.0.0')!)).toBe(true);
    expect(first.headers.get('content-length')).toBe(String(bytes.byteLength));
    await firewall.close();

    const { firewall: second } = await start();
    const warm = await fetch(`${second.url}/exact/-/exact-1.0.0.tgz`);
    expect(Buffer.from(await warm.arrayBuffer()).equals(built.get('1.0.0')!)).toBe(true);
    expect(upstream.count('/exact/-/exact-1.0.0.tgz')).toBe(1);
  });

  it('keeps the tarball cache directory under its bound', async () => {
    const versions = Object.fromEntries(
      Array.from({ length: 6 }, (_, i) => [`1.0.${i}`, { bytes: randomBytes(2_000) }]),
    );
    await upstream.publish('many', versions);
    const firewall = await startFirewall(
      {
        upstream: upstream.url,
        policy: policyWith(),
        port: 0,
        dataDir: home,
        analysis: false,
        now: () => NOW,
      },
      { onWarning: () => {}, maxTarballCacheBytes: 5_000 },
    );
    for (const version of Object.keys(versions)) {
      const response = await fetch(`${firewall.url}/many/-/many-${version}.tgz`);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      // Let each write land, so pruning has something to prune.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await firewall.close();
    const dir = join(home, 'cache', 'firewall-tarballs');
    const sizes = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => statSync(join(entry.parentPath, entry.name)).size);
    expect(sizes.length).toBeGreaterThan(0);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(5_000);
  });

  it('never serves a tarball whose bytes do not match the integrity', async () => {
    await upstream.publish('tampered', { '1.0.0': { tamperedBytes: Buffer.from('not the package') } });
    const { firewall, decisions } = await start();
    const response = await fetch(`${firewall.url}/tampered/-/tampered-1.0.0.tgz`);
    expect(response.status).toBe(502);
    const body = await json(response);
    expect(body.error).toContain('integrity');
    expect(decisions[0]).toMatchObject({ action: 'deny', rule: 'checkFailed', version: '1.0.0' });
    // Not cached either: the next request goes upstream again and fails again.
    expect((await fetch(`${firewall.url}/tampered/-/tampered-1.0.0.tgz`)).status).toBe(502);
    expect(upstream.count('/tampered/-/tampered-1.0.0.tgz')).toBe(2);
  });

  it('makes one upstream request for concurrent requests of the same packument and tarball', async () => {
    await upstream.publish('popular', { '1.0.0': {} });
    upstream.tarballDelayMs = 200;
    const { firewall } = await start();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => fetch(`${firewall.url}/popular/-/popular-1.0.0.tgz`)),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    expect(upstream.count('/popular')).toBe(1);
    expect(upstream.count('/popular/-/popular-1.0.0.tgz')).toBe(1);
  });

  it('serves scoped packages in both path shapes', async () => {
    const built = await upstream.publish('@acme/widget', { '1.0.0': {} });
    const { firewall } = await start();
    const encoded = await json(await fetch(`${firewall.url}/@acme%2fwidget`));
    const plain = await json(await fetch(`${firewall.url}/@acme/widget`));
    expect(encoded.name).toBe('@acme/widget');
    expect(plain.versions['1.0.0']!.dist.tarball).toBe(`${firewall.url}/@acme/widget/-/widget-1.0.0.tgz`);
    expect(upstream.requests[0]!.path).toBe('/@acme%2fwidget');
    for (const path of ['/@acme/widget/-/widget-1.0.0.tgz', '/@acme%2fwidget/-/widget-1.0.0.tgz']) {
      const response = await fetch(`${firewall.url}${path}`);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(built.get('1.0.0')!)).toBe(true);
    }
  });

  it('answers 404 for a version the packument does not have, and 403 for an unpublished one', async () => {
    await upstream.publish('gone', { '1.0.0': {}, '1.0.1': {} });
    upstream.unpublish('gone', '1.0.1');
    const { firewall } = await start();
    expect((await fetch(`${firewall.url}/gone/-/gone-9.9.9.tgz`)).status).toBe(404);
    // Listed, but the upstream has lost the file.
    upstream.behave('/gone/-/gone-1.0.0.tgz', { status: 404, body: '{"error":"Not found"}' });
    expect((await fetch(`${firewall.url}/gone/-/gone-1.0.0.tgz`)).status).toBe(404);
    const unpublished = await fetch(`${firewall.url}/gone/-/gone-1.0.1.tgz`);
    expect(unpublished.status).toBe(403);
    expect(unpublished.headers.get('x-bulwark-rule')).toBe('unpublished');
    expect((await fetch(`${firewall.url}/nothing-here`)).status).toBe(404);
  });

  it('maps a lockfile URL under the upstream path prefix onto the tarball, and answers HEAD without a body', async () => {
    const built = await upstream.publish('prefixed', { '1.0.0': {} });
    upstream.mount('/api/npm/remote');
    const { firewall } = await start({ upstream: `${upstream.url}/api/npm/remote/` });
    const response = await fetch(`${firewall.url}/api/npm/remote/prefixed/-/prefixed-1.0.0.tgz`);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(built.get('1.0.0')!)).toBe(true);
    const head = await fetch(`${firewall.url}/prefixed`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toMatch(/^"/);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('keeps the project prefix in tarball URLs and records the project and session', async () => {
    await upstream.publish('attributed', { '1.0.0': {} });
    const { firewall, decisions } = await start();
    const prefix = `/-/bulwark/p/${encodeProjectId({ project: '/home/me/app', session: 's1' })}`;
    const doc = await json(await fetch(`${firewall.url}${prefix}/attributed`));
    const url = doc.versions['1.0.0']!.dist.tarball as string;
    expect(url).toBe(`${firewall.url}${prefix}/attributed/-/attributed-1.0.0.tgz`);
    const response = await fetch(url, { headers: { 'user-agent': 'yarn/1.22.22 npm/? node/v20.20.2' } });
    expect(response.status).toBe(200);
    expect(decisions).toEqual([
      expect.objectContaining({
        package: 'attributed',
        version: '1.0.0',
        action: 'allow',
        client: 'yarn',
        clientVersion: 'yarn/1.22.22',
        project: '/home/me/app',
        session: 's1',
      }),
    ]);
  });
});

describe('a hostile or failing upstream', () => {
  it('answers malformed, oversized and slow documents with 502/504 and keeps serving', async () => {
    await upstream.publish('fine', { '1.0.0': {} });
    upstream.behave('/broken', { body: '{"name": "broken", "versions": {' });
    upstream.behave('/huge', { body: `{"name":"huge","pad":"${'x'.repeat(300_000)}"}` });
    upstream.behave('/slow', { delayMs: 2_000, body: '{}' });
    upstream.behave('/stall', { stallBodyMs: 2_000, body: '{"name":"stall"}' });
    upstream.behave('/down', { status: 503, body: 'maintenance' });
    // A gzip bomb: 10 MB of JSON whitespace in a few kilobytes.
    upstream.behave('/bomb', {
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(`{"name":"bomb",${' '.repeat(10_000_000)}"versions":{}}`),
    });
    const { firewall } = await start({ limits: { maxDocumentBytes: 100_000, upstreamTimeoutMs: 500 } });
    const statuses = await Promise.all(
      ['broken', 'huge', 'slow', 'stall', 'down', 'bomb'].map(async (name) => {
        const response = await fetch(`${firewall.url}/${name}`);
        const body = await json(response);
        expect(typeof body.error).toBe('string');
        return response.status;
      }),
    );
    expect(statuses).toEqual([502, 502, 504, 504, 502, 502]);
    expect((await fetch(`${firewall.url}/fine`)).status).toBe(200);
  });

  it('refuses oversized and stalled tarballs without serving a byte', async () => {
    const big = Buffer.alloc(300_000, 1);
    await upstream.publish('bulky', { '1.0.0': { bytes: big } });
    await upstream.publish('stalled', { '1.0.0': {} });
    upstream.behave('/stalled/-/stalled-1.0.0.tgz', {
      headers: { 'content-type': 'application/octet-stream' },
      stallBodyMs: 2_000,
      body: 'x',
    });
    const { firewall } = await start({ limits: { maxTarballBytes: 200_000, upstreamTimeoutMs: 500 } });
    const bulky = await fetch(`${firewall.url}/bulky/-/bulky-1.0.0.tgz`);
    expect(bulky.status).toBe(502);
    expect((await json(bulky)).error).toContain('200000-byte limit');
    const stalled = await fetch(`${firewall.url}/stalled/-/stalled-1.0.0.tgz`);
    expect(stalled.status).toBe(504);
    expect((await json(stalled)).error).toContain('within 500 ms');
  });

  it('keeps upstream requests within the concurrency limit', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `pkg-${i}`);
    for (const name of names) {
      await upstream.publish(name, { '1.0.0': {} });
      upstream.behave(`/${name}`, {
        delayMs: 100,
        body: await (await fetch(`${upstream.url}/${name}`)).text(),
      });
    }
    upstream.maxInFlight = 0;
    const { firewall } = await start({ limits: { upstreamConcurrency: 2 } });
    const statuses = await Promise.all(names.map(async (n) => (await fetch(`${firewall.url}/${n}`)).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(upstream.maxInFlight).toBe(2);
  });

  it('survives clients that go away mid-request', async () => {
    await upstream.publish('abandoned', { '1.0.0': {} });
    upstream.tarballDelayMs = 200;
    const { firewall } = await start();
    const controller = new AbortController();
    const pending = fetch(`${firewall.url}/abandoned/-/abandoned-1.0.0.tgz`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await fetch(`${firewall.url}/abandoned/-/abandoned-1.0.0.tgz`);
    expect(after.status).toBe(200);
  });

  it('retries once when the upstream drops the connection, and gives up after that', async () => {
    const body = JSON.stringify({ name: 'flaky', 'dist-tags': {}, versions: {} });
    upstream.behave('/flaky', { resets: 1, body });
    upstream.behave('/flakier', { resets: 2, body: body.replace('flaky', 'flakier') });
    const { firewall } = await start();
    expect((await fetch(`${firewall.url}/flaky`)).status).toBe(200);
    expect(upstream.count('/flaky')).toBe(2);
    const failed = await fetch(`${firewall.url}/flakier`);
    expect(failed.status).toBe(502);
    expect(upstream.count('/flakier')).toBe(2);
  });

  it('reaches the upstream through the proxy in the environment, and loopback hosts directly', async () => {
    const built = await upstream.publish('proxied', { '1.0.0': {} });
    const tunnels: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      // Every host the proxy is asked for is the test upstream: no name is ever resolved.
      const target = connect(Number(new URL(upstream.url).port), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        target.write(head);
        target.pipe(client);
        client.pipe(target);
      });
      target.on('error', () => client.destroy());
      client.on('error', () => target.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const firewall = await startFirewall(
        {
          upstream: 'http://registry.example.invalid/',
          policy: policyWith(),
          port: 0,
          dataDir: home,
          analysis: false,
          now: () => NOW,
        },
        { onWarning: () => {}, env: { HTTP_PROXY: proxyUrl, NO_PROXY: 'internal.example' } },
      );
      open.push(firewall);
      const doc = await json(await fetch(`${firewall.url}/proxied`));
      expect(doc.name).toBe('proxied');
      expect(tunnels).toEqual(['registry.example.invalid:80']);
      // The tarball URL in the document is the loopback upstream: fetched directly.
      const tarball = await fetch(doc.versions['1.0.0']!.dist.tarball);
      expect(Buffer.from(await tarball.arrayBuffer()).equals(built.get('1.0.0')!)).toBe(true);
      expect(tunnels).toHaveLength(1);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('serves a cached packument when the upstream stops answering', async () => {
    await upstream.publish('cached', { '1.0.0': {} });
    const { firewall } = await start({ limits: { documentMaxAgeMs: 300, upstreamTimeoutMs: 300 } });
    expect((await fetch(`${firewall.url}/cached`)).status).toBe(200);
    upstream.behave('/cached', { status: 500, body: 'oops' });
    await new Promise((resolve) => setTimeout(resolve, 350));
    const stale = await fetch(`${firewall.url}/cached`);
    expect(stale.status).toBe(200);
    expect(stale.headers.get('warning')).toContain('served from cache');
    expect((await fetch(`${firewall.url}/cached/-/cached-1.0.0.tgz`)).status).toBe(200);
    // The failed upstream is not asked again on every request meanwhile.
    expect(upstream.count('/cached')).toBe(2);
  });

  it('refuses a tarball the packument gives no usable integrity for', async () => {
    upstream.behave('/unhashed', {
      body: JSON.stringify({
        name: 'unhashed',
        'dist-tags': { latest: '1.0.0' },
        versions: {
          '1.0.0': {
            name: 'unhashed',
            version: '1.0.0',
            dist: { tarball: `${upstream.url}/unhashed/-/unhashed-1.0.0.tgz`, integrity: 'md5-AAAA' },
          },
        },
        time: { '1.0.0': '2024-01-01T00:00:00.000Z' },
      }),
    });
    const { firewall } = await start();
    const response = await fetch(`${firewall.url}/unhashed/-/unhashed-1.0.0.tgz`);
    expect(response.status).toBe(403);
    expect(response.headers.get('x-bulwark-rule')).toBe('checkFailed');
    expect((await json(response)).error).toContain('no integrity');
    expect(upstream.count('/unhashed/-/unhashed-1.0.0.tgz')).toBe(0);
  });

  it('fails closed or open when the intel database cannot be read', async () => {
    const { openStore } = await import('../../store/open-store.js');
    const store = await openStore(join(home, 'intel.db'));
    await store.close();
    await upstream.publish('unchecked', { '1.0.0': {} });
    const closed = await start({ store });
    const denied = await fetch(`${closed.firewall.url}/unchecked/-/unchecked-1.0.0.tgz`);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('x-bulwark-rule')).toBe('checkFailed');

    const openPolicy = policyWith((p) => {
      p.failMode = 'open';
      p.rules.checkFailed = 'warn';
    });
    const opened = await start({ store, policy: openPolicy });
    const served = await fetch(`${opened.firewall.url}/unchecked/-/unchecked-1.0.0.tgz`);
    expect(served.status).toBe(200);
    expect(served.headers.get('x-bulwark-rule')).toBe('checkFailed');
    expect(opened.decisions[0]).toMatchObject({ action: 'warn', rule: 'checkFailed' });
  });
});

describe('intel, waivers and scopes', () => {
  const advisory = (id: string, kind: Advisory['kind'], name: string, fixed: string): Advisory => ({
    id,
    aliases: [],
    modified: '2026-01-01T00:00:00Z',
    summary: `${kind} in ${name}`,
    kind,
    severity: { level: kind === 'malware' ? 'critical' : 'high', source: 'database' },
    affected: [
      { name, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }], versions: [] },
    ],
    references: [],
    cwes: [],
  });

  it('denies known malware, warns on a vulnerable version, and answers npm audit from the local database', async () => {
    const store = await openStore(join(home, 'intel.db'));
    await store.importAdvisories(
      [
        advisory('MAL-2026-1', 'malware', 'evil-pkg', '9.9.9'),
        advisory('GHSA-aaaa-bbbb-cccc', 'vulnerability', 'old-lib', '2.0.0'),
      ],
      { name: 'test', location: 'start-firewall.test.ts' },
    );
    await upstream.publish('evil-pkg', { '1.0.0': {} });
    await upstream.publish('old-lib', { '1.0.0': {}, '2.0.0': {} });
    try {
      const { firewall, decisions } = await start({ store });
      const malware = await fetch(`${firewall.url}/evil-pkg/-/evil-pkg-1.0.0.tgz`);
      expect(malware.status).toBe(403);
      expect(malware.headers.get('x-bulwark-rule')).toBe('malware');
      expect(upstream.count('/evil-pkg/-/evil-pkg-1.0.0.tgz')).toBe(0);
      const vulnerable = await fetch(`${firewall.url}/old-lib/-/old-lib-1.0.0.tgz`);
      expect(vulnerable.status).toBe(200);
      expect(vulnerable.headers.get('x-bulwark-rule')).toBe('vulnerabilities');
      expect(
        (await fetch(`${firewall.url}/old-lib/-/old-lib-2.0.0.tgz`)).headers.get('x-bulwark-rule'),
      ).toBeNull();
      expect(decisions.map((d) => [d.package, d.version, d.action, d.rule])).toEqual([
        ['evil-pkg', '1.0.0', 'deny', 'malware'],
        ['old-lib', '1.0.0', 'warn', 'vulnerabilities'],
        ['old-lib', '2.0.0', 'allow', undefined],
      ]);

      const audit = await fetch(`${firewall.url}/-/npm/v1/security/advisories/bulk`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify({ 'old-lib': ['1.0.0'], 'left-pad': ['1.3.0'] })),
      });
      expect(audit.status).toBe(200);
      const answer = (await audit.json()) as Record<string, { url?: string; id?: unknown }[]>;
      expect(Object.keys(answer)).toEqual(['old-lib']);
    } finally {
      await store.close();
    }
  });

  it('applies a waiver added through the admin API, which is off without a token', async () => {
    await upstream.publish('needs-waiver', { '1.0.0': { scripts: { postinstall: 'node setup.js' } } });
    const decisionLog = openDecisionLog(join(home, 'decisions.db'));
    const waivers = openWaiverStore(join(home, 'waivers.db'));
    const policy = policyWith((p) => {
      p.rules.installScripts.action = 'deny';
    });
    try {
      const { firewall } = await start({ policy, decisionLog, waivers, adminToken: 'sekret' });
      const tarball = `${firewall.url}/needs-waiver/-/needs-waiver-1.0.0.tgz`;
      expect((await fetch(tarball)).status).toBe(403);
      const unauthorised = await fetch(`${firewall.url}/-/bulwark/admin/waivers`);
      expect(unauthorised.status).toBe(401);
      const added = await fetch(`${firewall.url}/-/bulwark/admin/waivers`, {
        method: 'POST',
        headers: { authorization: 'Bearer sekret', 'content-type': 'application/json' },
        body: JSON.stringify({
          package: 'needs-waiver',
          rules: ['installScripts'],
          reason: 'reviewed the setup script',
          expires: '2026-12-31',
        }),
      });
      expect(added.status).toBe(201);
      const { waiver } = (await added.json()) as { waiver: { id: string } };
      const served = await fetch(tarball);
      expect(served.status).toBe(200);
      await served.arrayBuffer();
      const logged = await fetch(`${firewall.url}/-/bulwark/admin/decisions?package=needs-waiver`, {
        headers: { authorization: 'Bearer sekret' },
      });
      const { decisions } = (await logged.json()) as { decisions: DecisionRecord[] };
      expect(decisions.map((d) => [d.action, d.rule, d.waiver])).toEqual([
        ['allow', 'installScripts', waiver.id],
        ['deny', 'installScripts', undefined],
      ]);

      const { firewall: noAdmin } = await start({ policy, decisionLog, waivers });
      expect((await fetch(`${noAdmin.url}/-/bulwark/admin/waivers`)).status).toBe(404);
    } finally {
      decisionLog.close();
      waivers.close();
    }
  });

  it('fetches a scope from its own registry with the credentials configured for it', async () => {
    const other = await startTestUpstream();
    try {
      const built = await other.publish('@corp/tool', { '1.0.0': {} });
      const { firewall } = await start({
        scopes: { '@corp': `${other.url}/` },
        upstreamAuth: { [`${other.url}/`]: 'Bearer corp-token' },
      });
      const doc = await json(await fetch(`${firewall.url}/@corp%2ftool`));
      expect(doc.versions['1.0.0']!.dist.tarball).toBe(`${firewall.url}/@corp/tool/-/tool-1.0.0.tgz`);
      const tarball = await fetch(doc.versions['1.0.0']!.dist.tarball);
      expect(Buffer.from(await tarball.arrayBuffer()).equals(built.get('1.0.0')!)).toBe(true);
      expect(other.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
        ['/@corp%2ftool', 'Bearer corp-token'],
        ['/@corp/tool/-/tool-1.0.0.tgz', 'Bearer corp-token'],
      ]);
      expect(upstream.requests).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

describe('dry run', () => {
  it('serves what the policy would hide or deny, as warnings that say what would have happened', async () => {
    await upstream.publish('trial', {
      '1.0.0': { time: hoursAgo(100) },
      '2.0.0': { time: hoursAgo(1), deprecated: 'do not use' },
    });
    const policy = policyWith((p) => {
      p.dryRun = true;
      p.rules.deprecated = 'deny';
    });
    const { firewall, decisions } = await start({ policy });
    const doc = await json(await fetch(`${firewall.url}/trial`));
    expect(Object.keys(doc.versions)).toEqual(['1.0.0', '2.0.0']);
    expect(doc['dist-tags'].latest).toBe('2.0.0');
    const tarball = await fetch(`${firewall.url}/trial/-/trial-2.0.0.tgz`);
    expect(tarball.status).toBe(200);
    expect(decisions).toEqual([
      expect.objectContaining({ version: '2.0.0', action: 'warn', wouldBe: 'deny', rule: 'deprecated' }),
    ]);
  });
});

describe('the firewall itself', () => {
  it('finishes a request in flight when closed, then refuses connections', async () => {
    await upstream.publish('slowly', { '1.0.0': {} });
    upstream.tarballDelayMs = 300;
    const { firewall } = await start();
    const pending = fetch(`${firewall.url}/slowly/-/slowly-1.0.0.tgz`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await firewall.close();
    const response = await pending;
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
    await expect(fetch(`${firewall.url}/slowly`)).rejects.toThrow();
  });

  it('answers its status endpoint and passes other /-/ endpoints through with the client auth', async () => {
    upstream.behave('/-/npm/v1/keys', { body: '{"keys":[]}' });
    upstream.behave('/-/whoami', { body: '{"username":"me"}' });
    const { firewall } = await start();
    const status = await json(await fetch(`${firewall.url}/-/bulwark/status`));
    expect(status).toMatchObject({
      name: 'bulwark',
      service: 'bulwark-firewall',
      pid: process.pid,
      upstream: `${upstream.url}/`,
      policy: null,
      analysis: false,
      requests: 1,
      decisions: { allow: 0, warn: 0, hide: 0, deny: 0 },
    });
    expect(await (await fetch(`${firewall.url}/-/npm/v1/keys`)).json()).toEqual({ keys: [] });
    const whoami = await fetch(`${firewall.url}/-/whoami`, { headers: { authorization: 'Bearer t0k' } });
    expect(await whoami.json()).toEqual({ username: 'me' });
    expect(upstream.requests.find((r) => r.path === '/-/whoami')!.headers.authorization).toBe('Bearer t0k');
    expect((await fetch(`${firewall.url}/-/bulwark/admin/waivers`)).status).toBe(404);
    expect((await fetch(`${firewall.url}/-/bulwark/admin`)).status).toBe(404);
    expect((await fetch(`${firewall.url}/-/bulwark`)).status).toBe(404);
    expect(upstream.requests.some((r) => r.path.startsWith('/-/bulwark'))).toBe(false);
  });

  it('refuses to start on a port in use, or with an upstream that is not a URL, with a one-line error', async () => {
    const { firewall } = await start();
    await expect(start({ port: firewall.port })).rejects.toThrow(/cannot listen: the port is in use/);
    await expect(start({ upstream: 'not a url' })).rejects.toThrow(
      '--upstream not a url: not a registry URL',
    );
    await expect(start({ upstream: 'file:///srv/registry' })).rejects.toThrow('not a registry URL');
  });

  it('refuses a request that loops back to itself instead of waiting on itself', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const { firewall } = await start({ upstream: `http://127.0.0.1:${port}/`, port });
    const started = Date.now();
    const response = await fetch(`${firewall.url}/anything`);
    expect(response.status).toBe(502);
    expect((await json(response)).error).toContain('508');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('answers odd request targets with an error and keeps serving', async () => {
    await upstream.publish('steady', { '1.0.0': {} });
    const { firewall } = await start();
    const targets = [
      '/%',
      '/..%2f..%2fetc%2fpasswd',
      '/steady/-/../../secret',
      '/@scope',
      `/${'a'.repeat(5000)}`,
      '/steady/-/other-1.0.0.tgz',
      '/steady/%00',
    ];
    for (const target of targets) {
      const status = await new Promise<number>((resolve, reject) => {
        // A raw path: a URL object would resolve the dot segments before sending.
        const req = httpRequest({ host: '127.0.0.1', port: firewall.port, path: target }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect([400, 404, 405, 414, 431], target).toContain(status);
    }
    expect((await fetch(`${firewall.url}/steady`)).status).toBe(200);
    // An unreadable wrapper id is dropped: the request is served, unattributed.
    const unattributed = await json(await fetch(`${firewall.url}/-/bulwark/p/!!!/steady`));
    expect(unattributed.versions['1.0.0']!.dist.tarball).toBe(`${firewall.url}/steady/-/steady-1.0.0.tgz`);
    expect(upstream.requests.map((r) => r.path)).toEqual(['/steady']);
  });

  it('passes a login through with its body, status and headers, and refuses a publish', async () => {
    upstream.behave('/-/user/org.couchdb.user:me', {
      status: 201,
      headers: { 'content-type': 'application/json', 'npm-notice': 'welcome' },
      body: '{"ok":true,"token":"npm_x"}',
    });
    const { firewall } = await start();
    const login = await fetch(`${firewall.url}/-/user/org.couchdb.user:me`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', connection: 'keep-alive' },
      body: JSON.stringify({ name: 'me', password: 'pw' }),
    });
    expect(login.status).toBe(201);
    expect(login.headers.get('npm-notice')).toBe('welcome');
    expect(await login.json()).toEqual({ ok: true, token: 'npm_x' });
    const seen = upstream.requests.find((r) => r.path === '/-/user/org.couchdb.user:me')!;
    expect(seen.method).toBe('PUT');
    expect(JSON.parse(seen.body)).toEqual({ name: 'me', password: 'pw' });
    const publish = await fetch(`${firewall.url}/some-package`, { method: 'PUT', body: '{}' });
    expect(publish.status).toBe(405);
    expect(upstream.requests.some((r) => r.path === '/some-package')).toBe(false);
  });
});
