import { describe, expect, it } from 'vitest';
import {
  expectBothRuns,
  findingsOf,
  itLeavesNoTrace,
  itTracedEveryProcess,
  sandboxFixture,
} from '../../support/sandbox-e2e.js';

// A postinstall sending process.env (JSON → hex → 60-character labels) as DNS queries
// `<chunk>.<n>.t.exfil.invalid` straight to the hard-coded resolver 203.0.113.53.
describe('bulwark sandbox: dns-exfil-postinstall (environment over DNS to a hard-coded resolver)', () => {
  const run = sandboxFixture('dns-exfil-postinstall', { markers: ['scripts/telemetry.js', 'exfil.invalid'] });

  it('calls it malicious and exits 1', () => {
    const report = run.report();
    expect(report.verdict).toBe('malicious');
    expect(run.outcome().cli.status).toBe(1);
    expect(report.package).toMatchObject({ name: 'dns-exfil-postinstall', version: '99.0.1' });
  });

  it('ran install and import in both the developer and the CI run', () => {
    expectBothRuns(run.report());
  });

  it('lists the queries with the hard-coded resolver, attributed to the postinstall', () => {
    const report = run.report();
    const tunnel = report.dns.filter((q) => /^[0-9a-f]{1,60}\.\d+\.t\.exfil\.invalid$/.test(q.name));
    expect(tunnel.length).toBeGreaterThanOrEqual(10);
    for (const query of tunnel) {
      expect(query).toMatchObject({ resolver: '203.0.113.53', hardCodedResolver: true });
      expect(query.actor).toMatchObject({
        phase: 'install',
        script: 'postinstall',
        package: 'dns-exfil-postinstall',
      });
    }
    // The first chunk of both runs: the start of the JSON document, `{"`.
    expect(tunnel.some((q) => q.name.startsWith('7b22') && q.name.includes('.0.t.'))).toBe(true);
    const toResolver = report.network.filter((a) => a.address === '203.0.113.53');
    expect(toResolver.length).toBeGreaterThan(0);
    expect(toResolver[0]).toMatchObject({ port: 53, literalIp: true });
  });

  it('reports the hard-coded resolver and the data-shaped names', () => {
    const report = run.report();
    const resolver = findingsOf(report, 'sandbox-hardcoded-resolver');
    expect(resolver.length).toBeGreaterThan(0);
    expect(resolver[0]?.evidence).toContain('resolver 203.0.113.53');
    expect(resolver[0]?.actor).toMatchObject({ script: 'postinstall' });
    const shape = findingsOf(report, 'sandbox-dns-exfiltration-shape');
    expect(shape.length).toBeGreaterThan(0);
    expect(shape[0]).toMatchObject({ severity: 'high', confidence: 'high' });
    expect(shape[0]?.message).toMatch(/exfil\.invalid/);
  });

  it('finds the environment honeytokens in the queries (hex, split over labels)', () => {
    const report = run.report();
    const dns = report.honeytokens.exfiltrated.filter((e) => e.channel === 'dns');
    expect(dns.length).toBeGreaterThan(0);
    expect(dns.every((e) => e.encoding === 'hex')).toBe(true);
    // GITHUB_TOKEN comes first in the environment: its 40 characters span two labels in both runs.
    expect(dns.map((e) => e.token)).toContain('env-github-token');
    expect(new Set(dns.map((e) => e.run))).toEqual(new Set(['default', 'ci']));
  });

  it('reads no honeytoken file (the environment is the loot)', () => {
    expect(run.report().honeytokens.read).toEqual([]);
  });

  itTracedEveryProcess(run);
  itLeavesNoTrace(run);
});
