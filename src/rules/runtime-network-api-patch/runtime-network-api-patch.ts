import { shapesNamed } from '../browser-wallet-clipper/wallet-signals.js';
import { defineRule } from '../define-rule.js';
import { factsByFile } from '../fact-queries.js';

export const runtimeNetworkApiPatch = defineRule({
  id: 'runtime-network-api-patch',
  meta: {
    kind: 'capability',
    category: 'runtime',
    severity: 'low',
    confidence: 'high',
    description: 'Replaces the browser’s fetch, XMLHttpRequest or WebSocket for the whole page',
    references: [
      'https://github.com/chalk/chalk/issues/656',
      'https://developer.mozilla.org/en-US/docs/Web/API/Window/fetch',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const patches = shapesNamed(fileFacts, 'network-api-patch');
      const first = patches[0];
      if (!first) continue;
      const apis = [...new Set(patches.map((patch) => patch.detail.split(' ')[0]))];
      report({ message: `${file} replaces ${apis.join(', ')}`, at: first.at });
    }
  },
});
