import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { runtimeUnboundedLoop as rule } from './runtime-unbounded-loop.js';

const shape = (name: string, detail: string): CodeFact => ({
  kind: 'shape',
  shape: name,
  detail,
  at: at('a.js', 4),
});

describe('runtime-unbounded-loop', () => {
  it('reports each unbounded-loop shape, counting to Infinity at high confidence', () => {
    const findings = rule.run(
      packageFacts({
        code: [
          shape('unbounded-loop', 'counts to Infinity at module top level, no exit'),
          { ...shape('unbounded-loop', 'endless loop at module top level, no exit'), at: at('b.js', 9) },
        ],
      }),
    );
    expect(findings.map((f) => [f.file, f.severity, f.confidence])).toEqual([
      ['a.js', 'high', 'high'],
      ['b.js', 'high', 'medium'],
    ]);
  });

  it('is silent for other shapes', () => {
    expect(rule.run(packageFacts({ code: [shape('long-timer', 'setInterval every 12 h')] }))).toEqual([]);
  });
});
