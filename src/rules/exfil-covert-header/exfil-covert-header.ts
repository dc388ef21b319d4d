import { defineRule } from '../define-rule.js';
import { sendsData, shapesNamed } from '../exfil-archive-upload/sends-data.js';
import { factsByFile } from '../fact-queries.js';

export const exfilCovertHeader = defineRule({
  id: 'exfil-covert-header',
  meta: {
    kind: 'threat',
    category: 'exfiltration',
    severity: 'high',
    confidence: 'medium',
    description: 'A CDN response header (CF-Ray, CF-IPCountry) or ad header is set from data in a request',
    references: [
      'https://socket.dev/blog/supply-chain-attack-solana-web3-js-library',
      'https://attack.mitre.org/techniques/T1071/001/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const headers = shapesNamed(fileFacts, 'covert-header');
      if (headers.length === 0 || !sendsData(fileFacts)) continue;
      // With a wallet secret sent in the same file, the header is the carrier.
      const secret = shapesNamed(fileFacts, 'secret-to-network').length > 0;
      for (const header of headers)
        report({
          message: `${file}: ${header.detail} in an outgoing request`,
          at: header.at,
          confidence: secret ? 'high' : 'medium',
        });
    }
  },
});
