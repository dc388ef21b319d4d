import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { browserWalletClipper as rule } from './browser-wallet-clipper.js';

const shape = (name: string, detail: string, line = 1, file = 'index.js'): CodeFact => ({
  kind: 'shape',
  shape: name,
  detail,
  at: at(file, line),
});
const fetchPatch = shape('network-api-patch', 'fetch replaced by assignment', 20);
const walletPatch = shape('wallet-api-patch', 'ethereum.request redefined by defineProperty', 12);

describe('browser-wallet-clipper', () => {
  it('reports a fetch patch beside regexes for two coins, as a chain from the kit to the hook', () => {
    const findings = rule.run(
      packageFacts({
        code: [
          shape('wallet-address-regex', 'ETH /0x[a-fA-F0-9]{40}/', 2),
          shape('wallet-address-regex', 'TRX /T[1-9A-HJ-NP-Za-km-z]{33}/', 3),
          fetchPatch,
        ],
      }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'critical', confidence: 'high' });
    expect(findings[0]?.message).toBe('index.js replaces fetch and carries address regexes for ETH/TRX');
    expect(findings[0]?.source?.line).toBe(2);
    expect(findings[0]?.sink?.line).toBe(20);
  });

  it('reports a list of one coin’s addresses beside a patch', () => {
    const code = [
      shape('wallet-address', 'ETH #1: 0x…', 2),
      shape('wallet-address', 'ETH #5: 0x…', 6),
      fetchPatch,
    ];
    expect(rule.run(packageFacts({ code }))).toHaveLength(1);
  });

  it('reports a wallet provider hook beside a single coin regex', () => {
    const code = [shape('wallet-address-regex', 'ETH /0x[0-9a-f]{40}/', 2), walletPatch];
    expect(rule.run(packageFacts({ code }))).toHaveLength(1);
  });

  it('reports clipboard access beside swap lists: high with two coins, medium with one', () => {
    const clipboard = shape('clipboard-access', 'clipboardy.writeSync', 30);
    const ethList = [shape('wallet-address', 'ETH #1: 0x…', 2), shape('wallet-address', 'ETH #5: 0x…', 6)];
    const both = rule.run(
      packageFacts({ code: [...ethList, shape('wallet-address-regex', 'BTC /…/', 7), clipboard] }),
    );
    expect(both.map((f) => [f.message, f.confidence, f.sink?.line])).toEqual([
      [
        'index.js uses the clipboard (clipboardy.writeSync) and carries address regexes for BTC and hard-coded addresses (ETH ≥5)',
        'high',
        30,
      ],
    ]);
    expect(rule.run(packageFacts({ code: [...ethList, clipboard] })).map((f) => f.confidence)).toEqual([
      'medium',
    ]);
  });

  it('reports a patch beside one address and an edit-distance picker', () => {
    const code = [
      shape('wallet-address', 'ETH #1: 0x…', 2),
      shape('edit-distance', 'Math.min(…)', 4),
      fetchPatch,
    ];
    expect(rule.run(packageFacts({ code })).map((f) => f.message)).toEqual([
      'index.js replaces fetch and carries hard-coded addresses (ETH) and an edit-distance function',
    ]);
  });

  it.each([
    [
      'an edit-distance function beside a patch, no addresses',
      [shape('edit-distance', 'Math.min(…)', 4), fetchPatch],
    ],
    [
      'a wallet UI copying an address it validates for two coins',
      [
        shape('clipboard-access', 'navigator.clipboard.writeText'),
        shape('wallet-address-regex', 'ETH /x/', 2),
        shape('wallet-address-regex', 'BTC /y/', 3),
      ],
    ],
    ['a patch alone (instrumentation)', [fetchPatch]],
    ['one coin regex beside a fetch patch', [shape('wallet-address-regex', 'ETH /x/', 2), fetchPatch]],
    [
      'a regex battery without any patch (validators)',
      [shape('wallet-address-regex', 'ETH /x/', 2), shape('wallet-address-regex', 'BTC /y/', 3)],
    ],
    [
      'a patch and addresses in different files',
      [
        shape('wallet-address', 'ETH #5: 0x…', 2, 'chains.js'),
        shape('wallet-address', 'BTC #5: bc1…', 3, 'chains.js'),
        fetchPatch,
      ],
    ],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});
