import { shapesNamed } from '../browser-wallet-clipper/wallet-signals.js';
import { defineRule } from '../define-rule.js';
import { factsByFile } from '../fact-queries.js';
import { remoteElements } from '../runtime-dom-script-injection/remote-elements.js';

export const drainerWalletPrompt = defineRule({
  id: 'drainer-wallet-prompt',
  meta: {
    kind: 'threat',
    category: 'credentials',
    severity: 'high',
    confidence: 'medium',
    description:
      'Wallet prompt text ("Connect Wallet", recovery phrase, claim airdrop) in a file that injects remote page code or hooks the wallet',
    references: [
      'https://github.com/LottieFiles/lottie-player/issues/255',
      'https://github.com/LedgerHQ/connect-kit/issues/29',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const prompt = shapesNamed(fileFacts, 'wallet-prompt')[0];
      if (!prompt) continue;
      // Wallet UI kits show the same words; a drainer shows them from code it injected into the
      // page, or beside a hook on the page's own wallet.
      const injected = remoteElements(fileFacts)[0];
      const hook = shapesNamed(fileFacts, 'wallet-api-patch')[0];
      const partner = injected
        ? { what: `injects a remote ${injected.tag} (${injected.url.slice(0, 60)})`, at: injected.at }
        : hook
          ? { what: `hooks ${hook.detail.split(' ')[0]}`, at: hook.at }
          : undefined;
      if (!partner) continue;
      report({
        message: `${file} shows "${prompt.detail}" and ${partner.what}`,
        source: prompt.at,
        sink: partner.at,
        confidence: injected && hook ? 'high' : 'medium',
      });
    }
  },
});
