import { shapesNamed } from '../browser-wallet-clipper/wallet-signals.js';
import { defineRule } from '../define-rule.js';
import { factsByFile } from '../fact-queries.js';

export const runtimeWalletProviderHook = defineRule({
  id: 'runtime-wallet-provider-hook',
  meta: {
    kind: 'threat',
    category: 'runtime',
    severity: 'high',
    confidence: 'medium',
    description:
      'The page’s injected wallet (window.ethereum / window.solana) has its request or signing methods replaced',
    references: ['https://github.com/chalk/chalk/issues/656', 'https://eips.ethereum.org/EIPS/eip-1193'],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      // One finding per file: a wrapper that hooks request, send and sendAsync is one act.
      const hooks = shapesNamed(fileFacts, 'wallet-api-patch');
      const first = hooks[0];
      if (!first) continue;
      const apis = [...new Set(hooks.map((hook) => hook.detail.split(' ')[0]))];
      report({ message: `${file} replaces the page wallet’s ${apis.join(', ')}`, at: first.at });
    }
  },
});
