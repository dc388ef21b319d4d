import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../policy/firewall/load.js';
import { openSandboxVerdicts, type StoredSandboxVerdict } from '../../sandbox/store/sandbox-verdicts.js';
import { storedVerdict } from '../../sandbox/store/testdata/stored-verdict.js';
import { buildTestWorker } from '../../scan/analysis/testdata/build-worker.js';
import { benignPackage, sri } from '../../scan/analysis/testdata/packages.js';
import type { DecisionRecord } from '../types.js';
import { startFirewall } from './start-firewall.js';
import { startTestUpstream, type TestUpstream } from './testdata/upstream.js';

let upstream: TestUpstream;
let home: string;
let workerUrl: URL;

beforeAll(async () => {
  workerUrl = await buildTestWorker();
  upstream = await startTestUpstream();
  home = mkdtempSync(join(tmpdir(), 'bulwark-firewall-sandbox-'));
}, 120_000);

afterAll(async () => {
  await upstream.close();
  rmSync(home, { recursive: true, force: true });
});

const maliciousVerdict = (name: string, integrity: string): StoredSandboxVerdict =>
  storedVerdict(integrity, {
    name,
    score: 9,
    findings: [{ rule: 'exfil-http', severity: 'critical', message: 'POST of ~/.npmrc to c2.invalid' }],
  });

const start = (dataDir: string) =>
  startFirewall(
    {
      upstream: upstream.url,
      policy: defaultPolicy(),
      port: 0,
      dataDir,
      analysis: { workers: 1, limitMs: 30_000 },
      now: () => new Date('2026-06-01T00:00:00Z'),
    },
    { workerUrl, onWarning: () => {} },
  );

describe('stored sandbox verdicts in the firewall', () => {
  it('serves a statically clean tarball, then denies it once a malicious sandbox verdict is stored', async () => {
    const bytes = await benignPackage('quiet-adder', '1.0.0');
    await upstream.publish('quiet-adder', { '1.0.0': { bytes } });
    const dataDir = join(home, 'running');
    const firewall = await start(dataDir);
    const decisions: DecisionRecord[] = [];
    firewall.onDecision((d) => decisions.push(d));
    const url = `${firewall.url}/quiet-adder/-/quiet-adder-1.0.0.tgz`;
    try {
      const served = await fetch(url);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);

      // Written by `bulwark sandbox` while the firewall runs: the next request sees it.
      const store = openSandboxVerdicts(join(dataDir, 'cache', 'assessments.db'));
      store.put(maliciousVerdict('quiet-adder', sri(bytes)));
      store.close();

      const denied = await fetch(url);
      expect(denied.status).toBe(403);
      expect(denied.headers.get('x-bulwark-rule')).toBe('malicious');
      await denied.arrayBuffer();
      expect(decisions.map((d) => [d.action, d.rule])).toEqual([
        ['allow', undefined],
        ['deny', 'malicious'],
      ]);
      expect(decisions[1]?.reason).toContain('sandbox/exfil-http');
    } finally {
      await firewall.close();
    }
  }, 120_000);

  it('denies from the packument alone a version the sandbox found malicious, fetching no bytes', async () => {
    const bytes = await benignPackage('quiet-subtractor', '1.0.0');
    await upstream.publish('quiet-subtractor', { '1.0.0': { bytes } });
    const dataDir = join(home, 'known');
    const store = openSandboxVerdicts(join(dataDir, 'cache', 'assessments.db'));
    store.put(maliciousVerdict('quiet-subtractor', sri(bytes)));
    store.close();
    const firewall = await start(dataDir);
    try {
      const path = '/quiet-subtractor/-/quiet-subtractor-1.0.0.tgz';
      const denied = await fetch(`${firewall.url}${path}`);
      expect(denied.status).toBe(403);
      expect(denied.headers.get('x-bulwark-rule')).toBe('malicious');
      await denied.arrayBuffer();
      expect(upstream.count(path)).toBe(0);
    } finally {
      await firewall.close();
    }
  }, 120_000);
});
