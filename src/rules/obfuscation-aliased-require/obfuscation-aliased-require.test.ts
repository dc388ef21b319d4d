import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { obfuscationAliasedRequire as rule } from './obfuscation-aliased-require.js';

const stored = (detail: string): CodeFact => ({
  kind: 'shape',
  shape: 'require-on-global',
  detail,
  at: at('a.js', 1),
});
const aliased = (line: number): CodeFact => ({
  kind: 'obfuscation',
  signal: 'aliased-require',
  detail: 'require called as r',
  at: at('b.js', line, 3),
});
const load = (module: string, line: number): CodeFact => ({
  kind: 'import',
  module,
  dynamic: false,
  computed: false,
  at: at('b.js', line, 3),
});

describe('obfuscation-aliased-require', () => {
  it('reports require hidden on the global under another name, medium confidence', () => {
    expect(
      rule.run(packageFacts({ code: [stored('global.r = require')] })).map((f) => [f.message, f.confidence]),
    ).toEqual([['require stored on the global object: global.r = require', 'medium']]);
  });

  it('reports global.require = require at low confidence', () => {
    expect(
      rule.run(packageFacts({ code: [stored('global.require = require')] })).map((f) => f.confidence),
    ).toEqual(['low']);
  });

  it('reports a sensitive module loaded through the alias, high beside a stored require', () => {
    const code = [stored('global.r = require'), aliased(5), load('child_process', 5)];
    expect(rule.run(packageFacts({ code })).map((f) => [f.message, f.confidence])).toEqual([
      ['require stored on the global object: global.r = require', 'medium'],
      ['b.js loads child_process through an aliased require', 'high'],
    ]);
  });

  it('keeps an aliased sensitive require low beside global.require = require', () => {
    const code = [stored('global.require = require'), aliased(5), load('child_process', 5)];
    expect(rule.run(packageFacts({ code })).map((f) => f.confidence)).toEqual(['low', 'low']);
  });

  it('reports an aliased sensitive require alone at low confidence (createRequire aliases)', () => {
    expect(
      rule.run(packageFacts({ code: [aliased(5), load('child_process', 5)] })).map((f) => f.confidence),
    ).toEqual(['low']);
  });

  it.each([
    ['an aliased require of an ordinary module', [aliased(5), load('lodash', 5)]],
    ['a plain require of child_process', [load('child_process', 5)]],
    ['an alias elsewhere in the file', [aliased(9), load('child_process', 5)]],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});
