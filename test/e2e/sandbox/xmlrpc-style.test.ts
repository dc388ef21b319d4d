import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSandboxVerdicts } from '../../../src/sandbox/store/sandbox-verdicts.js';
import {
  expectBothRuns,
  findingsOf,
  itLeavesNoTrace,
  itTracedEveryProcess,
  operationsOn,
  sandboxFixture,
} from '../../support/sandbox-e2e.js';

// The @0xengine/xmlrpc replay: on require, ~/.ssh/id_rsa and ~/.bash_history gzipped and POSTed
// to a file-drop host (plus a Dropbox TLS attempt), a systemd user unit, a renamed "miner".
describe('bulwark sandbox: xmlrpc-style (steals on require, drops a miner with a systemd user unit)', () => {
  const run = sandboxFixture('xmlrpc-style', {
    markers: ['.xsync/kworker', 'xsync.service'],
    hostPaths: [
      join(homedir(), '.config/systemd/user/xsync.service'),
      join(homedir(), '.local/share/.xsync'),
    ],
  });

  it('calls it malicious and exits 1', () => {
    const { cli } = run.outcome();
    const report = run.report();
    expect(report.verdict).toBe('malicious');
    expect(report.score).toBeGreaterThanOrEqual(8);
    expect(cli.status).toBe(1);
    expect(report.package).toMatchObject({ name: 'xmlrpc-style', version: '1.3.4' });
    expect(report.package.integrity).toMatch(/^sha512-/);
  });

  it('ran install and import in both the developer and the CI run', () => {
    expectBothRuns(run.report());
  });

  it('sees the keys read on require, not at install', () => {
    const report = run.report();
    const reads = report.honeytokens.read;
    for (const token of ['ssh-private-key', 'bash-history-secret']) {
      const read = reads.find((r) => r.token === token);
      expect(read, `${token} read`).toBeDefined();
      expect(read?.actor).toMatchObject({ phase: 'import', package: 'xmlrpc-style' });
    }
    expect(reads.find((r) => r.token === 'ssh-private-key')?.path).toMatch(/\/\.ssh\/id_rsa$/);
    const findings = findingsOf(report, 'sandbox-honeytoken-read');
    expect(findings.map((f) => f.evidence.join(' ')).join('\n')).toMatch(/~\/\.ssh\/id_rsa/);
    expect(findings.every((f) => f.actor?.phase === 'import')).toBe(true);
    const ssh = report.files.find((file) => file.path.endsWith('/.ssh/id_rsa'));
    expect(ssh).toMatchObject({ sensitive: 'ssh', honeytoken: 'ssh-private-key' });
    expect(ssh?.operations).toContain('read');
  });

  it('sees the upload to the file-drop host over plain HTTP and the Dropbox TLS attempt', () => {
    const report = run.report();
    const upload = report.network.find((a) => a.host === 'upload.file-drop.invalid');
    expect(upload).toMatchObject({
      protocol: 'tcp',
      port: 80,
      http: { method: 'POST', target: '/api/upload' },
    });
    expect(upload?.bytesSent).toBeGreaterThan(100);
    expect(upload?.actor).toMatchObject({ phase: 'import', package: 'xmlrpc-style' });
    const dropbox = report.network.find(
      (a) => a.host === 'content.dropboxapi.invalid' || a.sni === 'content.dropboxapi.invalid',
    );
    expect(dropbox).toMatchObject({ protocol: 'tcp', port: 443 });
    expect(report.dns.map((q) => q.name)).toEqual(
      expect.arrayContaining(['upload.file-drop.invalid', 'content.dropboxapi.invalid']),
    );
    const chain = findingsOf(report, 'sandbox-credential-then-network');
    expect(chain.length).toBeGreaterThan(0);
    expect(chain[0]).toMatchObject({ severity: 'critical', confidence: 'high' });
    expect(chain.flatMap((f) => f.evidence).join('\n')).toMatch(/upload\.file-drop\.invalid/);
  });

  it('finds the honeytokens in the gzip+base64 upload', () => {
    const report = run.report();
    const out = report.honeytokens.exfiltrated.filter((e) => e.destination === 'upload.file-drop.invalid');
    expect(out.map((e) => e.token)).toEqual(
      expect.arrayContaining(['ssh-private-key', 'bash-history-secret']),
    );
    expect(out.every((e) => e.channel === 'http')).toBe(true);
    expect(new Set(out.map((e) => e.run))).toEqual(new Set(['default', 'ci']));
    expect(findingsOf(report, 'sandbox-honeytoken-exfiltration')[0]).toMatchObject({ severity: 'critical' });
  });

  it('marks the systemd user unit as persistence', () => {
    const report = run.report();
    const unit = report.files.find((file) => file.path.endsWith('/.config/systemd/user/xsync.service'));
    expect(unit).toMatchObject({ persistence: 'systemd-user', outsidePackage: true });
    expect(unit?.operations).toEqual(expect.arrayContaining([expect.stringMatching(/^(?:write|create)$/)]));
    const persistence = findingsOf(report, 'sandbox-persistence');
    expect(persistence.flatMap((f) => f.evidence).join('\n')).toMatch(/xsync\.service/);
  });

  it('sees the renamed miner copied to a hidden directory, made executable and started', () => {
    const report = run.report();
    const isMiner = (path: string) => path.endsWith('/.local/share/.xsync/kworker');
    expect(operationsOn(report, isMiner)).toEqual(expect.arrayContaining(['create', 'chmod', 'exec']));
    expect(report.files.some((file) => isMiner(file.path) && file.outsidePackage)).toBe(true);
    const started = report.processes.filter((p) => p.command.some((arg) => arg.endsWith('/.xsync/kworker')));
    expect(started.length).toBeGreaterThan(0);
    expect(started.every((p) => p.ofPackage)).toBe(true);
    const hidden = findingsOf(report, 'sandbox-exec-hidden-binary');
    expect(hidden.flatMap((f) => f.evidence).join('\n')).toMatch(/\.xsync\/kworker/);
    expect(hidden[0]).toMatchObject({ severity: 'high', confidence: 'high' });
  });

  it('records the malicious verdict for scan and the firewall (--store is the default)', () => {
    const report = run.report();
    const store = openSandboxVerdicts(join(run.outcome().home, 'cache', 'assessments.db'));
    try {
      const stored = store.getMany([report.package.integrity!]).get(report.package.integrity!);
      expect(stored).toMatchObject({ name: 'xmlrpc-style', version: '1.3.4', verdict: 'malicious' });
      expect(stored?.score).toBe(report.score);
      // The strongest threats, most severe first.
      expect(stored?.findings[0]).toMatchObject({ severity: 'critical' });
      const threats = new Set(report.findings.filter((f) => f.kind === 'threat').map((f) => f.rule));
      for (const finding of stored?.findings ?? []) expect(threats).toContain(finding.rule);
    } finally {
      store.close();
    }
  });

  itTracedEveryProcess(run);
  itLeavesNoTrace(run);
});
