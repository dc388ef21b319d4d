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
    version: 2,
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
      // The third piece that makes it a drainer kit: it hooks the wallet, asks the wallet to move
      // funds or grant spending, or pulls more code from a CDN at a floating version.
      const drain = shapesNamed(fileFacts, 'wallet-drain-rpc').find(
        (shape) => shape.detail !== 'eth_getBalance',
      );
      const floating = fileFacts.find(
        (fact) =>
          fact.kind === 'import' && /^https?:\/\//i.test(fact.module) && !/@\d+\.\d+\.\d+/.test(fact.module),
      );
      const third = hook
        ? `hooks ${hook.detail.split(' ')[0]}`
        : drain
          ? `requests ${drain.detail}`
          : floating
            ? 'loads code from a CDN at a floating version'
            : undefined;
      const drainer = injected !== undefined && third !== undefined;
      report({
        message: `${file} shows "${prompt.detail}" and ${partner.what}${drainer ? `, and ${third}` : ''}`,
        source: prompt.at,
        sink: partner.at,
        confidence: drainer ? 'high' : 'medium',
      });
    }
  },
});
