import { createServer, type IncomingMessage, METHODS, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { SinkholeEvent } from '../types.js';
import { parseClientHello } from './tls-client-hello.js';

export type TcpTimings = {
  /** How long to wait for the first bytes before calling the connection 'none'. */
  firstByteMs: number;
  /** Idle time that ends a raw (or unfinished TLS) connection. */
  idleMs: number;
  /** Hard limit on a connection's life. */
  connectionMs: number;
};

type TcpEvent = Extract<SinkholeEvent, { type: 'tcp' }>;

type Phase = 'sniff' | 'tls' | 'http' | 'raw';

type Connection = {
  phase: Phase;
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
 * nothing), answered as little as possible, recorded, and reported once when it is done.
 */
export const createTcpCatchAll = (options: {
  emit: (event: TcpEvent) => void;
  maxCaptureBytes: number;
  maxConnections: number;
  timings: TcpTimings;
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

  const handle = (socket: Socket): void => {
    if (open.size >= maxConnections) {
      socket.destroy();
      return;
    }
    open.add(socket);
    const at = Date.now();
    const clientPort = socket.remotePort ?? 0;
    const captured: Buffer[] = [];
    let capturedBytes = 0;
    let bytes = 0;
    let idle: NodeJS.Timeout | undefined;

    const done = () => socket.destroy();
    const lifetime = setTimeout(done, timings.connectionMs);
    const firstByte = setTimeout(done, timings.firstByteMs);
    const touch = () => {
      if (idle) clearTimeout(idle);
      if (conn.phase !== 'http') idle = setTimeout(done, timings.idleMs);
    };
    const conn: Connection = {
      phase: 'sniff',
      full: false,
      fallBackToRaw() {
        if (conn.phase !== 'http') return;
        conn.phase = 'raw';
        conn.httpSide = undefined;
        if (socket.readableEnded || conn.full) done();
        else touch();
      },
    };
    const head = (): Buffer => Buffer.concat(captured, capturedBytes);

    const startHttp = () => {
      const side = new Duplex({
        read() {},
        write(chunk: Buffer, _encoding, callback) {
          if (socket.writable) socket.write(chunk, () => callback());
          else callback();
        },
        final(callback) {
          // The response is written: close our side and let the peer go.
          socket.end(() => socket.destroy());
          callback();
        },
      });
      side.on('error', () => {});
      conn.httpSide = side;
      byHttpSide.set(side, conn);
      httpServer.emit('connection', side);
      side.push(head());
    };

    socket.on('data', (chunk: Buffer) => {
      clearTimeout(firstByte);
      bytes += chunk.length;
      const kept = chunk.subarray(0, Math.max(0, maxCaptureBytes - capturedBytes));
      if (kept.length > 0) {
        captured.push(kept);
        capturedBytes += kept.length;
      }
      const full = capturedBytes >= maxCaptureBytes;
      conn.full = full;
      if (conn.phase === 'sniff') {
        const phase = classifyFirstBytes(head());
        if (phase === undefined) {
          if (full) return done();
          return touch();
        }
        conn.phase = phase;
        if (phase === 'http') {
          if (idle) clearTimeout(idle);
          return startHttp();
        }
      } else if (conn.phase === 'http') {
        // Past the capture limit the parser gets nothing more: answer and hang up.
        if (conn.httpSide && kept.length > 0) conn.httpSide.push(kept);
        if (full) conn.respond?.();
        return;
      }
      if (conn.phase === 'tls') {
        const hello = parseClientHello(head());
        if (hello.status === 'complete') {
          if (hello.sni !== undefined) conn.sni = hello.sni;
          return done();
        }
        if (hello.status === 'invalid') return done();
      }
      if (full) return done();
      touch();
    });

    socket.on('end', () => {
      if (conn.phase === 'http' && conn.httpSide) conn.httpSide.push(null);
      else done();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(lifetime);
      clearTimeout(firstByte);
      if (idle) clearTimeout(idle);
      conn.httpSide?.destroy();
      open.delete(socket);
      const protocol = bytes === 0 ? 'none' : conn.phase === 'sniff' ? 'raw' : conn.phase;
      emit({
        type: 'tcp',
        at,
        clientPort,
        protocol: protocol === 'raw' && conn.http ? 'http' : protocol,
        ...(conn.sni === undefined ? {} : { sni: conn.sni }),
        ...(conn.http === undefined ? {} : { http: conn.http }),
        bytes,
        data: head().toString('base64'),
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
