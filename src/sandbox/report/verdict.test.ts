import { describe, expect, it } from 'vitest';
import type { SandboxFinding } from '../types.js';
import { sandboxVerdict, toBehaviorFindings } from './verdict.js';

const finding = (
  rule: string,
  severity: SandboxFinding['severity'],
  confidence: SandboxFinding['confidence'],
  kind: SandboxFinding['kind'] = 'threat',
): SandboxFinding => ({
  rule,
  kind,
  severity,
  confidence,
  message: rule,
  evidence: [],
});

describe('sandbox verdict', () => {
  it('ignores capabilities', () => {
    expect(sandboxVerdict([finding('sandbox-network-capability', 'low', 'high', 'capability')])).toEqual({
      verdict: 'clean',
      score: 0,
    });
  });
  it('lets one decisive threat make a package malicious', () => {
    expect(sandboxVerdict([finding('a', 'high', 'high')])).toEqual({ verdict: 'malicious', score: 8 });
    expect(sandboxVerdict([finding('a', 'critical', 'high')])).toEqual({ verdict: 'malicious', score: 10 });
  });
  it('keeps corroborating non-decisive threats below malicious', () => {
    expect(sandboxVerdict([finding('a', 'high', 'medium')])).toEqual({ verdict: 'suspicious', score: 5.6 });
    expect(sandboxVerdict([finding('a', 'high', 'medium'), finding('b', 'high', 'medium')])).toEqual({
      verdict: 'suspicious',
      score: 7.4,
    });
  });
  it('counts a rule once, by its strongest finding', () => {
    expect(sandboxVerdict([finding('a', 'medium', 'high'), finding('a', 'medium', 'high')]).score).toBe(5);
  });
  it('needs three low-confidence rules for suspicious', () => {
    expect(sandboxVerdict([finding('a', 'medium', 'low'), finding('b', 'medium', 'low')])).toEqual({
      verdict: 'clean',
      score: 3.6,
    });
    expect(
      sandboxVerdict([
        finding('a', 'medium', 'low'),
        finding('b', 'medium', 'low'),
        finding('c', 'medium', 'low'),
      ]).verdict,
    ).toBe('suspicious');
  });

  it('converts findings to the inspect shape', () => {
    const [converted] = toBehaviorFindings([
      {
        ...finding('sandbox-honeytoken-read', 'high', 'high'),
        evidence: ['~/.ssh/id_rsa', 'token ssh-private-key'],
        actor: {
          run: 'default',
          phase: 'install',
          pid: 7,
          command: ['node', 'x.js'],
          package: 'p',
          script: 'postinstall',
        },
      },
    ]);
    expect(converted).toEqual({
      rule: 'sandbox-honeytoken-read',
      kind: 'threat',
      severity: 'high',
      confidence: 'high',
      message: 'sandbox-honeytoken-read',
      excerpt: 'default/install postinstall: ~/.ssh/id_rsa · token ssh-private-key',
    });
  });
});
