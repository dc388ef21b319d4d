import { describe, expect, it } from 'vitest';
import {
  expectBothRuns,
  findingsOf,
  itLeavesNoTrace,
  itTracedEveryProcess,
  sandboxFixture,
} from '../../support/sandbox-e2e.js';

// The Shai-Hulud replay: a postinstall reads ~/.npmrc, POSTs the _authToken to a webhook and runs
// `npm publish` of a package it wrote under /tmp (the registry is the sinkhole in the sandbox).
describe('bulwark sandbox: worm-publish (Shai-Hulud: npm token theft and a publish)', () => {
  const run = sandboxFixture('worm-publish', { markers: ['npm-pub-', 'bundle.js'] });

  it('calls it malicious and exits 1', () => {
    const report = run.report();
    expect(report.verdict).toBe('malicious');
    expect(run.outcome().cli.status).toBe(1);
    expect(report.package).toMatchObject({ name: 'worm-publish', version: '4.1.1' });
  });

  it('ran install and import in both the developer and the CI run', () => {
    expectBothRuns(run.report());
  });

  it('sees the postinstall read the npm token from ~/.npmrc (npm reading it is no finding)', () => {
    const report = run.report();
    const reads = report.honeytokens.read.filter((r) => r.token === 'npmrc-token');
    expect(reads.length).toBeGreaterThan(0);
    const byScript = reads.filter(
      (r) => r.actor?.script === 'postinstall' && r.actor.package === 'worm-publish',
    );
    expect(byScript.length).toBeGreaterThan(0);
    expect(byScript[0]?.path).toMatch(/\/\.npmrc$/);
    expect(findingsOf(report, 'sandbox-honeytoken-read').flatMap((f) => f.evidence)).toContain('~/.npmrc');
    const npmrc = report.files.find((file) => file.path.endsWith('/.npmrc'));
    expect(npmrc).toMatchObject({ sensitive: 'npmrc', honeytoken: 'npmrc-token' });
  });

  it('sees the token leave over plain HTTP to the webhook', () => {
    const report = run.report();
    const webhook = report.network.find((a) => a.host === 'webhook.exfil.invalid');
    expect(webhook).toMatchObject({ protocol: 'tcp', port: 80, http: { method: 'POST', target: '/' } });
    expect(webhook?.actor).toMatchObject({ phase: 'install', script: 'postinstall' });
    const out = report.honeytokens.exfiltrated.filter((e) => e.token === 'npmrc-token');
    expect(out).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'http', destination: 'webhook.exfil.invalid', encoding: 'raw' }),
      ]),
    );
    expect(new Set(out.map((e) => e.run))).toEqual(new Set(['default', 'ci']));
    expect(findingsOf(report, 'sandbox-honeytoken-exfiltration')[0]).toMatchObject({ severity: 'critical' });
    const chain = findingsOf(report, 'sandbox-credential-then-network');
    expect(chain[0]).toMatchObject({ severity: 'critical', confidence: 'high' });
    expect(chain[0]?.evidence).toEqual(
      expect.arrayContaining([
        'read ~/.npmrc (honeytoken)',
        expect.stringMatching(/webhook\.exfil\.invalid/),
      ]),
    );
  });

  it('sees the npm publish run by the postinstall, aimed at the registry', () => {
    const report = run.report();
    const publish = findingsOf(report, 'sandbox-npm-publish');
    expect(publish.length).toBeGreaterThan(0);
    expect(publish[0]).toMatchObject({ severity: 'critical', confidence: 'high' });
    expect(publish.flatMap((f) => f.evidence).join('\n')).toMatch(/\bpublish\b/);
    const publisher = report.processes.find((p) => p.command.includes('publish'));
    expect(publisher).toMatchObject({ ofPackage: true, phase: 'install', script: 'postinstall' });
    const registry = report.network.find(
      (a) => a.host === 'registry.npmjs.org' || a.sni === 'registry.npmjs.org',
    );
    expect(registry).toMatchObject({ protocol: 'tcp', port: 443 });
    expect(registry?.actor).toMatchObject({ script: 'postinstall', package: 'worm-publish' });
  });

  itTracedEveryProcess(run);
  itLeavesNoTrace(run);
});
