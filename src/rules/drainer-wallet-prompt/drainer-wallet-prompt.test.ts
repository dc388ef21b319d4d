import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { drainerWalletPrompt as rule } from './drainer-wallet-prompt.js';

const shape = (name: string, detail: string, line = 1, file = 'index.js'): CodeFact => ({
  kind: 'shape',
  shape: name,
  detail,
  at: at(file, line),
});
const prompt = shape('wallet-prompt', 'Connect Wallet', 3);
const iframe = shape('dom-src-url', 'iframe https://claim.invalid/modal', 9);
const hook = shape('wallet-api-patch', 'ethereum.request replaced by assignment', 12);

describe('drainer-wallet-prompt', () => {
  it('reports a prompt beside an injected remote frame, medium confidence', () => {
    const findings = rule.run(packageFacts({ code: [prompt, iframe] }));
    expect(findings.map((f) => [f.message, f.confidence, f.source?.line, f.sink?.line])).toEqual([
      [
        'index.js shows "Connect Wallet" and injects a remote iframe (https://claim.invalid/modal)',
        'medium',
        3,
        9,
      ],
    ]);
  });

  it('reports a prompt beside a wallet hook, and raises confidence when both are there', () => {
    expect(rule.run(packageFacts({ code: [prompt, hook] })).map((f) => f.confidence)).toEqual(['medium']);
    expect(rule.run(packageFacts({ code: [prompt, iframe, hook] })).map((f) => f.confidence)).toEqual([
      'high',
    ]);
  });

  it('is high when the injecting file also asks the wallet to send funds or loads floating CDN code', () => {
    const send = shape('wallet-drain-rpc', 'eth_sendTransaction', 20);
    const balance = shape('wallet-drain-rpc', 'eth_getBalance', 19);
    const floating: CodeFact = {
      kind: 'import',
      module: 'https://cdn.invalid/npm/kit@1',
      dynamic: true,
      computed: false,
      at: { file: 'index.js', line: 30, column: 1 },
    };
    const grade = (code: CodeFact[]) => rule.run(packageFacts({ code })).map((f) => f.confidence);
    expect(grade([prompt, iframe, balance, send])).toEqual(['high']);
    expect(grade([prompt, iframe, floating])).toEqual(['high']);
    expect(grade([prompt, iframe, balance])).toEqual(['medium']);
    expect(grade([prompt, send])).toEqual([]);
  });

  it.each([
    ['a prompt alone (a wallet UI kit)', [prompt]],
    ['an injected frame alone', [iframe]],
    [
      'a prompt and a frame in different files',
      [prompt, shape('dom-src-url', 'iframe https://x.invalid/', 1, 'b.js')],
    ],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});
