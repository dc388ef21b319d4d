import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../types.js';
import { buildSandboxReport } from './build-report.js';
import { honeytokenEgress } from './honeytokens.js';
import { observeNetwork } from './network.js';
import { viewRun } from './run-view.js';
import { NPM, runBuilder, T0, TOKENS } from './testdata/runs.js';
import { META } from './testdata/scenarios.js';

const script = () => runBuilder().standard().script(4110, 'node x.js').proc(4111, 4110, ['node', 'x.js']);

describe('network join', () => {
  it('maps a sinkhole connection back through its flow to the DNS name and the process', () => {
    const run = script().lookup(4111, 'api.collector.invalid');
    const address = run.answer();
    run.tcp(4111, address, 443, { sni: 'api.collector.invalid', data: 'x'.repeat(300) });
    const { network, dns } = observeNetwork(viewRun(run.build()));
    expect(network).toEqual([
      {
        protocol: 'tcp',
        address,
        port: 443,
        literalIp: false,
        host: 'api.collector.invalid',
        sni: 'api.collector.invalid',
        bytesSent: 300,
        actor: expect.objectContaining({ pid: 4111, script: 'postinstall' }),
      },
    ]);
    expect(dns).toEqual([
      {
        name: 'api.collector.invalid',
        type: 'A',
        resolver: '10.255.0.1',
        hardCodedResolver: false,
        actor: expect.objectContaining({ pid: 4111 }),
      },
    ]);
  });

  it('marks an address no lookup returned as a literal IP, keeping the HTTP request line', () => {
    const run = script().tcp(4111, '198.51.100.23', 8080, {
      http: { method: 'POST', target: '/u', host: '198.51.100.23:8080' },
      data: 'POST /u HTTP/1.1\r\n\r\n',
    });
    const [attempt] = observeNetwork(viewRun(run.build())).network;
    expect(attempt).toMatchObject({
      address: '198.51.100.23',
      port: 8080,
      literalIp: true,
      host: '198.51.100.23',
      http: { method: 'POST', target: '/u', host: '198.51.100.23:8080' },
    });
  });

  it('lists connects that never reached the sinkhole, once per process and destination', () => {
    const run = script()
      .connect(4111, '203.0.113.9', 4444, { errno: 'ECONNREFUSED' })
      .connect(4111, '203.0.113.9', 4444, { errno: 'ECONNREFUSED' })
      .connect(4111, '2001:db8::7', 443, { errno: 'ENETUNREACH' });
    const { network } = observeNetwork(viewRun(run.build()));
    expect(network).toEqual([
      expect.objectContaining({
        protocol: 'tcp',
        address: '203.0.113.9',
        port: 4444,
        literalIp: true,
        bytesSent: 0,
      }),
      expect.objectContaining({
        protocol: 'tcp',
        address: '2001:db8::7',
        port: 443,
        literalIp: true,
        bytesSent: 0,
      }),
    ]);
  });

  it("leaves npm's own traffic out and DNS from no package process unattributed", () => {
    const run = script().lookup(NPM, 'registry.npmjs.org');
    run.tcp(NPM, run.answer(), 443, { sni: 'registry.npmjs.org' });
    // A query no traced call explains (seconds away from any): unattributed, not dropped.
    run.tick(T0 + 30_000);
    run.lookup(undefined, 'mystery.invalid');
    const { network, dns } = observeNetwork(viewRun(run.build()));
    expect(network).toEqual([]);
    expect(dns.map((q) => q.name)).toEqual(['mystery.invalid']);
    expect(dns.find((q) => q.name === 'mystery.invalid')?.actor).toBeUndefined();
  });

  it('tells a hard-coded resolver from the system one', () => {
    const run = script()
      .lookup(4111, 'a.example-dns.invalid', { resolver: '203.0.113.53' })
      .lookup(4111, 'b.invalid');
    const { dns, network } = observeNetwork(viewRun(run.build()));
    expect(dns.map((q) => [q.name, q.resolver, q.hardCodedResolver])).toEqual([
      ['a.example-dns.invalid', '203.0.113.53', true],
      ['b.invalid', '10.255.0.1', false],
    ]);
    // The hard-coded resolver is a destination of its own; the system resolver is not.
    expect(network).toEqual([
      expect.objectContaining({
        protocol: 'dns',
        host: 'a.example-dns.invalid',
        address: '203.0.113.53',
        port: 53,
      }),
    ]);
  });

  it('joins exactly on the local port when the trace carries it', () => {
    const run = script().lookup(4111, 'pkg-lookup.invalid');
    const record = run.build();
    const dns = record.sinkhole[0]!;
    if (dns.type !== 'dns') throw new Error('expected a dns event');
    // npm's send is nearer in time, but the package's socket had the query's source port.
    record.trace.events.push(
      {
        kind: 'send',
        pid: NPM,
        tid: NPM,
        at: dns.at,
        bytes: 40,
        result: { ok: true, value: 40 },
        localPort: dns.clientPort + 1,
      } as TraceEvent,
      {
        kind: 'send',
        pid: 4111,
        tid: 4111,
        at: dns.at - 900,
        bytes: 40,
        result: { ok: true, value: 40 },
        localPort: dns.clientPort,
      } as TraceEvent,
    );
    record.trace.events = record.trace.events.filter((e) => e.kind !== 'connect');
    record.trace.events.push({
      kind: 'connect',
      pid: NPM,
      tid: NPM,
      at: dns.at,
      family: 'inet',
      address: '10.255.0.1',
      port: 53,
      transport: 'udp',
      result: { ok: true, value: 0 },
    });
    expect(observeNetwork(viewRun(record)).dns).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ pid: 4111 }) }),
    ]);
  });

  it('resolves a reused source port by the traced connect nearest in time', () => {
    const run = script();
    run.tcp(4111, '192.0.2.10', 80, { data: 'first' });
    run.tcp(4111, '192.0.2.20', 80, { data: 'second' });
    const record = run.build();
    // Both connections came from the same source port.
    const port = record.flows[0]!.sourcePort;
    record.flows[1]!.sourcePort = port;
    for (const event of record.sinkhole) if (event.type === 'tcp') event.clientPort = port;
    const { network } = observeNetwork(viewRun(record));
    expect(network.map((a) => a.address)).toEqual(['192.0.2.10', '192.0.2.20']);
  });
});

