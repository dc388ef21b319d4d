import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

const drains = (source: string) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' && fact.shape === 'wallet-drain-rpc' ? [fact.detail] : [],
  );

describe('wallet-drain-rpc shape', () => {
  it('names balance reads, sends and approvals requested from a wallet', () => {
    expect(
      drains(
        "p.request({ method: 'eth_getBalance' }); p.request({ method: 'eth_sendTransaction' }); c.setApprovalForAll; x('setApprovalForAll');",
      ),
    ).toEqual(['eth_getBalance', 'eth_sendTransaction', 'setApprovalForAll']);
  });

  it('ignores other methods and prose mentioning them', () => {
    expect(drains("p.request({ method: 'eth_chainId' }); log('call eth_sendTransaction later');")).toEqual(
      [],
    );
  });
});
