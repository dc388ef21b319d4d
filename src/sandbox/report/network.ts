/**
 * The network part of the report, joined from three sources: the sinkhole's events (what arrived,
 * by the sandbox-side source port), the nftables flows (source port → where the package meant to
 * go) and strace's connect/send calls (which process, and attempts that never arrived).
 */
import type {
  Actor,
  NetworkAttempt,
  SandboxReport,
  SinkholeEvent,
  SinkholeFlow,
  TraceEvent,
} from '../types.js';
import { actorOf, type ProcessInfo } from './attribute.js';
import type { RunView } from './run-view.js';

export type DnsEntry = SandboxReport['dns'][number];

/** A DNS query and the strace send/connect to port 53 that made it are this close (ms). */
const DNS_WINDOW_MS = 5_000;
/** A connect and the sinkhole's report of the same connection are this close (ms). */
const CONNECT_WINDOW_MS = 30_000;

export const normalizeAddress = (address: string): string => {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  return bare.startsWith('::ffff:') && bare.includes('.') ? bare.slice('::ffff:'.length) : bare;
};

type NetCall = {
  event: Extract<TraceEvent, { kind: 'connect' } | { kind: 'send' }>;
  /** Empty for a send on a connected socket that only tells its local port. */
  address: string;
  port: number;
  localPort?: number;
  info?: ProcessInfo;
  used: boolean;
};

/**
 * The socket's local port, when the trace parser read it from strace's `-yy` annotation
 * (`UDP:[10.255.0.1:40000->…]`). Optional and not in types.ts: with it the sinkhole's clientPort
 * joins a process exactly; without it the join falls back to address, port and time.
 */
const localPortOf = (event: TraceEvent): number | undefined => {
  const value = (event as { localPort?: unknown }).localPort;
  return typeof value === 'number' ? value : undefined;
};

/** The traced call whose socket had `clientPort` as its local port, nearest in time. */
const byLocalPort = (
  calls: readonly NetCall[],
  clientPort: number,
  at: number,
  tcp: boolean,
): NetCall | undefined =>
  nearest(
    calls,
    at,
    Number.POSITIVE_INFINITY,
    (c) => c.localPort === clientPort && (tcp ? isTcp(c) : isUdp(c)),
  );

const netCalls = (view: RunView): NetCall[] => {
  const calls: NetCall[] = [];
  for (const event of view.record.trace.events) {
    const localPort = localPortOf(event);
    const base = {
      info: view.processes.get(event.pid),
      used: false,
      ...(localPort === undefined ? {} : { localPort }),
    };
    if (event.kind === 'connect') {
      if ((event.family !== 'inet' && event.family !== 'inet6') || event.port === undefined) continue;
      calls.push({ event, address: normalizeAddress(event.address), port: event.port, ...base });
    } else if (event.kind === 'send') {
      if (event.address !== undefined && event.port !== undefined)
        calls.push({ event, address: normalizeAddress(event.address), port: event.port, ...base });
      else if (localPort !== undefined) calls.push({ event, address: '', port: -1, ...base });
    }
  }
  return calls;
};

/** The call nearest in time to `at` among those `accept`ed, within `window`. */
const nearest = (
  calls: readonly NetCall[],
  at: number,
  window: number,
  accept: (call: NetCall) => boolean,
): NetCall | undefined => {
  let best: NetCall | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const call of calls) {
    if (!accept(call)) continue;
    const distance = Math.abs(call.event.at - at);
    if (distance <= window && distance < bestDistance) {
      best = call;
      bestDistance = distance;
    }
  }
  return best;
};

const isTcp = (call: NetCall): boolean =>
  call.event.kind === 'connect' && (call.event.transport === undefined || call.event.transport === 'tcp');
const isUdp = (call: NetCall): boolean =>
  call.event.kind === 'send' ||
  (call.event.kind === 'connect' && (call.event.transport === undefined || call.event.transport === 'udp'));

