import { request } from 'node:https';
import { createServer, connect as tcpConnect } from 'node:net';
import { type PeerCertificate, connect as tlsConnect } from 'node:tls';
import { Agent, fetch } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SinkholeEvent } from '../types.js';
import { createRunCa, type PemPair } from './certificate-authority.js';
import { type SinkholeOptions, startSinkhole } from './start-sinkhole.js';

type TcpEvent = Extract<SinkholeEvent, { type: 'tcp' }>;
type Started = Awaited<ReturnType<typeof startSinkhole>> & { events: SinkholeEvent[] };

const running: Started[] = [];
let ca: PemPair;

beforeAll(async () => {
  ca = await createRunCa();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

const start = async (options: Partial<SinkholeOptions> = {}): Promise<Started> => {
  const events: SinkholeEvent[] = [];
  const sinkhole = await startSinkhole({ host: '127.0.0.1', ca, ...options, onEvent: (e) => events.push(e) });
  const started = { ...sinkhole, events };
  running.push(started);
  return started;
};

const isTcp = (e: SinkholeEvent): e is TcpEvent => e.type === 'tcp';

const nextTcp = async (events: SinkholeEvent[], timeoutMs = 5000): Promise<TcpEvent> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const index = events.findIndex(isTcp);
    if (index >= 0) return events.splice(index, 1)[0] as TcpEvent;
    if (Date.now() > deadline) throw new Error(`no tcp event in ${JSON.stringify(events)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const text = (base64: string) => Buffer.from(base64, 'base64').toString('latin1');

const httpsPost = (
  port: number,
  body: string,
  tls: { ca?: string; servername?: string },
): Promise<{ status?: number; headers: Record<string, unknown>; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/upload?id=7',
        agent: false,
        headers: {
          Host: 'upload.file-drop.invalid',
          'Content-Type': 'application/json',
          'Content-Length': String(body.length),
        },
        ...tls,
      },
      (res) => {
        let answer = '';
        res.on('data', (chunk: Buffer) => {
          answer += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: answer }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });

/** A TLS client that sends `payload` once connected and waits for the server to hang up. */
const tlsSend = (
  port: number,
  options: { ca?: string; servername?: string; ALPNProtocols?: string[] },
  payload: Buffer | string,
): Promise<{ peer?: PeerCertificate; error?: Error; received: string }> =>
  new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ...options });
    let received = '';
    let failed: Error | undefined;
    let peer: PeerCertificate | undefined;
    socket.on('secureConnect', () => {
      peer = socket.getPeerCertificate();
      socket.end(payload);
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', (error) => {
      failed = error;
    });
    socket.on('close', () =>
      resolve({ received, ...(peer ? { peer } : {}), ...(failed ? { error: failed } : {}) }),
    );
  });

describe('TLS interception', () => {
  it('decrypts an HTTPS POST: method, target, host, headers and body, answered 200', async () => {
    const { ports, events } = await start();
    const body = JSON.stringify({ npm: 'npm_FAKEFAKEFAKEFAKEFAKE', host: 'dev-laptop' });
    const answer = await httpsPost(ports.tcp, body, {
      ca: ca.certPem,
      servername: 'upload.file-drop.invalid',
    });
    expect(answer).toMatchObject({ status: 200, body: '' });
    expect(answer.headers.connection).toBe('close');
    const event = await nextTcp(events);
    expect(event).toMatchObject({
      protocol: 'tls',
      sni: 'upload.file-drop.invalid',
      intercepted: true,
      http: {
        method: 'POST',
        target: '/v1/upload?id=7',
        host: 'upload.file-drop.invalid',
        headers: { host: 'upload.file-drop.invalid', 'content-type': 'application/json' },
      },
    });
    const data = text(event.data);
    expect(data.startsWith('POST /v1/upload?id=7 HTTP/1.1\r\n')).toBe(true);
    expect(data.endsWith(`\r\n\r\n${body}`)).toBe(true);
    expect(event.bytes).toBe(data.length);
  });

  it("decrypts undici's fetch (the client most packages use)", async () => {
    const { ports, events } = await start();
    const dispatcher = new Agent({ connect: { ca: ca.certPem, servername: 'api.paste-bin.invalid' } });
    try {
      const response = await fetch(`https://127.0.0.1:${ports.tcp}/paste`, {
        method: 'PUT',
        body: 'AWS_SECRET_ACCESS_KEY=FAKEfakeFAKEfake',
        dispatcher,
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
    } finally {
      await dispatcher.close();
    }
    const event = await nextTcp(events);
    expect(event).toMatchObject({
      protocol: 'tls',
      sni: 'api.paste-bin.invalid',
      intercepted: true,
      http: { method: 'PUT', target: '/paste' },
    });
    expect(text(event.data)).toContain('\r\n\r\nAWS_SECRET_ACCESS_KEY=FAKEfakeFAKEfake');
  });

  it('reports a client that rejects the certificate as before: the SNI, nothing decrypted', async () => {
    const { ports, events } = await start();
    await expect(
      httpsPost(ports.tcp, 'secret', { servername: 'pinned.file-drop.invalid' }),
    ).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    const event = await nextTcp(events);
    expect(event).toMatchObject({ protocol: 'tls', sni: 'pinned.file-drop.invalid' });
    expect(event).not.toHaveProperty('intercepted');
    expect(event).not.toHaveProperty('http');
    expect(Buffer.from(event.data, 'base64')[0]).toBe(0x16);
    // And the sinkhole goes on.
    const after = await httpsPost(ports.tcp, 'x', { ca: ca.certPem, servername: 'next.file-drop.invalid' });
    expect(after.status).toBe(200);
    expect(await nextTcp(events)).toMatchObject({ sni: 'next.file-drop.invalid', intercepted: true });
  });

  it('records raw bytes sent after the handshake, within the capture size', async () => {
    // The ClientHello must fit the capture to be read at all.
    const { ports, events } = await start({ maxCaptureBytes: 2048, timings: { idleMs: 200 } });
    const payload = Buffer.concat([
      Buffer.from([0, 1, 2, 0xff]),
      Buffer.from('beacon:host=dev;user=alice;'.repeat(100)),
    ]);
    // The sinkhole hangs up once the capture is full, which the client may see as a reset.
    await tlsSend(ports.tcp, { ca: ca.certPem, servername: 'c2.file-drop.invalid' }, payload);
    const event = await nextTcp(events);
    expect(event).toMatchObject({ protocol: 'tls', sni: 'c2.file-drop.invalid', intercepted: true });
    expect(event).not.toHaveProperty('http');
    expect(Buffer.from(event.data, 'base64')).toEqual(payload.subarray(0, 2048));
    expect(event.bytes).toBe(payload.length);
  });

  it('negotiates http/1.1 with a client that offers h2 too', async () => {
    const { ports, events } = await start();
    const socket = tlsConnect({
      host: '127.0.0.1',
      port: ports.tcp,
      ca: ca.certPem,
      servername: 'h2.file-drop.invalid',
      ALPNProtocols: ['h2', 'http/1.1'],
    });
    const alpn = await new Promise<string | false | null>((resolve, reject) => {
      socket.on('secureConnect', () => resolve(socket.alpnProtocol));
      socket.on('error', reject);
    });
    socket.end('GET / HTTP/1.1\r\nHost: h2.file-drop.invalid\r\n\r\n');
    socket.resume();
    expect(alpn).toBe('http/1.1');
    expect(await nextTcp(events)).toMatchObject({ intercepted: true, http: { method: 'GET', target: '/' } });
  });

  it('serves the same leaf for a name again, and another for another name', async () => {
    const { ports, events } = await start();
    const peer = async (servername: string) => {
      const sent = await new Promise<{ fingerprint: string; serial: string }>((resolve, reject) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: ports.tcp, ca: ca.certPem, servername });
        socket.on('secureConnect', () => {
          const cert = socket.getPeerCertificate();
          socket.end();
          socket.resume();
          resolve({ fingerprint: cert.fingerprint256, serial: cert.serialNumber });
        });
        socket.on('error', reject);
      });
      await nextTcp(events);
      return sent;
    };
    const first = await peer('one.file-drop.invalid');
    expect(await peer('ONE.file-drop.invalid')).toEqual(first);
    expect((await peer('two.file-drop.invalid')).serial).not.toBe(first.serial);
  });

  it('without SNI (a connection to an IP) certifies the address connected to', async () => {
    const { ports, events } = await start();
    // Node sends no SNI for an IP host and checks the certificate's iPAddress names instead.
    const sent = await tlsSend(ports.tcp, { ca: ca.certPem }, 'raw-by-ip');
    expect(sent.error).toBeUndefined();
    expect(sent.peer?.subjectaltname).toBe('IP Address:127.0.0.1');
    const event = await nextTcp(events);
    expect(event).toMatchObject({ protocol: 'tls', intercepted: true, bytes: 9 });
    expect(event).not.toHaveProperty('sni');
    expect(text(event.data)).toBe('raw-by-ip');
  });

  it('gives up on a handshake that stalls after the ClientHello', async () => {
    const { ports, events } = await start({ timings: { handshakeMs: 150 } });
    const hello = await recordClientHello('stall.file-drop.invalid');
    const socket = tcpConnect({ host: '127.0.0.1', port: ports.tcp });
    socket.on('error', () => {});
    socket.write(hello);
    socket.resume();
    const started = Date.now();
    await new Promise((resolve) => socket.on('close', resolve));
    expect(Date.now() - started).toBeLessThan(1500);
    const event = await nextTcp(events);
    expect(event).toMatchObject({ protocol: 'tls', sni: 'stall.file-drop.invalid', bytes: hello.length });
    expect(event).not.toHaveProperty('intercepted');
  });

  it('reports a handshake that completes with nothing sent as TLS with no bytes', async () => {
    const { ports, events } = await start({ timings: { idleMs: 100 } });
    const sent = await new Promise<boolean>((resolve) => {
      const socket = tlsConnect({
        host: '127.0.0.1',
        port: ports.tcp,
        ca: ca.certPem,
        servername: 'quiet.file-drop.invalid',
      });
      socket.on('secureConnect', () => resolve(true));
      socket.on('error', () => resolve(false));
    });
    expect(sent).toBe(true);
    expect(await nextTcp(events)).toMatchObject({
      protocol: 'tls',
      sni: 'quiet.file-drop.invalid',
      intercepted: true,
      bytes: 0,
      data: '',
    });
  });
});

/** The first bytes a real TLS client sends: its ClientHello. */
const recordClientHello = (servername: string): Promise<Buffer> =>
  new Promise((resolve) => {
    const server = createServer((socket) => {
      socket.once('data', (chunk: Buffer) => {
        socket.destroy();
        server.close();
        resolve(chunk);
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const client = tlsConnect({ host: '127.0.0.1', port, servername });
      client.on('error', () => {});
    });
  });
