import { createServer, type IncomingMessage, METHODS, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { type SecureContext, TLSSocket } from 'node:tls';
import type { SinkholeEvent } from '../types.js';
import { parseClientHello } from './tls-client-hello.js';

export type TcpTimings = {
  /** How long to wait for the first bytes before calling the connection 'none'. */
  firstByteMs: number;
  /** Idle time that ends a raw (or unfinished TLS) connection. */
  idleMs: number;
  /** Hard limit on a connection's life. */
  connectionMs: number;
  /** How long an intercepted TLS handshake may take (from the ClientHello to its end). */
  handshakeMs: number;
};

/** Terminating TLS: the certificate to show for a server name (or, without SNI, an address). */
export type TlsInterception = { contextFor: (name: string) => Promise<SecureContext> };

type TcpEvent = Extract<SinkholeEvent, { type: 'tcp' }>;

type Phase = 'sniff' | 'tls' | 'http' | 'raw';

type Connection = {
  phase: Phase;
  /** Bytes received in total, and the first of them (at most the capture size). */
  bytes: number;
  captured: Buffer[];
  capturedBytes: number;
  sni?: string;
  http?: TcpEvent['http'];
  /** Receives the bytes the HTTP parser reads (the sinkhole keeps reading the socket itself). */
  httpSide?: Duplex;
  /** Answers the HTTP request (set once the parser has read the request head). */
  respond?: () => void;
  /** The capture is full: answer as soon as the request head is known. */
  full: boolean;
  /** The HTTP parser gave up: carry on as raw bytes. */
  fallBackToRaw: () => void;
};

const httpMethods = new Set(METHODS);
const TOKEN = /^[A-Za-z-]*$/;
/** Longer than any method name: bytes without a space by then are not a request line. */
const METHOD_WINDOW = 24;

/** Where the answers to a byte stream go: the socket, or the TLS layer over it. */
type Output = {
  write(chunk: Buffer, callback: () => void): void;
  /** The answer is complete: end our side, then let the connection go. */
  end(): void;
};

/** What the first bytes are, or undefined while they could still be either. */
export const classifyFirstBytes = (head: Buffer): Exclude<Phase, 'sniff'> | undefined => {
  if (head.length === 0) return undefined;
  if (head[0] === 0x16) return head.length < 2 ? undefined : head[1] === 0x03 ? 'tls' : 'raw';
  const window = head.subarray(0, METHOD_WINDOW).toString('latin1');
  const space = window.indexOf(' ');
  if (space < 0) return TOKEN.test(window) && head.length < METHOD_WINDOW ? undefined : 'raw';
  return httpMethods.has(window.slice(0, space)) ? 'http' : 'raw';
};

/** Lower-cased names; repeated headers joined with ", " (Node drops some repeats in req.headers). */
const joinHeaders = (raw: string[]): Record<string, string> => {
  const headers: Record<string, string> = Object.create(null);
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return { ...headers };
};

const requestInfo = (req: IncomingMessage): NonNullable<TcpEvent['http']> => ({
  method: req.method ?? '',
  target: req.url ?? '',
  ...(req.headers.host === undefined ? {} : { host: req.headers.host }),
  headers: joinHeaders(req.rawHeaders),
});

/**
 * The TCP catch-all: every connection is sniffed (TLS ClientHello, HTTP request, other bytes or
 * nothing), answered as little as possible, recorded, and reported once when it is done. With a
 * TLS interception, a ClientHello is answered with a certificate for its server name and the
 * decrypted bytes are sniffed and answered like a plain connection's.
 */
export const createTcpCatchAll = (options: {
  emit: (event: TcpEvent) => void;
  maxCaptureBytes: number;
  maxConnections: number;
  timings: TcpTimings;
  tls?: TlsInterception;
}) => {
  const { emit, maxCaptureBytes, maxConnections, timings } = options;
  const open = new Set<Socket>();
  const byHttpSide = new WeakMap<Duplex, Connection>();

  // Node's own HTTP parser, never listening: connections are handed to it one by one.
  const httpServer = createServer({ keepAlive: false }, (req: IncomingMessage, res: ServerResponse) => {
    const conn = byHttpSide.get(req.socket as unknown as Duplex);
    if (!conn) return void res.destroy();
    // A pipelined second request gets the same answer; the event describes the first.
    conn.http ??= requestInfo(req);
    res.on('error', () => {});
    let answered = false;
    conn.respond = () => {
      if (answered) return;
      answered = true;
      res.writeHead(200, { 'Content-Length': '0', Connection: 'close' });
      res.end();
    };
    // The body is recorded from the socket; here it is only drained to learn where it ends.
    req.on('data', () => {});
    req.on('end', conn.respond);
    req.on('error', () => {});
    if (conn.full) conn.respond();
  });
  // CONNECT (a proxy tunnel) and Upgrade (WebSocket) requests: recorded, then answered the same way.
  const onTunnel = (req: IncomingMessage, side: Duplex) => {
    const conn = byHttpSide.get(side);
    if (!conn) return void side.destroy();
    conn.http ??= requestInfo(req);
    side.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  };
  httpServer.on('connect', onTunnel);
  httpServer.on('upgrade', onTunnel);
  httpServer.on('clientError', (_error: Error, side: Duplex) => {
    // Not HTTP after all (or broken): keep what arrived and treat the rest as raw bytes.
    side.destroy();
    byHttpSide.get(side)?.fallBackToRaw();
  });

  const head = (conn: Connection): Buffer => Buffer.concat(conn.captured, conn.capturedBytes);

  /** Counts a chunk and keeps what fits in the capture; `full` once the capture is. */
  const record = (conn: Connection, chunk: Buffer): { kept: Buffer; full: boolean } => {
    conn.bytes += chunk.length;
    const kept = chunk.subarray(0, Math.max(0, maxCaptureBytes - conn.capturedBytes));
    if (kept.length > 0) {
      conn.captured.push(kept);
      conn.capturedBytes += kept.length;
    }
    conn.full = conn.capturedBytes >= maxCaptureBytes;
    return { kept, full: conn.full };
  };

  /**
   * One byte stream (the socket's, or the decrypted one inside TLS): sniffed, answered through
   * `out`, recorded. `onClientHello` may take a TLS connection over (returns true) instead of
   * ending it.
   */
  const createStream = (
    out: Output,
    hooks: {
      done: () => void;
      /** Restarts the idle timer (or stops it while an HTTP request is being answered). */
      touch: () => void;
      onClientHello?: (sni: string | undefined) => boolean;
    },
  ) => {
    const { done, touch } = hooks;
    const conn: Connection = {
      phase: 'sniff',
      bytes: 0,
      captured: [],
      capturedBytes: 0,
      full: false,
      fallBackToRaw() {
        if (conn.phase !== 'http') return;
        conn.phase = 'raw';
        conn.httpSide = undefined;
        if (ended || conn.full) done();
        else touch();
      },
    };
    let ended = false;

    const startHttp = () => {
      const side = new Duplex({
        read() {},
        write(chunk: Buffer, _encoding, callback) {
          out.write(chunk, callback);
        },
        final(callback) {
          out.end();
          callback();
        },
      });
      side.on('error', () => {});
      conn.httpSide = side;
      byHttpSide.set(side, conn);
      httpServer.emit('connection', side);
      side.push(head(conn));
    };

    const onData = (chunk: Buffer) => {
      const { kept, full } = record(conn, chunk);
      if (conn.phase === 'sniff') {
        const phase = classifyFirstBytes(head(conn));
        if (phase === undefined) {
          if (full) return done();
          return touch();
        }
        conn.phase = phase;
        if (phase === 'http') {
          touch();
          return startHttp();
        }
      } else if (conn.phase === 'http') {
        // Past the capture limit the parser gets nothing more: answer and hang up.
        if (conn.httpSide && kept.length > 0) conn.httpSide.push(kept);
        if (full) conn.respond?.();
        return;
      }
      if (conn.phase === 'tls') {
        const hello = parseClientHello(head(conn));
        if (hello.status === 'complete') {
          if (hello.sni !== undefined) conn.sni = hello.sni;
          if (hooks.onClientHello?.(conn.sni)) return;
          return done();
        }
        if (hello.status === 'invalid') return done();
      }
      if (full) return done();
      touch();
    };

    const onEnd = () => {
      ended = true;
      if (conn.phase === 'http' && conn.httpSide) conn.httpSide.push(null);
      else done();
    };

    return { conn, onData, onEnd };
  };

  const handle = (socket: Socket): void => {
    if (open.size >= maxConnections) {
      socket.destroy();
      return;
    }
    open.add(socket);
    const at = Date.now();
    const clientPort = socket.remotePort ?? 0;
    let idle: NodeJS.Timeout | undefined;
    let handshake: NodeJS.Timeout | undefined;
    /** Carries the socket's bytes to the TLS layer once a ClientHello is being answered. */
    let wire: Duplex | undefined;
    let tlsSocket: TLSSocket | undefined;
    let decrypted: ReturnType<typeof createStream> | undefined;

    const done = () => socket.destroy();
    /** Our side is finished: end it once written, then close. */
    const finish = () => {
      if (!socket.destroyed && !socket.writableEnded) socket.end(() => socket.destroy());
    };
    const lifetime = setTimeout(done, timings.connectionMs);
    const firstByte = setTimeout(done, timings.firstByteMs);
    const current = () => decrypted ?? plain;
    const touch = () => {
      if (idle) clearTimeout(idle);
      idle = undefined;
      if (current().conn.phase !== 'http' && !(wire && !decrypted)) idle = setTimeout(done, timings.idleMs);
    };

    const intercept = (sni: string | undefined): boolean => {
      const interception = options.tls;
      // Every byte so far must be at hand to replay it to the TLS layer.
      if (!interception || plain.conn.bytes !== plain.conn.capturedBytes) return false;
      const link = new Duplex({
        read() {
          socket.resume();
        },
        write(chunk: Buffer, _encoding, callback) {
          if (socket.writable) socket.write(chunk, () => callback());
          else callback();
        },
        final(callback) {
          finish();
          callback();
        },
      });
      link.on('error', () => {});
      wire = link;
      touch();
      handshake = setTimeout(done, timings.handshakeMs);
      link.push(head(plain.conn));
      const name = sni ?? fallbackName(socket.localAddress);
      void interception
        .contextFor(name)
        .then((secureContext) => {
          if (socket.destroyed) return;
          const secure = new TLSSocket(link, { isServer: true, secureContext, ALPNProtocols: ['http/1.1'] });
          tlsSocket = secure;
          // A client that rejects the certificate sends an alert (an error here) or just hangs up
          // (Node's clients check the certificate after the handshake and close before finishing it).
          secure.on('error', done);
          secure.on('end', () => (decrypted ? decrypted.onEnd() : done()));
          secure.on('close', finish);
          secure.on('secure', () => {
            clearTimeout(handshake);
            decrypted = createStream(
              {
                write: (chunk, callback) => {
                  if (secure.writable) secure.write(chunk, () => callback());
                  else callback();
                },
                end: () => secure.end(),
              },
              { done, touch },
            );
            secure.on('data', decrypted.onData);
            touch();
          });
        })
        .catch(done);
      return true;
    };

    const plain = createStream(
      {
        write: (chunk, callback) => (socket.writable ? socket.write(chunk, () => callback()) : callback()),
        end: finish,
      },
      { done, touch, onClientHello: intercept },
    );

    socket.on('data', (chunk: Buffer) => {
      clearTimeout(firstByte);
      if (!wire) return plain.onData(chunk);
      // Kept as well: a failed handshake is reported with what the client sent, as before.
      record(plain.conn, chunk);
      if (!wire.push(chunk)) socket.pause();
    });
    socket.on('end', () => {
      if (wire) wire.push(null);
      else plain.onEnd();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(lifetime);
      clearTimeout(firstByte);
      clearTimeout(handshake);
      if (idle) clearTimeout(idle);
      tlsSocket?.destroy();
      wire?.destroy();
      plain.conn.httpSide?.destroy();
      decrypted?.conn.httpSide?.destroy();
      open.delete(socket);
      const { conn } = plain;
      const reported = decrypted?.conn ?? conn;
      const protocol = decrypted
        ? 'tls'
        : conn.bytes === 0
          ? 'none'
          : conn.phase === 'sniff'
            ? 'raw'
            : conn.phase === 'raw' && conn.http
              ? 'http'
              : conn.phase;
      emit({
        type: 'tcp',
        at,
        clientPort,
        protocol,
        ...(conn.sni === undefined ? {} : { sni: conn.sni }),
        ...(reported.http === undefined ? {} : { http: reported.http }),
        bytes: reported.bytes,
        data: head(reported).toString('base64'),
        ...(decrypted ? { intercepted: true } : {}),
      });
    });
  };

  return {
    handle,
    /** Ends every open connection; resolves once each has reported its event. */
    closeAll(): Promise<void> {
      const closing = [...open].map(
        (socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())),
      );
      for (const socket of open) socket.destroy();
      return Promise.all(closing).then(() => {});
    },
  };
};

/** The name to certify when the ClientHello names none: the address the client connected to. */
const fallbackName = (localAddress: string | undefined): string =>
  localAddress ? localAddress.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '') : 'localhost';