type Flows = Map<string, SinkholeFlow[]>;
const flowKey = (protocol: string, port: number): string => `${protocol}:${port}`;

const indexFlows = (flows: readonly SinkholeFlow[]): Flows => {
  const index: Flows = new Map();
  for (const flow of flows) {
    const key = flowKey(flow.protocol, flow.sourcePort);
    const list = index.get(key) ?? [];
    list.push({ ...flow, address: normalizeAddress(flow.address) });
    index.set(key, list);
  }
  return index;
};

/**
 * The flow behind a sinkhole event. A source port can be reused within a run; when several flows
 * share it, the one a traced call went to nearest in time wins.
 */
const flowOf = (
  flows: Flows,
  protocol: 'tcp' | 'udp',
  port: number,
  at: number,
  calls: readonly NetCall[],
): SinkholeFlow | undefined => {
  const candidates = flows.get(flowKey(protocol, port)) ?? [];
  if (candidates.length <= 1) return candidates[0];
  const call = nearest(calls, at, CONNECT_WINDOW_MS, (c) =>
    candidates.some((flow) => flow.address === c.address && flow.port === c.port),
  );
  return (
    candidates.find((flow) => call && flow.address === call.address && flow.port === call.port) ??
    candidates[0]
  );
};

const b64Bytes = (event: SinkholeEvent): number => ('bytes' in event ? event.bytes : 0);

export type NetworkObservation = { dns: DnsEntry[]; network: NetworkAttempt[] };

