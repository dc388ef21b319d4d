import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, packageFacts, str } from '../rule-test-kit.js';
import { obfuscationComputedRequire as rule } from './obfuscation-computed-require.js';

const load = (module: string, computed = true, dynamic = false, line = 4): CodeFact => ({
  kind: 'import',
  module,
  dynamic,
  computed,
  at: at('index.js', line),
});

describe('obfuscation-computed-require', () => {
  it('reports a module name assembled from fragments, medium confidence, from the name to the require', () => {
    const findings = rule.run(
      packageFacts({ code: [str('child_process', at('index.js', 2), 'concat'), load('child_process')] }),
    );
    expect(findings.map((f) => [f.message, f.confidence, f.source?.line, f.sink?.line])).toEqual([
      ['require of child_process, its name assembled from fragments', 'medium', 2, 4],
    ]);
  });

  it('is silent on worker_threads split to keep bundlers away, but not on it decoded', () => {
    const split = [str('worker_threads', at('index.js', 2), 'concat'), load('worker_threads')];
    expect(rule.run(packageFacts({ code: split }))).toEqual([]);
    const decoded = [str('worker_threads', at('index.js', 2), 'base64'), load('worker_threads')];
    expect(rule.run(packageFacts({ code: decoded }))).toHaveLength(1);
  });

  it('reports a decoded module name at high confidence, node: prefix or not', () => {
    const code = [str('node:vm', at('index.js', 1), 'base64'), load('vm', true, true)];
    expect(rule.run(packageFacts({ code })).map((f) => [f.message, f.confidence])).toEqual([
      ['import() of vm, its name base64-decoded', 'high'],
    ]);
  });

  it.each([
    ['a plain literal require', [load('child_process', false)]],
    ['a name held in a constant (bundler avoidance)', [load('child_process')]],
    ['a built name that is never required', [str('child_process', at('index.js', 1), 'concat')]],
    [
      'a computed require of another module',
      [str('child_process', at('index.js', 1), 'concat'), load('./plugins/x')],
    ],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});
