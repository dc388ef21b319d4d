import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, makeProject, startHarness } from '../../support/firewall-harness.js';
import { clientProblem, runClient } from '../../support/package-managers.js';
import { packumentPath, tarballFile } from '../../support/upstream-registry.js';

const MAX_DOCUMENT = 1024 * 1024;
const UPSTREAM_TIMEOUT = 2_000;

const npmProblem = await clientProblem('npm');
if (npmProblem) console.warn(`skipping the npm cases of the hostile-upstream tests: ${npmProblem}`);

let harness: Harness;
const warnings: string[] = [];
beforeAll(async () => {
  harness = await startHarness({
    analysis: false,
    limits: { maxDocumentBytes: MAX_DOCUMENT, upstreamTimeoutMs: UPSTREAM_TIMEOUT },
    onWarning: (message) => warnings.push(message),
  });
  const { upstream } = harness;
  const old = new Date(Date.now() - 30 * 24 * 3600 * 1000);
  for (const name of ['bw-huge', 'bw-slow', 'bw-malformed', 'bw-badint', 'bw-slow-tarball']) {
    await upstream.publish({ name, version: '1.0.0', time: old });
  }
  await upstream.publish({ name: '@bwtest/badint', version: '1.0.0', time: old });
  upstream.hostile('bw-huge', { kind: 'oversized', bytes: 4 * MAX_DOCUMENT });
  upstream.hostile('bw-slow', { kind: 'slow', ms: 15_000 });
  upstream.hostile('bw-malformed', { kind: 'malformed' });
  upstream.hostile(`bw-badint/-/${tarballFile('bw-badint', '1.0.0')}`, { kind: 'bad-integrity' });
  upstream.hostile(`@bwtest/badint/-/${tarballFile('@bwtest/badint', '1.0.0')}`, { kind: 'bad-integrity' });
  upstream.hostile(`bw-slow-tarball/-/${tarballFile('bw-slow-tarball', '1.0.0')}`, {
    kind: 'slow',
    ms: 15_000,
  });
}, 120_000);
afterAll(async () => harness?.close());

/** A GET through the firewall, bounded. */
const get = async (path: string, accept = 'application/json') => {
  const started = Date.now();
  const res = await fetch(`${harness.firewall.url}${path}`, {
    headers: { accept },
    signal: AbortSignal.timeout(20_000),
  });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, body, ms: Date.now() - started, headers: res.headers };
};

/** The firewall still answers: its own status, a ping, and a clean packument and tarball. */
const expectAlive = async () => {
  expect((await get('/-/bulwark/status')).status).toBe(200);
  expect((await get('/-/ping')).status).toBe(200);
  const doc = await get('/bw-clean');
  expect(doc.status).toBe(200);
  expect(JSON.parse(doc.body.toString('utf8')).name).toBe('bw-clean');
  const tgz = await get(`/bw-clean/-/${tarballFile('bw-clean', '1.0.0')}`);
  expect(tgz.status).toBe(200);
  expect(tgz.body.equals(harness.fixtures['bw-clean@1.0.0']!.tarball)).toBe(true);
};

describe('a hostile upstream', { timeout: 240_000 }, () => {
  it('an oversized packument is refused with a 5xx, never served', async () => {
    for (const accept of ['application/json', 'application/vnd.npm.install-v1+json']) {
      const res = await get('/bw-huge', accept);
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.body.length).toBeLessThan(64 * 1024);
    }
    await expectAlive();
  });

  it('a slow packument is cut off at the upstream time limit (504), not waited for', async () => {
    const res = await get('/bw-slow');
    expect(res.status).toBe(504);
    expect(res.ms).toBeLessThan(UPSTREAM_TIMEOUT + 5_000);
    await expectAlive();
  });

  it('malformed JSON from the upstream is a 502', async () => {
    const res = await get('/bw-malformed');
    expect(res.status).toBe(502);
    expect(res.body.toString('utf8')).toContain('bw-malformed');
    await expectAlive();
  });

  it('a tarball whose bytes do not match the packument integrity is never served, scoped or not', async () => {
    for (const name of ['bw-badint', '@bwtest/badint']) {
      const path = `/${name}/-/${tarballFile(name, '1.0.0')}`;
      for (let attempt = 0; attempt < 2; attempt++) {
        const res = await get(path, '*/*');
        expect(res.status, res.body.toString('utf8')).not.toBe(200);
        expect([403, 502]).toContain(res.status);
        expect(res.body.toString('utf8')).toContain('integrity');
      }
      // The packument is fine; only the tarball is bad.
      expect((await get(packumentPath(name))).status).toBe(200);
    }
    const decisions = harness.decisions.filter((d) => d.package === 'bw-badint' && d.request === 'tarball');
    expect(decisions.length).toBeGreaterThan(0);
    expect(decisions.every((d) => d.action === 'deny')).toBe(true);
    await expectAlive();
  });

  it('a tarball that trickles is cut off at the time limit', async () => {
    const res = await get(`/bw-slow-tarball/-/${tarballFile('bw-slow-tarball', '1.0.0')}`, '*/*');
    expect(res.status).not.toBe(200);
    expect(res.ms).toBeLessThan(UPSTREAM_TIMEOUT + 5_000);
    await expectAlive();
  });

  it('a burst of hostile requests at once leaves the firewall answering', async () => {
    const paths = [
      '/bw-huge',
      '/bw-slow',
      '/bw-malformed',
      `/bw-badint/-/${tarballFile('bw-badint', '1.0.0')}`,
    ];
    const burst = Array.from({ length: 24 }, (_, i) => get(paths[i % paths.length]!));
    const results = await Promise.all(burst);
    expect(results.every((r) => r.status >= 400)).toBe(true);
    await expectAlive();
    // Every hostile answer was an expected failure, not an internal error.
    expect(warnings.filter((w) => w.includes('internal error'))).toEqual([]);
  });

  it.skipIf(npmProblem !== undefined)(
    'npm install of a bad-integrity tarball fails and installs nothing',
    async () => {
      const { project, home } = makeProject(harness, 'npm-badint', {
        'package.json': `${JSON.stringify({ name: 'fw-e2e', version: '1.0.0', private: true, dependencies: { 'bw-badint': '1.0.0' } })}\n`,
      });
      const run = await runClient('npm', ['install'], { cwd: project, home, registry: harness.registry });
      expect(run.status, run.output).not.toBe(0);
      expect(run.output).toContain('bw-badint');
      expect(existsSync(join(project, 'node_modules/bw-badint/package.json'))).toBe(false);
      await expectAlive();
    },
  );

  it.skipIf(npmProblem !== undefined)(
    'npm install of a malformed packument fails with the firewall status',
    async () => {
      const { project, home } = makeProject(harness, 'npm-malformed', {
        'package.json': `${JSON.stringify({ name: 'fw-e2e', version: '1.0.0', private: true, dependencies: { 'bw-malformed': '^1.0.0' } })}\n`,
      });
      const run = await runClient('npm', ['install'], { cwd: project, home, registry: harness.registry });
      expect(run.status, run.output).not.toBe(0);
      expect(run.output).toContain('502');
      await expectAlive();
    },
  );
});
