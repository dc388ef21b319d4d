import { describeKit, walletKit } from '../browser-wallet-clipper/wallet-signals.js';
import { defineRule } from '../define-rule.js';
import { factsByFile } from '../fact-queries.js';

/** Addresses of one coin that make a list rather than a constant (a contract, a donation address). */
const LIST = 5;

export const exfilWalletAddressBattery = defineRule({
  id: 'exfil-wallet-address-battery',
  meta: {
    kind: 'threat',
    category: 'exfiltration',
    severity: 'high',
    confidence: 'medium',
    description:
      'Address regexes for three or more coins, or lists of hard-coded addresses for several coins, in one file',
    references: [
      'https://github.com/chalk/chalk/issues/656',
      'https://attack.mitre.org/techniques/T1565/002/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const kit = walletKit(fileFacts);
      if (!kit.first) continue;
      const listedCoins = [...kit.addressCounts].filter(([, n]) => n >= LIST).length;
      // Swap lists for several coins are what a clipper replaces victims' addresses with; a regex
      // battery alone is also what a multi-coin address validator holds.
      const lists =
        listedCoins >= 2 || (listedCoins >= 1 && (kit.regexCoins.size >= 2 || kit.similarity !== undefined));
      if (!lists && kit.regexCoins.size < 3) continue;
      report({
        message: `${file} carries ${describeKit(kit)}`,
        at: kit.first,
        confidence: lists ? 'medium' : 'low',
      });
    }
  },
});
