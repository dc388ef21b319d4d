import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { exfilWalletAddressBattery as rule } from './exfil-wallet-address-battery.js';

const shape = (name: string, detail: string, line = 1): CodeFact => ({
  kind: 'shape',
  shape: name,
  detail,
  at: at('index.js', line),
});
const regex = (coin: string, line = 1) => shape('wallet-address-regex', `${coin} /…/`, line);
const address = (coin: string, n: number) => shape('wallet-address', `${coin} #${n}: …`, 10 + n);

describe('exfil-wallet-address-battery', () => {
  it('reports swap lists for two coins at medium confidence', () => {
    const code = [address('ETH', 1), address('ETH', 5), address('TRX', 1), address('TRX', 20)];
    const findings = rule.run(packageFacts({ code }));
    expect(findings.map((f) => [f.message, f.confidence])).toEqual([
      ['index.js carries hard-coded addresses (ETH ≥5, TRX ≥20)', 'medium'],
    ]);
  });

  it('reports a list of one coin beside regexes for two', () => {
    const code = [regex('ETH', 1), regex('BTC', 2), address('ETH', 1), address('ETH', 5)];
    expect(rule.run(packageFacts({ code })).map((f) => f.confidence)).toEqual(['medium']);
  });

  it('reports a list of one coin beside an edit-distance picker', () => {
    const code = [address('ETH', 1), address('ETH', 5), shape('edit-distance', 'Math.min(…)', 30)];
    expect(rule.run(packageFacts({ code })).map((f) => [f.message, f.confidence])).toEqual([
      ['index.js carries hard-coded addresses (ETH ≥5) and an edit-distance function', 'medium'],
    ]);
  });

  it('reports a regex battery for three coins at low confidence', () => {
    const findings = rule.run(packageFacts({ code: [regex('ETH', 3), regex('BTC', 4), regex('TRX', 5)] }));
    expect(findings.map((f) => [f.message, f.confidence, f.line])).toEqual([
      ['index.js carries address regexes for ETH/BTC/TRX', 'low', 3],
    ]);
  });

  it('skips test suites (validators test hundreds of sample addresses)', () => {
    const inTest = (fact: CodeFact): CodeFact => ({
      ...fact,
      at: at('test/validator.test.js', fact.at.line),
    });
    const code = [address('ETH', 1), address('ETH', 5), address('TRX', 1), address('TRX', 20)].map(inTest);
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });

  it.each([
    ['a validator with two coins', [regex('ETH'), regex('BTC', 2)]],
    ['one coin’s contract list (chain configs)', [address('ETH', 1), address('ETH', 5), address('ETH', 20)]],
    ['a donation address per coin', [address('ETH', 1), address('BTC', 1), address('SOL', 1)]],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});
