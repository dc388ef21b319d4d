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
      'fetch/XHR or the wallet provider replaced, or the clipboard used, in a file carrying wallet-address regexes or address lists (clipper)',
    references: [
      'https://github.com/chalk/chalk/issues/656',
      'https://github.com/trezor/trezor-suite/issues/21376',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const patches = shapesNamed(fileFacts, 'network-api-patch', 'wallet-api-patch');
      const clipboard = shapesNamed(fileFacts, 'clipboard-access')[0];
      const hook = patches[0] ?? clipboard;
      if (!hook) continue;
      const kit = walletKit(fileFacts);
      const coins = new Set([...kit.regexCoins.keys(), ...kit.addressCounts.keys()]);
      const listed = [...kit.addressCounts.values()].some((n) => n >= 5);
      const walletHook = patches.some((fact) => fact.shape === 'wallet-api-patch');
      // Addresses plus a look-alike picker: the swap list of the chalk/debug payload.
      const picksLookAlike = kit.similarity !== undefined && kit.addressCounts.size > 0;
      // Interceptors (Sentry, msw, zone.js) patch fetch and XHR but carry no wallet addresses; a
      // clipper needs both: the hook to see traffic and the patterns to find and swap addresses.
      if (
        patches.length > 0 &&
        (coins.size >= 2 || listed || picksLookAlike || (walletHook && coins.size >= 1))
      ) {
        report({
          message: `${file} replaces ${[...new Set(patches.map((p) => p.detail.split(' ')[0]))].join(', ')} and carries ${describeKit(kit)}`,
          source: kit.first,
          sink: hook.at,
        });
      } else if (clipboard && (listed || picksLookAlike || coins.size >= 3)) {
        // A wallet UI copies one address and validates it; a clipboard clipper carries swap lists
        // or patterns for many coins.
        report({
          message: `${file} uses the clipboard (${clipboard.detail}) and carries ${describeKit(kit)}`,
          source: kit.first,
          sink: clipboard.at,
          confidence: listed && coins.size >= 2 ? 'high' : 'medium',
        });
      }
    }
  },
});
