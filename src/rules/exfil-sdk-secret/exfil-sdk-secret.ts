import { INSTANCE } from '../../analysis/facts/shapes/secret-to-network.js';
import { defineRule } from '../define-rule.js';
import { factsOfKind } from '../fact-queries.js';

/** `seed` also names random-number and fixture seeds; the other names only name wallet secrets. */
const WEAK_NAME = /^_?seed$/i;

export const exfilSdkSecret = defineRule({
  id: 'exfil-sdk-secret',
  meta: {
    kind: 'threat',
    category: 'exfiltration',
    severity: 'critical',
    confidence: 'high',
    description: 'A private key, seed or mnemonic variable is sent in an HTTP request',
    references: [
      'https://socket.dev/blog/supply-chain-attack-solana-web3-js-library',
      'https://www.aikido.dev/blog/xrp-supplychain-attack-official-npm-package-infected-with-crypto-stealing-backdoor',
    ],
    version: 2,
  },
  detect({ facts, report }) {
    for (const fact of factsOfKind(facts, 'shape')) {
      if (fact.shape !== 'secret-to-network') continue;
      const name = fact.detail.split(' ')[0] ?? '';
      // A `seed`, or a `.post()` on an object not known to be an HTTP client, is weaker evidence.
      const weak = WEAK_NAME.test(name) || fact.detail.includes(`${INSTANCE}.`);
      report({
        message: `wallet secret leaves in a request: ${fact.detail}`,
        at: fact.at,
        ...(weak ? { confidence: 'medium' as const, severity: 'high' as const } : {}),
      });
    }
  },
});
