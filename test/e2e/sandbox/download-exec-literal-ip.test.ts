import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  expectBothRuns,
  findingsOf,
  itLeavesNoTrace,
  itTracedEveryProcess,
  operationsOn,
  sandboxFixture,
} from '../../support/sandbox-e2e.js';

// A postinstall fetching http://203.0.113.7:8080/stage2.sh, writing /tmp/.cache-x/stage2,
// chmod +x, running it.
describe('bulwark sandbox: download-exec-literal-ip (second stage from a literal IP, run from /tmp)', () => {
  const hostStage = '/tmp/.cache-x/stage2';
  const stageWasThere = existsSync(hostStage);
  const run = sandboxFixture('download-exec-literal-ip', {
    markers: ['.cache-x/stage2'],
    hostPaths: stageWasThere ? [] : [hostStage],
  });

  it('calls it malicious and exits 1', () => {
    const report = run.report();
    expect(report.verdict).toBe('malicious');
    expect(run.outcome().cli.status).toBe(1);
    expect(report.package).toMatchObject({ name: 'download-exec-literal-ip', version: '2.0.0' });
  });

  it('ran install and import in both the developer and the CI run', () => {
    const report = run.report();
    expectBothRuns(report);
    for (const r of report.runs) expect(r.phases[0]?.stdout).toContain('stage2');
  });

  it('sees the plain-HTTP download from the literal address 203.0.113.7:8080', () => {
    const report = run.report();
    const download = report.network.find((a) => a.address === '203.0.113.7');
    expect(download).toMatchObject({
      protocol: 'tcp',
      port: 8080,
      literalIp: true,
      http: { method: 'GET', target: '/stage2.sh' },
    });
    expect(download?.actor).toMatchObject({
      phase: 'install',
      script: 'postinstall',
      package: 'download-exec-literal-ip',
    });
    // No lookup: the address is in the code.
    expect(report.dns.some((q) => q.name.includes('203.0.113.7'))).toBe(false);
    const literal = findingsOf(report, 'sandbox-literal-ip');
    expect(literal[0]?.evidence.join(' ')).toMatch(/203\.0\.113\.7/);
  });

  it('sees the file written to /tmp, made executable and run', () => {
    const report = run.report();
    expect(operationsOn(report, (path) => path === hostStage)).toEqual(
      expect.arrayContaining(['create', 'chmod', 'exec']),
    );
    const ran = report.processes.find((p) => p.command[0] === hostStage || p.command.includes(hostStage));
    expect(ran).toMatchObject({ ofPackage: true, phase: 'install' });
    const downloadExecute = findingsOf(report, 'sandbox-download-execute');
    expect(downloadExecute.length).toBeGreaterThan(0);
    expect(downloadExecute[0]).toMatchObject({ severity: 'high', confidence: 'high' });
    expect(downloadExecute.flatMap((f) => f.evidence).join('\n')).toMatch(/\/tmp\/\.cache-x\/stage2/);
    expect(
      findingsOf(report, 'sandbox-exec-hidden-binary')
        .flatMap((f) => f.evidence)
        .join('\n'),
    ).toMatch(/\.cache-x\/stage2/);
  });

  itTracedEveryProcess(run);
  itLeavesNoTrace(run);
});
