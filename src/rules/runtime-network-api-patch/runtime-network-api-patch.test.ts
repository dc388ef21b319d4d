import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { runtimeNetworkApiPatch as rule } from './runtime-network-api-patch.js';

const shape = (name: string, detail: string, line = 1): CodeFact => ({
  kind: 'shape',
  shape: name,
  detail,
  at: at('index.js', line),
});

describe('runtime-network-api-patch', () => {
  it('reports what a file replaces, as a capability', () => {
    const findings = rule.run(
      packageFacts({
        code: [
          shape('network-api-patch', 'fetch replaced by assignment', 2),
          shape('network-api-patch', 'XMLHttpRequest.prototype.open replaced by assignment', 8),
        ],
      }),
    );
    expect(findings.map((f) => [f.kind, f.message, f.line])).toEqual([
      ['capability', 'index.js replaces fetch, XMLHttpRequest.prototype.open', 2],
    ]);
  });

  it('is silent for a wallet hook (its own rule) and for no patch', () => {
    const code = [shape('wallet-api-patch', 'ethereum.request replaced by assignment')];
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});
