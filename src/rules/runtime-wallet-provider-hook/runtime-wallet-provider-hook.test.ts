import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { runtimeWalletProviderHook as rule } from './runtime-wallet-provider-hook.js';

const shape = (name: string, detail: string, line = 1, file = 'index.js'): CodeFact => ({
  kind: 'shape',
  shape: name,
  detail,
  at: at(file, line),
});

describe('runtime-wallet-provider-hook', () => {
  it('reports one finding per file naming every hooked method', () => {
    const findings = rule.run(
      packageFacts({
        code: [
          shape('wallet-api-patch', 'ethereum.request redefined by defineProperty', 3),
          shape('wallet-api-patch', 'ethereum.sendAsync replaced by assignment', 9),
          shape('wallet-api-patch', 'solana.signTransaction replaced by assignment', 4, 'other.js'),
        ],
      }),
    );
    expect(findings.map((f) => [f.message, f.line, f.confidence])).toEqual([
      ['index.js replaces the page wallet’s ethereum.request, ethereum.sendAsync', 3, 'medium'],
      ['other.js replaces the page wallet’s solana.signTransaction', 4, 'medium'],
    ]);
  });

  it('is silent for a fetch patch', () => {
    const code = [shape('network-api-patch', 'fetch replaced by assignment')];
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});
