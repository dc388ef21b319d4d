import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { shape } from '../exfil-archive-upload/sends-data.js';
import { at, call, packageFacts } from '../rule-test-kit.js';
import { credentialsSecretRegex as rule } from './credentials-secret-regex.js';

const send = call('fetch', 'network', at('a.js', 9), ['https://collector.invalid']);
const envAll: CodeFact = { kind: 'env-read', key: '*', at: at('a.js', 5) };
const regex = (detail: string, line = 1) => shape('secret-format-regex', detail, at('a.js', line));

describe('credentials-secret-regex', () => {
  it('reports two formats in a file that sends at medium', () => {
    expect(rule.run(packageFacts({ code: [regex('github'), regex('npm', 2), send] }))).toEqual([
      expect.objectContaining({ confidence: 'medium', line: 1 }),
    ]);
  });

  it('reports three formats with the whole environment read at high', () => {
    const findings = rule.run(packageFacts({ code: [regex('github,npm'), regex('aws', 2), envAll, send] }));
    expect(findings[0]?.confidence).toBe('high');
    expect(findings[0]?.message).toContain('github, npm, aws');
  });

  it('is silent for one format (a validator), and for a battery that sends nothing (a redactor)', () => {
    expect(rule.run(packageFacts({ code: [regex('npm'), send] }))).toEqual([]);
    expect(rule.run(packageFacts({ code: [regex('github,npm,aws'), envAll] }))).toEqual([]);
  });
});
