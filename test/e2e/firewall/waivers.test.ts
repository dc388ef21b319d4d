import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionRecord, StoredWaiver } from '../../../src/firewall/types.js';
import {
  closeHarness,
  FIXTURES,
  type Harness,
  makeProject,
  startHarness,
} from '../../support/firewall-harness.js';
import { clientProblem, explain, runClient } from '../../support/package-managers.js';

const TOKEN = 'e2e-admin-token';
const npmProblem = await clientProblem('npm');
if (npmProblem) console.warn(`skipping the waiver round trip: ${npmProblem}`);

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ analysis: false, adminToken: TOKEN });
}, 120_000);
// No request through the firewall may have been an internal error.
afterAll(() => closeHarness(harness));

const admin = async (method: string, path: string, body?: unknown, token = TOKEN) => {
  const res = await fetch(`${harness.firewall.url}/-/bulwark/admin/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const installScripted = async (label: string) => {
  const { project, home } = makeProject(harness, label, {
    'package.json': `${JSON.stringify({ name: 'fw-e2e', version: '1.0.0', private: true, dependencies: { [FIXTURES.scripted.name]: FIXTURES.scripted.version } })}\n`,
  });
  const run = await runClient('npm', ['install', '--ignore-scripts'], {
    cwd: project,
    home,
    registry: harness.registry,
  });
  return { run, installed: existsSync(join(project, 'node_modules/bw-scripted/package.json')) };
};

describe.skipIf(npmProblem !== undefined)('a waiver through the admin API', { timeout: 240_000 }, () => {
  it('turns a denied install into an allowed one, and back when removed', async () => {
    const denied = await installScripted('waiver-before');
    expect(denied.run.status, explain(denied.run)).not.toBe(0);
    expect(denied.run.output).toContain('bw-scripted@1.0.0 (installScripts)');
    expect(denied.installed).toBe(false);

    expect((await admin('POST', 'waivers', { package: 'bw-scripted' }, 'wrong-token')).status).toBe(401);
    const expires = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const added = await admin('POST', 'waivers', {
      package: FIXTURES.scripted.name,
      versions: FIXTURES.scripted.version,
      rules: ['installScripts'],
      reason: 'reviewed: the postinstall only prints',
      expires,
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const waiver = added.body.waiver as StoredWaiver;

    const allowed = await installScripted('waiver-during');
    expect(allowed.run.status, explain(allowed.run)).toBe(0);
    expect(allowed.installed).toBe(true);
    const waived = harness.decisions.filter(
      (d) => d.package === 'bw-scripted' && d.request === 'tarball' && d.waiver,
    );
    expect(waived.map((d) => [d.action, d.rule, d.waiver])).toContainEqual([
      'allow',
      'installScripts',
      waiver.id,
    ]);

    // The decision log behind the admin API has both outcomes.
    const logged = await admin('GET', 'decisions?package=bw-scripted&limit=50');
    expect(logged.status).toBe(200);
    const actions = (logged.body.decisions as DecisionRecord[])
      .filter((d) => d.request === 'tarball')
      .map((d) => d.action);
    expect(actions).toContain('deny');
    expect(actions).toContain('allow');

    expect((await admin('DELETE', `waivers/${encodeURIComponent(waiver.id)}`)).status).toBe(200);
    const again = await installScripted('waiver-after');
    expect(again.run.status, explain(again.run)).not.toBe(0);
    expect(again.installed).toBe(false);
  });
});
