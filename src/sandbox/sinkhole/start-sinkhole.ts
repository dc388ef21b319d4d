import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { SinkholeEvent } from '../types.js';
import { createLeafIssuer, type PemPair } from './certificate-authority.js';
import { answerDnsQuery, createAddressPool } from './dns-answer.js';
import { createTcpCatchAll, type TcpTimings, type TlsInterception } from './tcp-catch-all.js';

export type SinkholeOptions = {
  /**
   * Address to listen on; by default 0.0.0.0 and, where the host has IPv6, [::] too — except DNS
   * over UDP, which then listens on 127.0.0.1 and [::1] (see dnsUdpEndpoints).
   */
  host?: string;
  /** 0 (the default) = any free port; the DNS port is the same number for UDP and TCP. */
  dnsPort?: number;
  tcpPort?: number;
  udpPort?: number;
  /** Every event, starting with `ready` once all ports listen. */
  onEvent: (event: SinkholeEvent) => void;
  /** Bytes kept per connection or datagram (default 64 KiB). */
  maxCaptureBytes?: number;
  /** Concurrent TCP connections (catch-all and DNS each); more are refused (default 256). */
  maxConnections?: number;
  /** Defaults: first bytes 1.5 s, idle 1 s, whole connection 5 s, TLS handshake 2 s. */
  timings?: Partial<TcpTimings>;
  /**
   * The run's CA (createRunCa): TLS connections are then terminated with a leaf it signs for the
   * SNI and the decrypted bytes are recorded. Without it they are closed after the ClientHello.
   */
  ca?: PemPair;
};

export type Sinkhole = {
  ports: { dns: number; tcp: number; udp: number };
  close(): Promise<void>;
};

const DEFAULT_TIMINGS: TcpTimings = {
  firstByteMs: 1500,
  idleMs: 1000,
  connectionMs: 5000,
  handshakeMs: 2000,
};
/** A DNS-over-TCP message is at most 65535 bytes after its 2-byte length. */
const MAX_DNS_TCP_BUFFER = 2 + 0xffff;
const DNS_PORT_ATTEMPTS = 20;

type OnDatagram = (message: Buffer, rinfo: RemoteInfo) => void;

/** `ipv6Only`: the IPv4 side has its own socket on the same port. */
type Endpoint = { host: string; required: boolean; ipv6Only: boolean };

/** Where to listen: the given host, or IPv4 everywhere plus IPv6 everywhere when the host has it. */
const endpoints = (host: string | undefined): Endpoint[] =>
  host === undefined
    ? [
        { host: '0.0.0.0', required: true, ipv6Only: false },
        { host: '::', required: false, ipv6Only: true },
      ]
    : [{ host, required: true, ipv6Only: false }];

/**
 * The DNS answers go out from the address the query arrived on only if the socket is bound to it.
 * nftables' `redirect` in the output hook rewrites to loopback, and a reply from another source
 * (a wildcard socket picks 10.255.0.1) misses the conntrack entry, so it is not translated back to
 * the resolver's address (the client drops it) and is even redirected again, to the UDP catch-all.
 */
const dnsUdpEndpoints = (host: string | undefined): Endpoint[] =>
  host === undefined
    ? [
        { host: '127.0.0.1', required: true, ipv6Only: false },
        { host: '::1', required: false, ipv6Only: true },
      ]
    : endpoints(host);

const listenTcp = (server: Server, endpoint: Endpoint, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen({ host: endpoint.host, port, ipv6Only: endpoint.ipv6Only }, () => {
      server.off('error', onError);
      server.on('error', () => {});
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });

const bindUdp = (endpoint: Endpoint, port: number): Promise<{ socket: UdpSocket; port: number }> =>
  new Promise((resolve, reject) => {
    const socket = createSocket({
      type: endpoint.host.includes(':') ? 'udp6' : 'udp4',
      ipv6Only: endpoint.ipv6Only,
    });
    const onError = (error: Error) => {
      socket.close();
      reject(error);
    };
    socket.once('error', onError);
    socket.bind({ address: endpoint.host, port, exclusive: true }, () => {
      socket.off('error', onError);
      socket.on('error', () => {});
      resolve({ socket, port: socket.address().port });
    });
  });

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));

const closeUdp = (socket: UdpSocket): Promise<void> =>
  new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve();
    }
  });

/**
 * Leaves from the CA, one secure context per issued leaf. The leaf key is made and a first leaf
 * issued before the sinkhole reports ready, so no connection waits for either.
 */