describe('honeytoken egress', () => {
  it('finds a token in a base64 HTTP body', () => {
    const body = Buffer.from(JSON.stringify({ env: { GITHUB_TOKEN: TOKENS[4]!.value } })).toString('base64');
    const run = script().lookup(4111, 'drop.collector.invalid');
    run.tcp(4111, run.answer(), 80, {
      http: { method: 'POST', target: '/upload', host: 'drop.collector.invalid' },
      data: `POST /upload HTTP/1.1\r\nHost: drop.collector.invalid\r\n\r\n${body}`,
    });
    const report = buildSandboxReport([run.build()], META);
    expect(report.honeytokens.exfiltrated).toContainEqual({
      token: 'github-token',
      encoding: 'base64',
      channel: 'http',
      destination: 'drop.collector.invalid',
      run: 'default',
    });
    expect(report.findings[0]).toMatchObject({
      rule: 'sandbox-honeytoken-exfiltration',
      severity: 'critical',
    });
    expect(report.verdict).toBe('malicious');
  });

  it('joins a token split over several DNS queries', () => {
    const hex = Buffer.from(TOKENS[0]!.value).toString('hex');
    const run = script();
    for (const chunk of hex.match(/.{1,30}/g)!) run.lookup(4111, `${chunk}.q.invalid`);
    const view = viewRun(run.build());
    const egress = honeytokenEgress(view, observeNetwork(view).dns);
    expect(egress).toContainEqual(
      expect.objectContaining({ token: 'npm-token', channel: 'dns', encoding: 'hex' }),
    );
  });

  it('finds nothing in traffic without tokens', () => {
    const run = script().lookup(4111, 'ok.invalid');
    run.tcp(4111, run.answer(), 80, { http: { method: 'GET', target: '/' }, data: 'GET / HTTP/1.1\r\n\r\n' });
    const view = viewRun(run.build());
    expect(honeytokenEgress(view, observeNetwork(view).dns)).toEqual([]);
  });
});

describe('dataLabelsJoined', () => {
  it('drops repeated and sequence labels and orders chunks by their sequence number', async () => {
    const { dataLabelsJoined } = await import('./honeytokens.js');
    expect(dataLabelsJoined(['6768705f41.1.t', '7b22474954.0.t', '42434445.2.t'])).toBe(
      '7b224749546768705f4142434445',
    );
  });
  it('keeps arrival order without sequence numbers', async () => {
    const { dataLabelsJoined } = await import('./honeytokens.js');
    expect(dataLabelsJoined(['aaaa.x', 'bbbb.x', 'cccc.x'])).toBe('aaaabbbbcccc');
  });
});

describe('dataPreview', () => {
  it('shows the first characters with non-printable bytes as dots, and nothing for unread TLS', async () => {
    const { dataPreview } = await import('./network.js');
    expect(
      dataPreview(Buffer.from('POST /u HTTP/1.1\r\nHost: x\r\n\r\n\u0001k').toString('base64'), false),
    ).toBe('POST /u HTTP/1.1..Host: x.....k');
    expect(dataPreview(Buffer.from('\u0016\u0003\u0001').toString('base64'), true)).toBeUndefined();
    expect(dataPreview('', false)).toBeUndefined();
  });
});
