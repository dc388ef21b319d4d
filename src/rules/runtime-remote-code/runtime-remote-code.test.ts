import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, call, flow, packageFacts } from '../rule-test-kit.js';
import { runtimeRemoteCode as rule } from './runtime-remote-code.js';

const get = call('fetch', 'network', at('a.js', 3), ['https://code.invalid/stage2']);

describe('runtime-remote-code', () => {
  it('reports a response flowing into Function at high confidence', () => {
    const run = call('Function', 'eval', at('a.js', 30));
    const findings = rule.run(packageFacts({ code: [get, run, flow(get, run)] }));
    expect(findings).toEqual([expect.objectContaining({ confidence: 'high', source: get.at, sink: run.at })]);
  });

  it('grades a response from a URL the code was given (a dev server) medium', () => {
    const devServer = call('fetch', 'network', at('fetchThenEvalJs.js', 3));
    const local = call('fetch', 'network', at('b.js', 3), ['http://localhost:8081/bundle.js']);
    for (const from of [devServer, local]) {
      const run = call('eval', 'eval', at(from.at.file, 9));
      expect(rule.run(packageFacts({ code: [from, run, flow(from, run)] })).map((f) => f.confidence)).toEqual(
        ['medium'],
      );
    }
  });

  it('reports a dynamic eval near a network call at low confidence when no flow was seen', () => {
    const findings = rule.run(packageFacts({ code: [get, call('eval', 'eval', at('a.js', 6))] }));
    expect(findings.map((f) => f.confidence)).toEqual(['low']);
  });

  it('reports import() of a URL', () => {
    const remote: CodeFact = {
      kind: 'import',
      module: 'https://cdn.invalid/pkg@1/index.js',
      dynamic: true,
      computed: false,
      at: at('a.js', 1),
    };
    expect(rule.run(packageFacts({ code: [remote] })).map((f) => f.confidence)).toEqual(['medium']);
  });

  it('grades an import of an exact version from a CDN low (a browser shim, not a moving target)', () => {
    const shim: CodeFact = {
      kind: 'import',
      module: 'https://cdn.invalid/cliui@8.0.1/index.mjs',
      dynamic: false,
      computed: false,
      at: at('shim.mjs', 1),
    };
    expect(rule.run(packageFacts({ code: [shim] })).map((f) => f.confidence)).toEqual(['low']);
  });

  it.each([
    ['a constant eval near a fetch', [get, call('Function', 'eval', at('a.js', 4), ['return this'])]],
    ['a dynamic eval far from the fetch', [get, call('eval', 'eval', at('a.js', 80))]],
    ['a dynamic eval in another file', [get, call('eval', 'eval', at('b.js', 3))]],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});