const tlsInterception = async (ca: PemPair, host: string | undefined): Promise<TlsInterception> => {
  const issue = createLeafIssuer(ca);
  const contexts = new WeakMap<PemPair, SecureContext>();
  const contextFor = async (name: string): Promise<SecureContext> => {
    const leaf = await issue(name);
    let context = contexts.get(leaf);
    if (!context) {
      context = createSecureContext({ cert: leaf.certPem, key: leaf.keyPem });
      contexts.set(leaf, context);
    }
    return context;
  };
  await contextFor(host === undefined || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  return { contextFor };
};

/** Starts the fake network: DNS (UDP and TCP), a TCP catch-all and a UDP catch-all. */
export const startSinkhole = async (options: SinkholeOptions): Promise<Sinkhole> => {
  const maxCaptureBytes = options.maxCaptureBytes ?? 65536;
  const maxConnections = options.maxConnections ?? 256;
  const timings: TcpTimings = {
    firstByteMs: options.timings?.firstByteMs ?? DEFAULT_TIMINGS.firstByteMs,
    idleMs: options.timings?.idleMs ?? DEFAULT_TIMINGS.idleMs,
    connectionMs: options.timings?.connectionMs ?? DEFAULT_TIMINGS.connectionMs,
    handshakeMs: options.timings?.handshakeMs ?? DEFAULT_TIMINGS.handshakeMs,
  };
  const tls = options.ca ? await tlsInterception(options.ca, options.host) : undefined;
  const pool = createAddressPool();

  // Nothing is reported before `ready`: events of early clients wait for it.
  let pending: SinkholeEvent[] | undefined = [];
  const emit = (event: SinkholeEvent) => (pending ? pending.push(event) : options.onEvent(event));

  const servers: Server[] = [];
  const udpSockets: UdpSocket[] = [];
  const dnsConnections = new Set<Socket>();
  const tcp = createTcpCatchAll({ emit, maxCaptureBytes, maxConnections, timings, tls });

  const close = async () => {
    for (const socket of dnsConnections) socket.destroy();
    await Promise.all([tcp.closeAll(), ...servers.map(closeServer), ...udpSockets.map(closeUdp)]);
  };

  const onDnsUdp =
    (socket: UdpSocket): OnDatagram =>
    (message, rinfo) => {
      const result = answerDnsQuery(message, pool);
      if (!result) return;
      const at = Date.now();
      for (const q of result.questions)
        emit({ type: 'dns', at, transport: 'udp', clientPort: rinfo.port, ...q });
      if (result.response.length > 0) socket.send(result.response, rinfo.port, rinfo.address, () => {});
    };

  const onDnsTcp = (socket: Socket) => {
    if (dnsConnections.size >= maxConnections) return void socket.destroy();
    dnsConnections.add(socket);
    const clientPort = socket.remotePort ?? 0;
    let buffer = Buffer.alloc(0);
    const lifetime = setTimeout(() => socket.destroy(), timings.connectionMs);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length > MAX_DNS_TCP_BUFFER + 2) return void socket.destroy();
      while (buffer.length >= 2) {
        const length = buffer.readUInt16BE(0);
        if (buffer.length < 2 + length) break;
        const message = buffer.subarray(2, 2 + length);
        buffer = buffer.subarray(2 + length);
        const result = answerDnsQuery(message, pool);
        if (!result) continue;
        const at = Date.now();
        for (const q of result.questions) emit({ type: 'dns', at, transport: 'tcp', clientPort, ...q });
        if (result.response.length > 0 && socket.writable) {
          const framed = Buffer.alloc(2 + result.response.length);
          framed.writeUInt16BE(result.response.length, 0);
          result.response.copy(framed, 2);
          socket.write(framed);
        }
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(lifetime);
      dnsConnections.delete(socket);
    });
  };

  const onUdp: OnDatagram = (message, rinfo) =>
    emit({
      type: 'udp',
      at: Date.now(),
      clientPort: rinfo.port,
      bytes: message.length,
      data: message.subarray(0, maxCaptureBytes).toString('base64'),
    });

  // Every endpoint listens on one port number: the first (required) one picks it when 0.
  const listenTcpAll = async (port: number, onConnection: (socket: Socket) => void): Promise<number> => {
    let chosen = port;
    for (const endpoint of endpoints(options.host)) {
      const server = createServer({ allowHalfOpen: true, pauseOnConnect: false }, onConnection);
      try {
        chosen = await listenTcp(server, endpoint, chosen);
        servers.push(server);
      } catch (error) {
        if (endpoint.required) throw error;
      }
    }
    return chosen;
  };

  const bindUdpAll = async (
    where: Endpoint[],
    port: number,
    onMessage: (socket: UdpSocket) => OnDatagram,
  ): Promise<number> => {
    let chosen = port;
    for (const endpoint of where) {
      try {
        const bound = await bindUdp(endpoint, chosen);
        chosen = bound.port;
        bound.socket.on('message', onMessage(bound.socket));
        udpSockets.push(bound.socket);
      } catch (error) {
        if (endpoint.required) throw error;
      }
    }
    return chosen;
  };

  try {
    const requestedDns = options.dnsPort ?? 0;
    let dns = -1;
    for (let attempt = 0; dns < 0; attempt++) {
      // UDP picks the number; TCP must get the same one. With an ephemeral port that can collide.
      const udpBefore = udpSockets.length;
      const serversBefore = servers.length;
      const port = await bindUdpAll(dnsUdpEndpoints(options.host), requestedDns, onDnsUdp);
      try {
        await listenTcpAll(port, onDnsTcp);
        dns = port;
      } catch (error) {
        await Promise.all([
          ...udpSockets.splice(udpBefore).map(closeUdp),
          ...servers.splice(serversBefore).map(closeServer),
        ]);
        if (requestedDns !== 0 || attempt + 1 >= DNS_PORT_ATTEMPTS) throw error;
      }
    }
    const tcpPort = await listenTcpAll(options.tcpPort ?? 0, tcp.handle);
    const udpPort = await bindUdpAll(endpoints(options.host), options.udpPort ?? 0, () => onUdp);
    const ports = { dns, tcp: tcpPort, udp: udpPort };

    options.onEvent({ type: 'ready', dnsPort: dns, tcpPort, udpPort });
    const early = pending;
    pending = undefined;
    for (const event of early) options.onEvent(event);
    return { ports, close };
  } catch (error) {
    await close();
    throw error;
  }
};
