import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { request } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import dnsPacket from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import type { SinkholeEvent } from '../types.js';
import { type SinkholeOptions, startSinkhole } from './start-sinkhole.js';

type Started = Awaited<ReturnType<typeof startSinkhole>> & { events: SinkholeEvent[] };
const running: Started[] = [];

const start = async (options: Partial<SinkholeOptions> = {}): Promise<Started> => {
  const events: SinkholeEvent[] = [];
  const sinkhole = await startSinkhole({ host: '127.0.0.1', ...options, onEvent: (e) => events.push(e) });
  const started = { ...sinkhole, events };
  running.push(started);
  return started;
};

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

const waitFor = async <T extends SinkholeEvent>(
  events: SinkholeEvent[],
  match: (e: SinkholeEvent) => e is T,
  timeoutMs = 5000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = events.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no such event in ${JSON.stringify(events)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const isTcp = (e: SinkholeEvent): e is Extract<SinkholeEvent, { type: 'tcp' }> => e.type === 'tcp';
const isUdp = (e: SinkholeEvent): e is Extract<SinkholeEvent, { type: 'udp' }> => e.type === 'udp';
const text = (base64: string) => Buffer.from(base64, 'base64').toString('latin1');

const udpExchange = (port: number, message: Buffer): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no DNS answer'));
    }, 3000);
    socket.on('message', (answer) => {
      clearTimeout(timer);
      socket.close();
      resolve(answer);
    });
    socket.send(message, port, '127.0.0.1');
  });

const tcpExchange = (port: number, message: Buffer): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
        socket.end();
        resolve(received.subarray(2, 2 + received.readUInt16BE(0)));
      }
    });
    socket.on('error', reject);
    socket.write(message);
  });

const query = (id: number, questions: dnsPacket.Question[]): dnsPacket.Packet => ({
  type: 'query',
  id,
  flags: dnsPacket.RECURSION_DESIRED,
  questions,
});

