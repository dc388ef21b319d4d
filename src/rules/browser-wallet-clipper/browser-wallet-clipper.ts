import { defineRule } from '../define-rule.js';
import { factsByFile } from '../fact-queries.js';
import { describeKit, shapesNamed, walletKit } from './wallet-signals.js';

export const browserWalletClipper = defineRule({
  id: 'browser-wallet-clipper',
  meta: {
    kind: 'threat',
    category: 'exfiltration',
    severity: 'critical',
    confidence: 'high',
    description:
      'Browser fetch/XHR or wallet provider replaced in a file that carries wallet-address regexes or address lists (clipper)',
    references: [
      'https://github.com/chalk/chalk/issues/656',
      'https://github.com/trezor/trezor-suite/issues/21376',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const patches = shapesNamed(fileFacts, 'network-api-patch', 'wallet-api-patch');
      const patch = patches[0];
      if (!patch) continue;
      const kit = walletKit(fileFacts);
      const coins = new Set([...kit.regexCoins.keys(), ...kit.addressCounts.keys()]);
      const listed = [...kit.addressCounts.values()].some((n) => n >= 5);
      const walletHook = patches.some((fact) => fact.shape === 'wallet-api-patch');
      // Interceptors (Sentry, msw, zone.js) patch fetch and XHR but carry no wallet addresses; a
      // clipper needs both: the hook to see traffic and the patterns to find and swap addresses.
      if (coins.size >= 2 || listed || (walletHook && coins.size >= 1)) {
        report({
          message: `${file} replaces ${[...new Set(patches.map((p) => p.detail.split(' ')[0]))].join(', ')} and carries ${describeKit(kit)}`,
          source: kit.first,
          sink: patch.at,
        });
      }
    }
  },
});
