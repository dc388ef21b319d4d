import { createServer, type Server } from 'node:net';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClientHello, sniFromClientHello } from './tls-client-hello.js';

/** The first bytes a real Node TLS client sends (caught by a plain TCP server on loopback). */
const captureClientHello = (server: Server, port: number, servername?: string): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    server.once('connection', (socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        const all = Buffer.concat(chunks);
        if (parseClientHello(all).status !== 'incomplete') {
          resolve(all);
          socket.destroy();
        }
      });
      socket.on('error', () => {});
      setTimeout(() => reject(new Error('no ClientHello')), 3000).unref();
    });
    const client = connect({ host: '127.0.0.1', port, ...(servername ? { servername } : {}) });
    client.on('error', () => {});
  });

/** A minimal ClientHello record built by hand, with the given extensions block. */
const handmadeHello = (extensions: Buffer | undefined): Buffer => {
  const body = Buffer.concat([
    Buffer.from([0x03, 0x03]),
    Buffer.alloc(32, 7),
    Buffer.from([0x00]), // session id
    Buffer.from([0x00, 0x02, 0x13, 0x01]), // one cipher suite
    Buffer.from([0x01, 0x00]), // null compression
    ...(extensions ? [Buffer.from([extensions.length >> 8, extensions.length & 255]), extensions] : []),
  ]);
  const hs = Buffer.concat([Buffer.from([0x01, 0, body.length >> 8, body.length & 255]), body]);
  return Buffer.concat([Buffer.from([0x16, 0x03, 0x01, hs.length >> 8, hs.length & 255]), hs]);
};

const sniExtension = (name: Buffer): Buffer => {
  const entry = Buffer.concat([Buffer.from([0x00, name.length >> 8, name.length & 255]), name]);
  const list = Buffer.concat([Buffer.from([entry.length >> 8, entry.length & 255]), entry]);
  return Buffer.concat([Buffer.from([0x00, 0x00, list.length >> 8, list.length & 255]), list]);
};

/** Deterministic bytes for the fuzz cases. */
const prng = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed;
};

describe('parseClientHello', () => {
  let server: Server;
  let port: number;
  let real: Buffer;

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    real = await captureClientHello(server, port, 'collector.example.invalid');
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads the SNI of a real ClientHello', () => {
    expect(parseClientHello(real)).toEqual({ status: 'complete', sni: 'collector.example.invalid' });
    expect(sniFromClientHello(real)).toBe('collector.example.invalid');
  });

  it('reports a hello without a server name as complete without sni', async () => {
    // Node sends no SNI for an IP address.
    const hello = await captureClientHello(server, port);
    expect(parseClientHello(hello)).toEqual({ status: 'complete' });
  });

  it('says incomplete for every truncation, and never throws', () => {
    for (let length = 0; length < real.length; length++) {
      expect(parseClientHello(real.subarray(0, length)).status).toBe('incomplete');
      expect(sniFromClientHello(real.subarray(0, length))).toBeUndefined();
    }
  });

  it('reassembles a ClientHello split over two records', () => {
    const hs = real.subarray(5);
    const cut = 40;
    const record = (part: Buffer) =>
      Buffer.concat([Buffer.from([0x16, 0x03, 0x01, part.length >> 8, part.length & 255]), part]);
    const split = Buffer.concat([record(hs.subarray(0, cut)), record(hs.subarray(cut))]);
    expect(sniFromClientHello(split)).toBe('collector.example.invalid');
    expect(parseClientHello(split.subarray(0, 5 + cut + 3)).status).toBe('incomplete');
  });

  it('parses hand-made hellos: no extensions, an SNI, a non-printable name', () => {
    expect(parseClientHello(handmadeHello(undefined))).toEqual({ status: 'complete' });
    expect(sniFromClientHello(handmadeHello(sniExtension(Buffer.from('a.example.invalid'))))).toBe(
      'a.example.invalid',
    );
    expect(parseClientHello(handmadeHello(sniExtension(Buffer.from('bad\nname'))))).toEqual({
      status: 'complete',
    });
  });

  it('rejects lengths that point past the data', () => {
    const hello = handmadeHello(sniExtension(Buffer.from('a.example.invalid')));
    // server_name list length too large
    const broken = Buffer.from(hello);
    broken.writeUInt16BE(0x7fff, hello.length - 'a.example.invalid'.length - 5);
    expect(sniFromClientHello(broken)).toBeUndefined();
    // extensions block length too large
    const broken2 = Buffer.from(hello);
    const extensionsAt = 5 + 4 + 2 + 32 + 1 + 4 + 2;
    broken2.writeUInt16BE(0xffff, extensionsAt);
    expect(parseClientHello(broken2).status).toBe('invalid');
  });

  it('returns undefined for garbage, other record types and HTTP', () => {
    expect(sniFromClientHello(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toBeUndefined();
    expect(parseClientHello(Buffer.from([0x17, 0x03, 0x03, 0x00, 0x10])).status).toBe('invalid');
    expect(parseClientHello(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x00])).status).toBe('invalid');
    // A handshake that is not a ClientHello (ServerHello = 2).
    expect(parseClientHello(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x04, 0x02, 0, 0, 0])).status).toBe(
      'invalid',
    );
    // A claimed handshake length past any real hello.
    expect(parseClientHello(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0xff, 0xff, 0xff])).status).toBe(
      'invalid',
    );
  });

  it('never throws on random bytes or on a real hello with bytes flipped', () => {
    const next = prng(42);
    for (let i = 0; i < 2000; i++) {
      const random = Buffer.alloc(next() % 300, 0).map(() => next() & 255);
      if (i % 2 === 0 && random.length > 2) {
        random[0] = 0x16;
        random[1] = 0x03;
      }
      expect(() => parseClientHello(random)).not.toThrow();
      const mutated = Buffer.from(real);
      for (let flips = 0; flips < 4; flips++) mutated[next() % mutated.length] = next() & 255;
      expect(() => parseClientHello(mutated)).not.toThrow();
      const result = parseClientHello(mutated);
      if (result.status === 'complete' && result.sni !== undefined)
        expect(result.sni).toMatch(/^[\x21-\x7e]+$/);
    }
  });
});
