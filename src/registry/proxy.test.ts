import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNpmrc, parseNpmrc } from './npmrc.js';
import { bypasses, fetchFor } from './proxy.js';

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

let registry: Server;
let registryUrl: string;
let proxy: Server;
let proxyUrl: string;
const tunnels: string[] = [];

beforeAll(async () => {
  registry = createServer((_, res) => res.end('{"name":"demo"}'));
  registryUrl = await listen(registry);
  // A CONNECT proxy on loopback that records where it tunnels to.
  proxy = createServer((_, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client, head) => {
    tunnels.push(req.url ?? '');
    // Every tunnel ends at the loopback registry, whatever name the client asked for.
    const port = Number((req.url ?? '').split(':').pop());
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
  });
  proxyUrl = await listen(proxy);
});
afterAll(async () => {
  registry.close();
  proxy.close();
});

describe('fetchFor', () => {
  it('uses Node’s fetch when no proxy is configured', () => {
    expect(fetchFor(parseNpmrc('registry=https://registry.invalid/', {}))).toBe(fetch);
  });

  it('tunnels requests through the .npmrc proxy', async () => {
    const npmrc = parseNpmrc(`proxy=${proxyUrl}\n`, {});
    const port = new URL(registryUrl).port;
    const before = tunnels.length;
    // The name is resolved by the proxy (ours maps every name to loopback), never by us.
    const response = await fetchFor(npmrc)(`http://registry.invalid:${port}/demo`);
    expect(await response.json()).toEqual({ name: 'demo' });
    expect(tunnels.slice(before)).toEqual([`registry.invalid:${port}`]);
  });

  it('goes direct to loopback and noproxy hosts', async () => {
    const npmrc = parseNpmrc(`proxy=${proxyUrl}\nnoproxy=.corp.invalid\n`, {});
    const before = tunnels.length;
    const response = await fetchFor(npmrc)(`${registryUrl}/demo`);
    expect(response.status).toBe(200);
    expect(tunnels.length).toBe(before);
  });
});

describe('proxy settings', () => {
  it('reads proxy, https-proxy and noproxy from .npmrc; false switches a proxy off', () => {
    const npmrc = parseNpmrc(
      'proxy=http://proxy.invalid:3128/\nhttps-proxy=http://secure.invalid:3128/\nnoproxy=.corp.invalid, localhost\n',
      {},
    );
    expect(npmrc).toMatchObject({
      proxy: 'http://proxy.invalid:3128/',
      httpsProxy: 'http://secure.invalid:3128/',
      noProxy: ['.corp.invalid', 'localhost'],
    });
    expect(parseNpmrc('proxy=false\n', {}).proxy).toBeUndefined();
  });

  it('falls back to HTTPS_PROXY, HTTP_PROXY and NO_PROXY from the environment', () => {
    const npmrc = loadNpmrc({
      projectDir: '/nonexistent-bulwark-project',
      home: '/nonexistent-bulwark-home',
      env: { HTTPS_PROXY: 'http://env.invalid:8080', NO_PROXY: 'internal.invalid' },
    });
    expect(npmrc).toMatchObject({ httpsProxy: 'http://env.invalid:8080', noProxy: ['internal.invalid'] });
  });

  it.each([
    ['registry.corp.invalid', ['.corp.invalid'], true],
    ['corp.invalid', ['corp.invalid'], true],
    ['evilcorp.invalid', ['corp.invalid'], false],
    ['registry.npmjs.org', ['*'], true],
    ['registry.npmjs.org', [], false],
    ['127.0.0.1', [], true],
    ['localhost', [], true],
  ])('noproxy: %s against %j → %s', (host, list, expected) => {
    expect(bypasses(host, list)).toBe(expected);
  });
});
