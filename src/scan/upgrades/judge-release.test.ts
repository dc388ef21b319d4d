import { describe, expect, it } from 'vitest';
import type { BehaviorFinding } from '../../analysis/types.js';
import type { GradedTransition } from '../../diff/metadata/grading.js';
import { type JudgedCode, judgeRelease } from './judge-release.js';

const threat = (rule: string, severity: BehaviorFinding['severity'] = 'high'): BehaviorFinding => ({
  rule,
  kind: 'threat',
  severity,
  confidence: 'high',
  message: `${rule} fired`,
  file: 'index.js',
  line: 3,
});
const capability = (rule: string): BehaviorFinding => ({ ...threat(rule, 'low'), kind: 'capability' });
const code = (verdict: JudgedCode['verdict'], findings: BehaviorFinding[] = [], score = 0): JudgedCode => ({
  verdict,
  score,
  findings,
});
const transition = (severity: GradedTransition['severity']): GradedTransition => ({
  kind: 'trust-downgrade',
  message: 'published with no provenance, while 1.0.0 had a provenance attestation',
  evidence: { level: 'none', best: 'provenance', bestVersion: '1.0.0' },
  severity,
  confidence: 'high',
});

describe('judgeRelease', () => {
  it('calls clean → malicious a turn, naming the new threat rules', () => {
    const turned = judgeRelease(
      '1.1.0',
      code('clean', [capability('fs-read')]),
      code('malicious', [threat('credential-exfiltration', 'critical'), capability('fs-read')], 9.5),
      [],
    );
    expect(turned).toMatchObject({
      version: '1.1.0',
      verdict: 'malicious',
      reasons: ['clean (score 0.0) → malicious (score 9.5) by credential-exfiltration'],
      metadata: [],
    });
    expect(turned!.findings.map((f) => f.rule)).toEqual(['credential-exfiltration']);
  });

  it('does not call a release that stays as malicious or as suspicious as the installed one a turn', () => {
    expect(
      judgeRelease('2.0.0', code('malicious', [threat('a')]), code('malicious', [threat('a')]), []),
    ).toBe(undefined);
    expect(
      judgeRelease('2.0.0', code('suspicious', [threat('a')]), code('suspicious', [threat('a')]), []),
    ).toBe(undefined);
    // suspicious again, by the same rules the installed clean release already triggered at a lower weight
    expect(
      judgeRelease('2.0.0', code('clean', [threat('a', 'low')]), code('suspicious', [threat('a')]), []),
    ).toBe(undefined);
  });

  it('calls clean → suspicious by a new threat rule a turn', () => {
    const turned = judgeRelease(
      '1.0.1',
      code('clean'),
      code('suspicious', [threat('obfuscated-eval')], 5),
      [],
    );
    expect(turned).toMatchObject({
      verdict: 'suspicious',
      reasons: ['clean (score 0.0) → suspicious (score 5.0) by obfuscated-eval'],
    });
  });

  it('reports a malicious release even when the installed one was not read, but not a suspicious one', () => {
    expect(judgeRelease('1.1.0', undefined, code('malicious', [threat('x')], 9), [])?.reasons[0]).toBe(
      'not analysed → malicious (score 9.0) by x',
    );
    expect(judgeRelease('1.1.0', undefined, code('suspicious', [threat('x')], 5), [])).toBe(undefined);
  });

  it('counts only high or critical metadata transitions, which make an otherwise clean release suspicious', () => {
    expect(judgeRelease('1.0.1', code('clean'), code('clean'), [transition('medium')])).toBe(undefined);
    const turned = judgeRelease('1.0.1', code('clean'), code('clean'), [transition('high')]);
    expect(turned).toMatchObject({
      verdict: 'suspicious',
      reasons: ['published with no provenance, while 1.0.0 had a provenance attestation'],
      metadata: [{ kind: 'trust-downgrade', severity: 'high' }],
    });
    // a release whose code could not be read is still judged on its metadata
    expect(judgeRelease('1.0.1', code('clean'), undefined, [transition('high')])?.verdict).toBe('suspicious');
  });
});