export const observeNetwork = (view: RunView): NetworkObservation => {
  const { record } = view;
  const calls = netCalls(view);
  const flows = indexFlows(record.flows);
  const resolver = normalizeAddress(record.resolver);

  // Names behind the sinkhole's answers, so a connect to 198.18.x.y reads as the host it looked up.
  const answers = new Map<string, string>();
  for (const event of record.sinkhole)
    if (event.type === 'dns' && event.answer) answers.set(normalizeAddress(event.answer), event.name);

  const dns: DnsEntry[] = [];
  const seenDns = new Set<string>();
  const dnsCalls = calls.filter((c) => c.port === 53 || (c.address === '' && c.localPort !== undefined));
  for (const event of record.sinkhole) {
    if (event.type !== 'dns') continue;
    const flow = flowOf(flows, event.transport, event.clientPort, event.at, dnsCalls);
    const target = flow?.address;
    const call =
      byLocalPort(dnsCalls, event.clientPort, event.at, event.transport === 'tcp') ??
      nearest(
        dnsCalls,
        event.at,
        DNS_WINDOW_MS,
        (c) =>
          c.port === 53 &&
          (target === undefined || c.address === target) &&
          (event.transport === 'tcp' ? isTcp(c) : isUdp(c)),
      );
    if (call) call.used = true;
    // The package manager's own lookups are not the package's.
    if (call?.info && !call.info.ofPackage) continue;
    const actor = actorOf(call?.info);
    const entry: DnsEntry = {
      name: event.name,
      type: event.qtype,
      hardCodedResolver: target !== undefined && target !== resolver,
    };
    if (target !== undefined) entry.resolver = target;
    if (actor) entry.actor = actor;
    const key = `${entry.name}\0${entry.type}\0${entry.resolver}\0${actor?.pid}`;
    if (seenDns.has(key)) continue;
    seenDns.add(key);
    dns.push(entry);
  }

  const network: NetworkAttempt[] = [];
  // Queries to a hard-coded resolver are destinations in their own right.
  for (const query of dns) {
    if (!query.hardCodedResolver || query.resolver === undefined) continue;
    const attempt: NetworkAttempt = {
      protocol: 'dns',
      host: query.name,
      address: query.resolver,
      port: 53,
      literalIp: true,
      bytesSent: 0,
      resolver: query.resolver,
    };
    if (query.actor) attempt.actor = query.actor;
    network.push(attempt);
  }
  for (const event of record.sinkhole) {
    if (event.type !== 'tcp' && event.type !== 'udp') continue;
    const protocol = event.type;
    const flow = flowOf(flows, protocol, event.clientPort, event.at, calls);
    const matches = (c: NetCall): boolean =>
      flow !== undefined &&
      !c.used &&
      c.address === flow.address &&
      c.port === flow.port &&
      (protocol === 'tcp' ? isTcp(c) : isUdp(c));
    const exact = byLocalPort(calls, event.clientPort, event.at, protocol === 'tcp');
    if (exact) {
      // The same process's connect to that destination is this connection too, not another attempt.
      const connect = nearest(
        calls,
        event.at,
        CONNECT_WINDOW_MS,
        (c) => matches(c) && c.event.pid === exact.event.pid,
      );
      if (connect) connect.used = true;
    }
    const call = exact ?? nearest(calls, event.at, CONNECT_WINDOW_MS, matches);
    if (call) {
      call.used = true;
      // The package manager's or the supervisor's own traffic is not the package's.
      if (call.info && !call.info.ofPackage) continue;
    }
    const attempt: NetworkAttempt = { protocol, bytesSent: b64Bytes(event) };
    const preview = dataPreview(
      event.data,
      event.type === 'tcp' && event.protocol === 'tls' && !event.intercepted,
    );
    if (preview) attempt.preview = preview;
    if (event.type === 'tcp' && event.intercepted) attempt.intercepted = true;
    if (flow) {
      attempt.address = flow.address;
      attempt.port = flow.port;
      attempt.literalIp = !answers.has(flow.address);
    }
    const host =
      (flow && answers.get(flow.address)) ??
      (event.type === 'tcp' ? (event.sni ?? stripPort(event.http?.host)) : undefined);
    if (host) attempt.host = host;
    if (event.type === 'tcp') {
      if (event.sni) attempt.sni = event.sni;
      if (event.http) {
        attempt.http = { method: event.http.method, target: event.http.target };
        if (event.http.host !== undefined) attempt.http.host = event.http.host;
      }
    }
    const actor = actorOf(call?.info);
    if (actor) attempt.actor = actor;
    network.push(attempt);
  }

  // Attempts that never reached the sinkhole (refused, unreachable, or sent nowhere we listen).
  const seenCalls = new Set<string>();
  for (const call of calls) {
    if (call.used || !call.info?.ofPackage || call.address === '') continue;
    if (call.port === 53 && call.address === resolver) continue;
    const actor = actorOf(call.info) as Actor;
    const protocol: 'tcp' | 'udp' =
      call.event.kind === 'send' || call.event.transport === 'udp' ? 'udp' : 'tcp';
    const key = `${call.info.pid}\0${protocol}\0${call.address}\0${call.port}`;
    if (seenCalls.has(key)) continue;
    seenCalls.add(key);
    const attempt: NetworkAttempt = {
      protocol,
      address: call.address,
      port: call.port,
      literalIp: !answers.has(call.address),
      bytesSent: 0,
      actor,
    };
    const host = answers.get(call.address);
    if (host) attempt.host = host;
    network.push(attempt);
  }
  return { dns, network };
};

const stripPort = (host: string | undefined): string | undefined =>
  host === undefined
    ? undefined
    : host.replace(/^\[([^\]]+)\](?::\d+)?$/, '$1').replace(/^([^:]+):\d+$/, '$1');

const PREVIEW_CHARS = 240;

/**
 * What was sent, for a human: the first characters, non-printable bytes as `.`. An encrypted
 * stream (TLS the sinkhole could not read) has nothing to show.
 */
export const dataPreview = (data: string, encrypted: boolean): string | undefined => {
  if (encrypted || data === '') return undefined;
  const text = Buffer.from(data, 'base64').subarray(0, PREVIEW_CHARS).toString('latin1');
  const shown = text.replace(/[^\x20-\x7e]/g, '.');
  return shown === '' ? undefined : shown;
};
