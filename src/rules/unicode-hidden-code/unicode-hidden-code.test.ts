import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, fileStats, packageFacts } from '../rule-test-kit.js';
import { unicodeHiddenCode as rule } from './unicode-hidden-code.js';

const unicode = (signal: 'invisible' | 'bidi' | 'variation-selector', count: number): CodeFact => ({
  kind: 'unicode',
  signal,
  count,
  at: at('a.js', 2),
});
const evalCall = call('eval', 'eval', at('a.js', 3));

describe('unicode-hidden-code', () => {
  it('reports many variation selectors beside eval at high confidence', () => {
    const findings = rule.run(packageFacts({ code: [unicode('variation-selector', 300), evalCall] }));
    expect(findings).toEqual([
      expect.objectContaining({
        confidence: 'high',
        message: 'a.js has 300 variation-selector characters and evaluates code',
      }),
    ]);
  });

  it('reports the same payload without eval at low confidence', () => {
    expect(rule.run(packageFacts({ code: [unicode('invisible', 64)] })).map((f) => f.confidence)).toEqual([
      'low',
    ]);
  });

  it('grades Unicode tables beside an unrelated eval in a multi-megabyte bundle low', () => {
    const bundle = (count: number) =>
      rule.run(
        packageFacts({
          code: [unicode('invisible', count), unicode('bidi', 6), evalCall],
          files: [fileStats('a.js', { bytes: 5_000_000 })],
        }),
      );
    expect(bundle(98).map((f) => f.confidence)).toEqual(['low', 'low']);
    expect(bundle(4000).map((f) => f.confidence)).toEqual(['high', 'low']);
  });

  it('grades code pushed a thousand columns off-screen high even without eval', () => {
    const hidden = (spaces: number): CodeFact => ({
      kind: 'obfuscation',
      signal: 'whitespace-hidden-code',
      detail: `${spaces} spaces/tabs, then code at column ${spaces + 1}`,
      at: at('a.js', 5),
    });
    expect(rule.run(packageFacts({ code: [hidden(4000)] })).map((f) => f.confidence)).toEqual(['high']);
    expect(rule.run(packageFacts({ code: [hidden(300)] })).map((f) => f.confidence)).toEqual(['medium']);
  });

  it('reports any bidi override: low alone (text tables), medium beside eval', () => {
    const alone = rule.run(packageFacts({ code: [unicode('bidi', 1)] }));
    expect(alone.map((f) => f.confidence)).toEqual(['low']);
    const withEval = rule.run(packageFacts({ code: [unicode('bidi', 1), evalCall] }));
    expect(withEval.map((f) => f.confidence)).toEqual(['medium']);
  });

  it('reports code pushed off-screen', () => {
    const hidden: CodeFact = {
      kind: 'obfuscation',
      signal: 'hidden-whitespace',
      detail: '500 spaces before code',
      at: at('a.js', 1),
    };
    expect(rule.run(packageFacts({ code: [hidden, evalCall] })).map((f) => f.confidence)).toEqual(['high']);
  });

  it('is silent for emoji variation selectors and a zero-width joiner', () => {
    expect(
      rule.run(packageFacts({ code: [unicode('variation-selector', 3), unicode('invisible', 1), evalCall] })),
    ).toEqual([]);
  });
});
