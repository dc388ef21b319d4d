/**
 * Honeytoken hits: planted files opened by package processes, and planted values seen leaving at
 * the sinkhole (every DNS name, HTTP request, TLS and raw TCP first bytes, UDP datagram).
 */
import { findHoneytokenEgress } from '../honeytokens/find-egress.js';
import type { Actor, HoneytokenEgress, RunName, SandboxReport, SinkholeEvent } from '../types.js';
import { honeytokenFiles } from './files.js';
import { normalizeAddress } from './network.js';
import type { RunView } from './run-view.js';

export type HoneytokenRead = { token: string; path: string; actor?: Actor };
export type Exfiltration = HoneytokenEgress & { run: RunName };

/** Opens (any access, successful) of planted files by package processes, one per token, path and process. */
export const honeytokenReads = (view: RunView): HoneytokenRead[] => {
  const files = honeytokenFiles(view);
  const reads: HoneytokenRead[] = [];
  const seen = new Set<string>();
  for (const { event, actor } of view.events) {
    if (event.kind !== 'open' || !event.result.ok) continue;
    const token = files.get(event.path);
    if (token === undefined) continue;
    const key = `${token}\0${event.path}\0${actor.pid}`;
    if (seen.has(key)) continue;
    seen.add(key);
    reads.push({ token, path: event.path, actor });
  }
  return reads;
};

/** The registrable-looking end of a name (`x.y.collector.invalid` → `collector.invalid`). */
export const baseDomain = (name: string): string =>
  name.toLowerCase().replace(/\.$/, '').split('.').slice(-2).join('.');

/**
 * The data of a value split over queries (`<chunk>.<n>.t.exfil.invalid`): each query's labels
 * without the ones every query repeats (`t`) and the sequence number, in sequence order when
 * every query has one, else in arrival order.
 */
export const dataLabelsJoined = (prefixes: readonly string[]): string => {
  const queries = prefixes.map((prefix) => prefix.split('.').filter((label) => label !== ''));
  const frequency = new Map<string, number>();
  for (const labels of queries)
    for (const label of new Set(labels)) frequency.set(label, (frequency.get(label) ?? 0) + 1);
  const repeated = (label: string) =>
    queries.length >= 3 && (frequency.get(label) ?? 0) >= queries.length / 2;
  const parsed = queries.map((labels, arrival) => {
    const counter = labels.find((label) => /^\d{1,6}$/.test(label));
    const data = labels.filter((label) => label !== counter && !repeated(label));
    return { arrival, counter: counter === undefined ? undefined : Number(counter), data: data.join('') };
  });
  if (parsed.every((query) => query.counter !== undefined))
    parsed.sort((a, b) => a.counter! - b.counter! || a.arrival - b.arrival);
  return parsed.map((query) => query.data).join('');
};

/** The joined labels of one domain searched at most (a package spamming queries must not stall the report). */
const MAX_JOINED_DNS = 256 * 1024;

const decode = (data: string): Uint8Array => Buffer.from(data, 'base64');

/** Honeytoken values that left, per sinkhole event; DNS names are also searched joined per domain, since exfiltration splits values over queries. */
export const honeytokenEgress = (view: RunView, dns: SandboxReport['dns']): Exfiltration[] => {
  const { record } = view;
  const tokens = record.honeytokens.tokens;
  if (tokens.length === 0) return [];
  const answers = new Map<string, string>();
  for (const event of record.sinkhole)
    if (event.type === 'dns' && event.answer) answers.set(normalizeAddress(event.answer), event.name);
  const flows = new Map<string, string>();
  for (const flow of record.flows) {
    const key = `${flow.protocol}:${flow.sourcePort}`;
    if (!flows.has(key)) flows.set(key, normalizeAddress(flow.address));
  }
  const flowAddress = (protocol: 'tcp' | 'udp', port: number): string | undefined =>
    flows.get(`${protocol}:${port}`);
  const hardCoded = new Map<string, string>();
  const hardCodedDomains = new Map<string, string>();
  for (const entry of dns) {
    if (!entry.hardCodedResolver || entry.resolver === undefined) continue;
    hardCoded.set(entry.name, entry.resolver);
    hardCodedDomains.set(baseDomain(entry.name), entry.resolver);
  }

  const found: HoneytokenEgress[] = [];
  const perDomain = new Map<string, string[]>();
  for (const event of record.sinkhole) {
    found.push(...egressOf(event));
    if (event.type === 'dns') {
      const domain = baseDomain(event.name);
      const prefix = event.name.toLowerCase().replace(/\.$/, '').slice(0, -domain.length).replace(/\.$/, '');
      const parts = perDomain.get(domain) ?? [];
      if (prefix !== '' && parts[parts.length - 1] !== prefix) parts.push(prefix);
      perDomain.set(domain, parts);
    }
  }
  for (const [domain, parts] of perDomain) {
    if (parts.length < 2) continue;
    const destination = hardCodedDomains.get(domain) ?? domain;
    for (const joined of [parts.join(''), dataLabelsJoined(parts)])
      found.push(...findHoneytokenEgress(tokens, joined.slice(0, MAX_JOINED_DNS), 'dns', destination));
  }

  function egressOf(event: SinkholeEvent): HoneytokenEgress[] {
    switch (event.type) {
      case 'dns': {
        return findHoneytokenEgress(
          tokens,
          event.name,
          'dns',
          hardCoded.get(event.name) ?? baseDomain(event.name),
        );
      }
      case 'tcp': {
        const address = flowAddress('tcp', event.clientPort);
        const host =
          event.http?.host ??
          event.sni ??
          (address ? (answers.get(address) ?? address) : `port ${event.clientPort}`);
        const channel = event.protocol === 'http' ? 'http' : event.protocol === 'tls' ? 'tls' : 'tcp';
        const payload = decode(event.data);
        const out = findHoneytokenEgress(tokens, payload, channel, host);
        // The request target is inside `data` too, but only when the data was kept whole.
        if (event.http) out.push(...findHoneytokenEgress(tokens, event.http.target, 'http', host));
        return out;
      }
      case 'udp': {
        const address = flowAddress('udp', event.clientPort);
        const host = address ? (answers.get(address) ?? address) : `port ${event.clientPort}`;
        return findHoneytokenEgress(tokens, decode(event.data), 'udp', host);
      }
      default:
        return [];
    }
  }

  const seen = new Set<string>();
  const out: Exfiltration[] = [];
  for (const egress of found) {
    const key = `${egress.token}\0${egress.encoding}\0${egress.channel}\0${egress.destination}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...egress, run: record.name });
  }
  return out;
};
