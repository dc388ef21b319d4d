import { describe, expect, it } from 'vitest';
import { findingsOf, itLeavesNoTrace, sandboxFixture } from '../../support/sandbox-e2e.js';

// The same xmlrpc-style replay under gVisor (--gvisor): the same findings from runsc's own syscall
// trace, the same sinkhole, nothing left behind.
describe('bulwark sandbox --gvisor: xmlrpc-style', () => {
  const run = sandboxFixture('xmlrpc-style', {
    args: ['--gvisor', '--no-ci'],
    markers: ['.xsync/kworker'],
  });

  it('is malicious, from the runsc trace', () => {
    const report = run.report();
    expect(run.outcome().cli.status).toBe(1);
    expect(report.sandbox.mode).toBe('gvisor');
    expect(report.verdict).toBe('malicious');
    expect(findingsOf(report, 'sandbox-credential-then-network').length).toBeGreaterThan(0);
    expect(report.honeytokens.read.map((read) => read.token)).toEqual(
      expect.arrayContaining(['ssh-private-key']),
    );
    expect(report.network.map((attempt) => attempt.host)).toContain('upload.file-drop.invalid');
    expect(report.files.some((file) => file.persistence === 'systemd-user')).toBe(true);
  });

  itLeavesNoTrace(run);
});
