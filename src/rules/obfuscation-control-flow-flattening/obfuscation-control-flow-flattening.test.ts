import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { obfuscationControlFlowFlattening as rule } from './obfuscation-control-flow-flattening.js';

const dispatcher = (line: number, file = 'index.js'): CodeFact => ({
  kind: 'shape',
  shape: 'control-flow-flattening',
  detail: '4 numbered cases dispatched by order[i++] in an endless loop',
  at: at(file, line),
});

describe('obfuscation-control-flow-flattening', () => {
  it('reports one dispatcher at medium severity', () => {
    const findings = rule.run(packageFacts({ code: [dispatcher(3)] }));
    expect(findings.map((f) => [f.message, f.severity, f.confidence, f.line])).toEqual([
      [
        'index.js has 1 flattened control-flow dispatcher(s): 4 numbered cases dispatched by order[i++] in an endless loop',
        'medium',
        'medium',
        3,
      ],
    ]);
  });

  it('reports a file of many dispatchers at high severity, once', () => {
    const findings = rule.run(packageFacts({ code: [dispatcher(3), dispatcher(9), dispatcher(20)] }));
    expect(findings.map((f) => f.severity)).toEqual(['high']);
  });

  it('counts dispatchers per file', () => {
    const findings = rule.run(
      packageFacts({ code: [dispatcher(3), dispatcher(9), dispatcher(20, 'other.js')] }),
    );
    expect(findings.map((f) => f.severity)).toEqual(['medium', 'medium']);
  });

  it('is silent without dispatchers', () => {
    const other: CodeFact = { kind: 'shape', shape: 'long-timer', detail: 'x', at: at('index.js') };
    expect(rule.run(packageFacts({ code: [other] }))).toEqual([]);
  });
});
