import { defineRule } from '../define-rule.js';
import { factsOfKind } from '../fact-queries.js';

export const runtimeUnboundedLoop = defineRule({
  id: 'runtime-unbounded-loop',
  meta: {
    kind: 'threat',
    category: 'runtime',
    severity: 'high',
    confidence: 'medium',
    description: 'A loop with no exit runs when the module loads, or counts to Infinity (sabotage hang)',
    references: [
      'https://github.com/Marak/colors.js/issues/285',
      'https://attack.mitre.org/techniques/T1499/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const fact of factsOfKind(facts, 'shape')) {
      if (fact.shape !== 'unbounded-loop') continue;
      // Counting to Infinity with no way out is never an event loop (no popular package does it);
      // an endless top-level loop may be a daemon's main loop.
      const infinite = fact.detail.startsWith('counts to Infinity');
      report({
        message: `${fact.at.file}: ${fact.detail}`,
        at: fact.at,
        confidence: infinite ? 'high' : 'medium',
      });
    }
  },
});
