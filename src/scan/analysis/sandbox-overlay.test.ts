import { describe, expect, it } from 'vitest';
import type { PackageAnalysis } from '../../analysis/analyze.js';
import { MALICIOUS_SCORE, SUSPICIOUS_SCORE } from '../../analysis/score.js';
import type { StoredSandboxVerdict } from '../../sandbox/store/sandbox-verdicts.js';
import { storedVerdict } from '../../sandbox/store/testdata/stored-verdict.js';
import type { AnalysisTarget } from './plan.js';
import type { TargetOutcome } from './run-analysis.js';
import { overlaySandboxVerdicts } from './sandbox-outcomes.js';
import { applySandboxVerdict, sandboxOnlyAnalysis } from './sandbox-overlay.js';

const INTEGRITY = 'sha512-AAAA';

const analysis = (verdict: PackageAnalysis['verdict'], score: number): PackageAnalysis => ({
  name: 'fixture',
  version: '1.0.0',
  integrity: INTEGRITY,
  verdict,
  score,
  capabilities: ['network'],
  findings: [
    { rule: 'network-raw-ip', kind: 'threat', severity: 'medium', confidence: 'low', message: 'raw ip' },
  ],
  analyzer: '0.3.1',
  problems: [],
  complete: true,
});

const stored = (
  verdict: StoredSandboxVerdict['verdict'],
  score: number,
  findings: StoredSandboxVerdict['findings'] = [
    { rule: 'exfil-http', severity: 'critical', message: 'POST of ~/.npmrc to c2.invalid' },
    { rule: 'honeytoken-read', severity: 'high', message: 'read ~/.aws/credentials' },
  ],
): StoredSandboxVerdict =>
  storedVerdict(INTEGRITY, { verdict, score, findings, tool: 'bulwark-sandbox 0.1.0' });

describe('applySandboxVerdict', () => {
  it('makes a clean package malicious, the sandbox findings first, as high-confidence threats', () => {
    const out = applySandboxVerdict(analysis('clean', 1.2), stored('malicious', 8.5));
    expect(out.verdict).toBe('malicious');
    expect(out.score).toBe(8.5);
    expect(out.capabilities).toEqual(['sandbox-malicious', 'network']);
    expect(out.findings.map((f) => f.rule)).toEqual([
      'sandbox/exfil-http',
      'sandbox/honeytoken-read',
      'network-raw-ip',
    ]);
    expect(out.findings[0]).toEqual({
      rule: 'sandbox/exfil-http',
      kind: 'threat',
      severity: 'critical',
      confidence: 'high',
      message: 'bulwark sandbox saw: POST of ~/.npmrc to c2.invalid',
    });
  });

  it('keeps the score at least at the malicious threshold and never below the static one', () => {
    expect(applySandboxVerdict(analysis('clean', 0), stored('malicious', 2)).score).toBe(MALICIOUS_SCORE);
    expect(applySandboxVerdict(analysis('malicious', 9.6), stored('malicious', 8)).score).toBe(9.6);
  });

  it('raises clean to suspicious, within the suspicious band', () => {
    const out = applySandboxVerdict(analysis('clean', 1), stored('suspicious', 9));
    expect(out.verdict).toBe('suspicious');
    expect(out.score).toBeGreaterThanOrEqual(SUSPICIOUS_SCORE);
    expect(out.score).toBeLessThan(MALICIOUS_SCORE);
    expect(out.capabilities[0]).toBe('sandbox-suspicious');
    expect(out.findings[0]?.rule).toBe('sandbox/exfil-http');
    expect(applySandboxVerdict(analysis('clean', 0), stored('suspicious', 1)).score).toBe(SUSPICIOUS_SCORE);
  });

  it('never lowers: clean from the sandbox changes nothing, suspicious leaves a malicious verdict alone', () => {
    const bad = analysis('malicious', 9);
    expect(applySandboxVerdict(bad, stored('clean', 0))).toBe(bad);
    expect(applySandboxVerdict(bad, stored('suspicious', 5))).toBe(bad);
    const odd = analysis('suspicious', 5);
    expect(applySandboxVerdict(odd, stored('clean', 0))).toBe(odd);
    expect(applySandboxVerdict(odd, undefined)).toBe(odd);
  });

  it('names a verdict stored without findings', () => {
    const out = applySandboxVerdict(analysis('clean', 0), stored('malicious', 9, []));
    expect(out.findings[0]).toMatchObject({
      rule: 'sandbox/malicious',
      kind: 'threat',
      severity: 'critical',
    });
  });

  it('builds a verdict from the sandbox alone, with a note on why static analysis did not judge', () => {
    const out = sandboxOnlyAnalysis(stored('malicious', 9), {
      rule: 'analysis-time-limit',
      message: 'stopped',
    });
    expect(out).toMatchObject({ verdict: 'malicious', score: 9, analyzer: 'bulwark-sandbox 0.1.0' });
    expect(out.findings.map((f) => f.rule)).toEqual([
      'sandbox/exfil-http',
      'sandbox/honeytoken-read',
      'analysis-time-limit',
    ]);
  });
});

describe('overlaySandboxVerdicts', () => {
  const target = (integrity?: string): AnalysisTarget => ({
    key: 'k',
    name: 'fixture',
    version: '1.0.0',
    ...(integrity === undefined ? {} : { integrity }),
    packages: ['fixture@1.0.0'],
  });
  const verdicts = (verdict: StoredSandboxVerdict['verdict']) => new Map([[INTEGRITY, stored(verdict, 9)]]);

  it('turns an outcome static analysis could not judge into a malicious one', () => {
    const outcomes: TargetOutcome[] = [
      { target: target(INTEGRITY), cached: true, status: 'time-limit', limitMs: 10_000 },
      { target: target(INTEGRITY), cached: false, status: 'unreadable', message: 'not gzip' },
      { target: target(INTEGRITY), cached: false, status: 'failed', message: 'worker died' },
      {
        target: target(INTEGRITY),
        cached: false,
        status: 'not-analysed',
        reason: 'offline',
        detail: 'not cached',
      },
    ];
    const out = overlaySandboxVerdicts(outcomes, verdicts('malicious'));
    for (const outcome of out) {
      expect(outcome.status).toBe('analysed');
      if (outcome.status === 'analysed') expect(outcome.analysis.verdict).toBe('malicious');
    }
    expect(out[0]).toMatchObject({ cached: true });
    const rules = out.map((o) => (o.status === 'analysed' ? o.analysis.findings.at(-1)?.rule : undefined));
    expect(rules).toEqual([
      'analysis-time-limit',
      'analysis-unreadable-archive',
      'analysis-failed',
      'analysis-not-fetched',
    ]);
    // Suspicious or clean from the sandbox leaves "could not judge" as it was.
    expect(overlaySandboxVerdicts(outcomes, verdicts('suspicious'))).toEqual(outcomes);
  });

  it('matches a package without a lockfile integrity by the integrity its fetch computed', () => {
    const outcome: TargetOutcome = {
      target: target(),
      cached: false,
      status: 'analysed',
      analysis: analysis('clean', 0),
    };
    const [out] = overlaySandboxVerdicts([outcome], verdicts('malicious'));
    expect(out?.status === 'analysed' && out.analysis.verdict).toBe('malicious');
    expect(overlaySandboxVerdicts([outcome], new Map())[0]).toBe(outcome);
  });
});
