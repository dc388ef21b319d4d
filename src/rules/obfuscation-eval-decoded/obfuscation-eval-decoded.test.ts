import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, flow, packageFacts, str } from '../rule-test-kit.js';
import { obfuscationEvalDecoded as rule } from './obfuscation-eval-decoded.js';

describe('obfuscation-eval-decoded', () => {
  it.each(['base64', 'hex', 'charcode', 'reverse'] as const)(
    'flags eval of a %s-decoded string passed as its argument',
    (decodedFrom) => {
      const findings = rule.run(
        packageFacts({
          code: [
            str("console.log('fixture')", at('a.js', 2, 6), decodedFrom),
            call('eval', 'eval', at('a.js', 2, 1), ["console.log('fixture')"]),
          ],
        }),
      );
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        message: `eval runs a ${decodedFrom}-decoded string`,
        confidence: 'high',
      });
    },
  );

  it('flags a decoded string that flows into Function on a later line', () => {
    const decoded = str('payload', at('a.js', 1), 'base64');
    const fn = call('Function', 'eval', at('a.js', 7));
    const findings = rule.run(packageFacts({ code: [decoded, fn, flow(decoded, fn)] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.source).toEqual(at('a.js', 1));
  });

  it('takes an extractor eval-chain signal', () => {
    const signal: CodeFact = {
      kind: 'obfuscation',
      signal: 'eval-decoded',
      detail: 'eval(atob(…))',
      at: at('a.js', 1),
    };
    expect(rule.run(packageFacts({ code: [signal] }))).toHaveLength(1);
  });

  it.each([
    ['a plain constant (the globalThis shim)', [call('Function', 'eval', at('a.js', 1), ['return this'])]],
    [
      'a decoded string that is never run',
      [str('data', at('a.js', 1), 'base64'), call('eval', 'eval', at('a.js', 9))],
    ],
    [
      'eval beside an escaped-unicode string',
      [str('ü', at('a.js', 1), 'unicode'), call('eval', 'eval', at('a.js', 1))],
    ],
    [
      // A minified bundle is one line: `"\x3c!--"` and `Function("return this")` share it.
      'a decoded string on the same line that is not the argument',
      [str('<!--', at('a.js', 1), 'hex'), call('Function', 'eval', at('a.js', 1), ['return this'])],
    ],
    [
      'a decoded string in another file on the same line',
      [str('x', at('b.js', 1), 'base64'), call('eval', 'eval', at('a.js', 1))],
    ],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});
