import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, packageFacts } from '../rule-test-kit.js';
import { evasionSandboxFingerprint as rule } from './evasion-sandbox-fingerprint.js';

const shape = (name: string, detail: string, file = 'a.js', line = 2): CodeFact => ({
  kind: 'shape',
  shape: name,
  detail,
  at: at(file, line),
});
const blocklist = shape('sandbox-name-list', 'sandbox identities: wdagutilityaccount, hmarc, patex');

describe('evasion-sandbox-fingerprint', () => {
  it.each([
    ['os.hostname()', call('os.hostname', 'os', at('a.js', 4))],
    ['os.userInfo()', call('os.userInfo', 'os', at('a.js', 4))],
    ['process.env.COMPUTERNAME', { kind: 'env-read', key: 'COMPUTERNAME', at: at('a.js', 4) } as CodeFact],
    ['tasklist', call('child_process.execSync', 'process', at('a.js', 4), ['tasklist'])],
  ])('reports a blocklist matched against %s', (_, probe) => {
    const findings = rule.run(packageFacts({ code: [probe, blocklist] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'high', confidence: 'medium' });
    expect(findings[0]?.source?.line).toBe(4);
  });

  it('grades a blocklist with no identity read as weak', () => {
    expect(rule.run(packageFacts({ code: [blocklist] })).map((f) => [f.severity, f.confidence])).toEqual([
      ['medium', 'low'],
    ]);
  });

  it('reports an idle check in a file that spawns processes', () => {
    const findings = rule.run(
      packageFacts({
        code: [
          call('child_process.exec', 'process', at('a.js', 1), ['xprintidle']),
          shape('idle-check', 'xprintidle'),
        ],
      }),
    );
    expect(findings.map((f) => f.confidence)).toEqual(['medium']);
  });

  it('is silent for an idle check alone and for identity reads alone', () => {
    expect(rule.run(packageFacts({ code: [shape('idle-check', 'HIDIdleTime')] }))).toEqual([]);
    expect(rule.run(packageFacts({ code: [call('os.hostname', 'os', at('a.js'))] }))).toEqual([]);
  });
});