describe('startSinkhole', () => {
  it('reports ready first, with the ports it listens on', async () => {
    const sinkhole = await start();
    expect(sinkhole.events[0]).toEqual({
      type: 'ready',
      dnsPort: sinkhole.ports.dns,
      tcpPort: sinkhole.ports.tcp,
      udpPort: sinkhole.ports.udp,
    });
    expect(sinkhole.ports.dns).toBeGreaterThan(0);
    expect(new Set(Object.values(sinkhole.ports)).size).toBe(3);
  });

  it('answers A over UDP with one stable 198.18/15 address per name, AAAA with nothing', async () => {
    const { ports, events } = await start();
    const first = dnsPacket.decode(
      await udpExchange(
        ports.dns,
        dnsPacket.encode(
          query(7, [
            { type: 'A', name: 'c2.example.invalid' },
            { type: 'A', name: 'cdn.example.invalid' },
          ]),
        ),
      ),
    );
    expect(first.id).toBe(7);
    expect(first.type).toBe('response');
    expect((first.flags ?? 0) & 0xf).toBe(0); // NOERROR
    const addresses = (first.answers ?? []).map((a) => (a.type === 'A' ? a.data : ''));
    expect(addresses).toEqual(['198.18.0.1', '198.18.0.2']);
    expect(first.answers?.[0]).toMatchObject({ name: 'c2.example.invalid', ttl: 60 });

    const again = dnsPacket.decode(
      await udpExchange(ports.dns, dnsPacket.encode(query(8, [{ type: 'A', name: 'C2.Example.Invalid.' }]))),
    );
    expect(again.answers?.[0]).toMatchObject({ type: 'A', data: '198.18.0.1' });

    const aaaa = dnsPacket.decode(
      await udpExchange(
        ports.dns,
        dnsPacket.encode(query(9, [{ type: 'AAAA', name: 'c2.example.invalid' }])),
      ),
    );
    expect((aaaa.flags ?? 0) & 0xf).toBe(0);
    expect(aaaa.answers).toEqual([]);

    const dns = events.filter((e) => e.type === 'dns');
    expect(dns).toHaveLength(4);
    expect(dns[0]).toMatchObject({
      transport: 'udp',
      name: 'c2.example.invalid',
      qtype: 'A',
      answer: '198.18.0.1',
    });
    expect(dns[3]).toMatchObject({ name: 'c2.example.invalid', qtype: 'AAAA' });
    expect(dns[3]).not.toHaveProperty('answer');
    expect(dns.every((e) => e.type === 'dns' && e.clientPort > 0)).toBe(true);
  });

  it('answers over TCP on the same port number, and names unknown types by number', async () => {
    const { ports, events } = await start();
    const answer = dnsPacket.streamDecode(
      Buffer.concat([
        Buffer.alloc(2),
        await tcpExchange(
          ports.dns,
          dnsPacket.streamEncode(query(3, [{ type: 'A', name: 'x.example.invalid' }])),
        ),
      ]),
    );
    expect(answer.answers?.[0]).toMatchObject({ type: 'A', data: '198.18.0.1' });
    // Type 65 (HTTPS) is unknown to dns-packet.
    const https = dnsPacket.encode(query(4, [{ type: 'A', name: 'y.example.invalid' }]));
    https.writeUInt16BE(65, https.length - 4);
    const reply = dnsPacket.decode(await udpExchange(ports.dns, https));
    expect(reply.answers).toEqual([]);
    expect(events.filter((e) => e.type === 'dns')).toMatchObject([
      { transport: 'tcp', name: 'x.example.invalid', qtype: 'A', answer: '198.18.0.1' },
      { transport: 'udp', name: 'y.example.invalid', qtype: '65' },
    ]);
  });

  it("serves Node's own resolver", async () => {
    const { ports } = await start();
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.1:${ports.dns}`]);
    const a = await resolver.resolve4('one.example.invalid', { ttl: true });
    expect(a).toEqual([{ address: '198.18.0.1', ttl: 60 }]);
    expect(await resolver.resolve4('two.example.invalid')).toEqual(['198.18.0.2']);
    expect(await resolver.resolve4('one.example.invalid')).toEqual(['198.18.0.1']);
    await expect(resolver.resolve6('one.example.invalid')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('ignores malformed DNS packets and keeps answering', async () => {
    const { ports, events } = await start();
    const socket = createSocket('udp4');
    for (const junk of [
      Buffer.from('not dns'),
      Buffer.alloc(12, 0xff),
      Buffer.alloc(0),
      Buffer.alloc(600, 0xc0),
    ])
      await new Promise((resolve) => socket.send(junk, ports.dns, '127.0.0.1', resolve));
    socket.close();
    // A response packet (QR set) is not answered either.
    const response = dnsPacket.encode({
      type: 'response',
      id: 1,
      questions: [{ type: 'A', name: 'r.example.invalid' }],
    });
    await new Promise<void>((resolve) => {
      const s = createSocket('udp4');
      s.send(response, ports.dns, '127.0.0.1', () => {
        s.close();
        resolve();
      });
    });
    // Broken TCP framing: a length longer than what follows, then the peer goes.
    const tcp = tcpConnect({ host: '127.0.0.1', port: ports.dns });
    tcp.on('error', () => {});
    tcp.end(Buffer.from([0x00, 0x30, 0x01, 0x02]));
    const ok = dnsPacket.decode(
      await udpExchange(ports.dns, dnsPacket.encode(query(5, [{ type: 'A', name: 'ok.example.invalid' }]))),
    );
    expect(ok.answers?.[0]).toMatchObject({ data: '198.18.0.1' });
    expect(events.filter((e) => e.type === 'dns')).toHaveLength(1);
  });

  it('reads the SNI of a real TLS client and hangs up', async () => {
    const { ports, events } = await start();
    const failed = await new Promise<Error>((resolve) => {
      const client = tlsConnect({
        host: '127.0.0.1',
        port: ports.tcp,
        servername: 'collector.example.invalid',
      });
      client.on('error', resolve);
      client.on('secureConnect', () => resolve(new Error('handshake should not finish')));
    });
    expect(failed.message).not.toBe('handshake should not finish');
    const event = await waitFor(events, isTcp);
    expect(event).toMatchObject({ protocol: 'tls', sni: 'collector.example.invalid' });
    expect(event.clientPort).toBeGreaterThan(0);
    expect(event.bytes).toBe(Buffer.from(event.data, 'base64').length);
    expect(Buffer.from(event.data, 'base64')[0]).toBe(0x16);
  });

  it('answers an HTTP POST with 200 and records method, target, host, headers and body', async () => {
    const { ports, events } = await start();
    const body = 'token=npm_FAKEFAKEFAKEFAKE&host=dev';
    const status = await new Promise<{ status?: number; headers: Record<string, unknown>; body: string }>(
      (resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: ports.tcp,
            method: 'POST',
            path: '/collect?id=1',
            headers: {
              Host: 'collector.example.invalid',
              'Content-Type': 'application/x-www-form-urlencoded',
              'Content-Length': String(body.length),
              'X-Tag': ['one', 'two'],
            },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => {
              text += chunk.toString();
            });
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
          },
        );
        req.on('error', reject);
        // Two writes: the body arrives after the head.
        req.flushHeaders();
        setTimeout(() => {
          req.write(body.slice(0, 10));
          setTimeout(() => req.end(body.slice(10)), 20);
        }, 20);
      },
    );
    expect(status).toMatchObject({ status: 200, body: '' });
    expect(status.headers['content-length']).toBe('0');
    expect(status.headers.connection).toBe('close');
    const event = await waitFor(events, isTcp);
    expect(event.protocol).toBe('http');
    expect(event.http).toMatchObject({
      method: 'POST',
      target: '/collect?id=1',
      host: 'collector.example.invalid',
      headers: {
        host: 'collector.example.invalid',
        'content-type': 'application/x-www-form-urlencoded',
        'x-tag': 'one, two',
      },
    });
    const data = text(event.data);
    expect(data.startsWith('POST /collect?id=1 HTTP/1.1\r\n')).toBe(true);
    expect(data.endsWith(`\r\n\r\n${body}`)).toBe(true);
    expect(event.bytes).toBe(data.length);
  });

  it('handles HTTP edge cases: GET, half-close, CONNECT, WebSocket, oversized body, bad headers', async () => {
    const { ports, events } = await start({ maxCaptureBytes: 4096, timings: { idleMs: 100 } });
    const cases: Array<[string, string, Partial<Extract<SinkholeEvent, { type: 'tcp' }>>, RegExp]> = [
      [
        'get',
        'GET /a?b=c HTTP/1.1\r\nHost: g.example.invalid\r\nCookie: x\r\nCookie: y\r\n\r\n',
        {
          protocol: 'http',
          http: {
            method: 'GET',
            target: '/a?b=c',
            host: 'g.example.invalid',
            headers: { host: 'g.example.invalid', cookie: 'x, y' },
          },
        },
        /^HTTP\/1\.1 200 OK/,
      ],
      [
        'connect',
        'CONNECT t.example.invalid:443 HTTP/1.1\r\nHost: t.example.invalid:443\r\n\r\n',
        {
          protocol: 'http',
          http: {
            method: 'CONNECT',
            target: 't.example.invalid:443',
            host: 't.example.invalid:443',
            headers: { host: 't.example.invalid:443' },
          },
        },
        /^HTTP\/1\.1 200 OK/,
      ],
      [
        'websocket',
        'GET /ws HTTP/1.1\r\nHost: w.example.invalid\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        { protocol: 'http', http: expect.objectContaining({ method: 'GET', target: '/ws' }) },
        /^HTTP\/1\.1 200 OK/,
      ],
      [
        'big body',
        `POST /up HTTP/1.1\r\nHost: b.example.invalid\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(8000)}`,
        { protocol: 'http', http: expect.objectContaining({ method: 'POST' }) },
        /^HTTP\/1\.1 200 OK/,
      ],
      ['bad header', 'GET / HTTP/1.1\r\nBad Header Line\r\n\r\n', { protocol: 'raw' }, /^$/],
      ['unknown method', 'FETCH / HTTP/1.1\r\n\r\n', { protocol: 'raw' }, /^$/],
    ];
    for (const [name, sent, expected, reply] of cases) {
      const received = await new Promise<string>((resolve) => {
        const socket = tcpConnect({ host: '127.0.0.1', port: ports.tcp });
        let answer = '';
        socket.on('data', (chunk: Buffer) => {
          answer += chunk.toString('latin1');
        });
        socket.on('error', () => {});
        socket.on('close', () => resolve(answer));
        // Half-close after the request: the answer must still come.
        socket.end(sent);
      });
      expect(received, name).toMatch(reply);
      const event = await waitFor(events, isTcp);
      events.splice(events.indexOf(event), 1);
      expect(event, name).toMatchObject(expected);
      expect(event.bytes, name).toBe(sent.length);
      expect(text(event.data), name).toBe(sent.slice(0, 4096));
    }
  });

  it('records raw bytes until the peer closes, and bounds what it keeps', async () => {
    const { ports, events } = await start({ maxCaptureBytes: 16 });
    const socket = tcpConnect({ host: '127.0.0.1', port: ports.tcp });
    socket.on('error', () => {});
    socket.write(Buffer.from([0x00, 0x01, 0x02, 0x03]));
    socket.end(Buffer.from('-and-some-more-bytes-than-sixteen'));
    const event = await waitFor(events, isTcp);
    expect(event.protocol).toBe('raw');
    expect(event.bytes).toBe(4 + 33);
    expect(Buffer.from(event.data, 'base64')).toEqual(
      Buffer.concat([Buffer.from([0, 1, 2, 3]), Buffer.from('-and-some-mo')]),
    );
  });

  it('ends a raw connection after the idle time', async () => {
    const { ports, events } = await start({ timings: { idleMs: 100 } });
    const socket = tcpConnect({ host: '127.0.0.1', port: ports.tcp });
    socket.on('error', () => {});
    socket.write('HELLO sinkhole\r\n');
    const closed = new Promise((resolve) => socket.on('close', resolve));
    const event = await waitFor(events, isTcp);
    await closed;
    expect(event).toMatchObject({ protocol: 'raw', bytes: 16 });
    expect(text(event.data)).toBe('HELLO sinkhole\r\n');
  });

  it("calls a silent connection 'none'", async () => {
    const { ports, events } = await start({ timings: { firstByteMs: 100 } });
    const socket = tcpConnect({ host: '127.0.0.1', port: ports.tcp });
    socket.on('error', () => {});
    const event = await waitFor(events, isTcp);
    expect(event).toMatchObject({ protocol: 'none', bytes: 0, data: '' });
    socket.destroy();
  });

  it('refuses connections beyond the limit', async () => {
    const { ports, events } = await start({ maxConnections: 1, timings: { firstByteMs: 300 } });
    const first = tcpConnect({ host: '127.0.0.1', port: ports.tcp });
    first.on('error', () => {});
    await new Promise((resolve) => first.on('connect', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = tcpConnect({ host: '127.0.0.1', port: ports.tcp });
    second.on('error', () => {});
    await new Promise((resolve) => second.on('close', resolve));
    await waitFor(events, isTcp);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.filter(isTcp)).toHaveLength(1);
    first.destroy();
  });

  it('records UDP datagrams to other ports', async () => {
    const { ports, events } = await start({ maxCaptureBytes: 8 });
    const socket = createSocket('udp4');
    await new Promise((resolve) => socket.send('beacon:0123456789', ports.udp, '127.0.0.1', resolve));
    const clientPort = socket.address().port;
    socket.close();
    const event = await waitFor(events, isUdp);
    expect(event).toMatchObject({ clientPort, bytes: 17 });
    expect(text(event.data)).toBe('beacon:0');
  });

  it('close() ends open connections, which still report', async () => {
    const sinkhole = await start();
    const socket = tcpConnect({ host: '127.0.0.1', port: sinkhole.ports.tcp });
    socket.on('error', () => {});
    socket.write('partial');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await sinkhole.close();
    expect(sinkhole.events.filter(isTcp)).toMatchObject([{ protocol: 'raw', bytes: 7 }]);
  });

  it('listens on IPv4 and, where the host has it, IPv6 by default', async () => {
    const { ports, events } = await start({ host: undefined });
    const reached = (host: string) =>
      new Promise<boolean>((resolve) => {
        const socket = tcpConnect({ host, port: ports.tcp });
        socket.on('connect', () => {
          socket.end('ping');
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
    // DNS over UDP answers from loopback (where nftables' redirect sends queries).
    const answer = dnsPacket.decode(
      await udpExchange(ports.dns, dnsPacket.encode(query(1, [{ type: 'A', name: 'd.example.invalid' }]))),
    );
    expect(answer.answers?.[0]).toMatchObject({ data: '198.18.0.1' });
    expect(await reached('127.0.0.1')).toBe(true);
    await waitFor(events, isTcp);
    if (await reached('::1')) {
      await waitFor(
        events,
        (e): e is Extract<SinkholeEvent, { type: 'tcp' }> => isTcp(e) && e !== events.find(isTcp),
      );
    }
  });
});
