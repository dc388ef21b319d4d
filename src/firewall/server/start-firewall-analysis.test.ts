import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../policy/firewall/load.js';
import { assessmentKey, openAssessmentCache } from '../../scan/analysis/assessment-cache.js';
import { targetKey } from '../../scan/analysis/plan.js';
import { buildTestWorker } from '../../scan/analysis/testdata/build-worker.js';
import { benignPackage, maliciousPackage, sri } from '../../scan/analysis/testdata/packages.js';
import type { DecisionRecord } from '../types.js';
import { startFirewall } from './start-firewall.js';
import { startTestUpstream, type TestUpstream } from './testdata/upstream.js';

let upstream: TestUpstream;
let home: string;
let workerUrl: URL;

beforeAll(async () => {
  workerUrl = await buildTestWorker();
  upstream = await startTestUpstream();
  home = mkdtempSync(join(tmpdir(), 'bulwark-firewall-analysis-'));
}, 120_000);

afterAll(async () => {
  await upstream.close();
  rmSync(home, { recursive: true, force: true });
});

describe('tarball analysis', () => {
  it('denies a tarball the analyser finds malicious, serves a clean one, and caches verdicts by integrity', async () => {
    const bad = await maliciousPackage('fixture-stealer', '1.0.0');
    const good = await benignPackage('plain-adder', '1.0.0');
    await upstream.publish('fixture-stealer', { '1.0.0': { bytes: bad } });
    await upstream.publish('plain-adder', { '1.0.0': { bytes: good } });
    const policy = defaultPolicy();
    // The fixture has a postinstall; only the analysis verdict should decide here.
    policy.rules.installScripts.action = 'allow';
    const options = {
      upstream: upstream.url,
      policy,
      port: 0,
      dataDir: home,
      analysis: { workers: 1, limitMs: 30_000 },
      now: () => new Date('2026-06-01T00:00:00Z'),
    };
    const firewall = await startFirewall(options, { workerUrl, onWarning: () => {} });
    const decisions: DecisionRecord[] = [];
    firewall.onDecision((d) => decisions.push(d));
    try {
      const denied = await fetch(`${firewall.url}/fixture-stealer/-/fixture-stealer-1.0.0.tgz`);
      expect(denied.status).toBe(403);
      expect(denied.headers.get('x-bulwark-rule')).toBe('malicious');
      const served = await fetch(`${firewall.url}/plain-adder/-/plain-adder-1.0.0.tgz`);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(good)).toBe(true);
      expect(decisions.map((d) => [d.package, d.action, d.rule])).toEqual([
        ['fixture-stealer', 'deny', 'malicious'],
        ['plain-adder', 'allow', undefined],
      ]);
    } finally {
      await firewall.close();
    }

    // The verdict is in the assessment cache scan reads, under scan's key for those bytes.
    const cache = openAssessmentCache(join(home, 'cache', 'assessments.db'));
    const { analyzerIdentity } = await import('../../analysis/analyzer-identity.js');
    const identity = await analyzerIdentity(cache, workerUrl);
    const key = assessmentKey(
      targetKey({ name: 'fixture-stealer', version: '1.0.0', integrity: sri(bad) }),
      identity.analyzer,
      identity.fingerprint,
    );
    const stored = cache.getMany([key]).get(key);
    cache.close();
    expect(stored?.status === 'analysed' && stored.analysis.verdict).toBe('malicious');

    // A restarted firewall knows the verdict from the packument alone: the tarball is refused
    // before any bytes are fetched again.
    const before = upstream.count('/fixture-stealer/-/fixture-stealer-1.0.0.tgz');
    const again = await startFirewall(options, { workerUrl, onWarning: () => {} });
    try {
      const response = await fetch(`${again.url}/fixture-stealer/-/fixture-stealer-1.0.0.tgz`);
      expect(response.status).toBe(403);
      expect(upstream.count('/fixture-stealer/-/fixture-stealer-1.0.0.tgz')).toBe(before);
    } finally {
      await again.close();
    }
  }, 120_000);

  it('fails closed, or open with a warning, when analysis runs out of time', async () => {
    const { slowPackage } = await import('../../scan/analysis/testdata/packages.js');
    const slow = await slowPackage('fixture-slow', 4);
    await upstream.publish('fixture-slow', { '1.0.0': { bytes: slow } });
    for (const failMode of ['closed', 'open'] as const) {
      const policy = defaultPolicy();
      policy.failMode = failMode;
      policy.rules.checkFailed = failMode === 'closed' ? 'deny' : 'warn';
      const firewall = await startFirewall(
        {
          upstream: upstream.url,
          policy,
          port: 0,
          dataDir: join(home, `slow-${failMode}`),
          analysis: { workers: 1, limitMs: 50 },
          now: () => new Date('2026-06-01T00:00:00Z'),
        },
        { workerUrl, onWarning: () => {} },
      );
      try {
        const response = await fetch(`${firewall.url}/fixture-slow/-/fixture-slow-1.0.0.tgz`);
        expect(response.status).toBe(failMode === 'closed' ? 403 : 200);
        expect(response.headers.get('x-bulwark-rule')).toBe('checkFailed');
        await response.arrayBuffer();
      } finally {
        await firewall.close();
      }
    }
  }, 120_000);
});
