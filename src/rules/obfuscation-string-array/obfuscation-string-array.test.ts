import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { obfuscationStringArray as rule } from './obfuscation-string-array.js';

const signal = (name: string, file = 'a.js'): CodeFact => ({
  kind: 'obfuscation',
  signal: name,
  detail: 'detail',
  at: at(file, 1),
});

describe('obfuscation-string-array', () => {
  it('reports _0x identifiers with a rotation loop at high severity, once per file', () => {
    const findings = rule.run(
      packageFacts({ code: [signal('obfuscator-identifiers'), signal('string-array-rotation')] }),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'high',
        confidence: 'medium',
        message: 'a.js is obfuscated (obfuscator-identifiers, string-array-rotation): detail',
      }),
    ]);
  });

  it('reports one signal at medium confidence and severity', () => {
    expect(rule.run(packageFacts({ code: [signal('obfuscator-identifiers')] }))).toEqual([
      expect.objectContaining({ confidence: 'medium', severity: 'medium' }),
    ]);
  });

  it('ignores other obfuscation signals (minified or escaped code)', () => {
    expect(rule.run(packageFacts({ code: [signal('hex-escapes'), signal('high-entropy-line')] }))).toEqual(
      [],
    );
  });
});
