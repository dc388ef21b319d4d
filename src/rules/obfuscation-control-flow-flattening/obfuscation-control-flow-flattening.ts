import { shapesNamed } from '../browser-wallet-clipper/wallet-signals.js';
import { defineRule } from '../define-rule.js';
import { factsByFile } from '../fact-queries.js';

/** Dispatchers in one file that make it an obfuscator's output rather than one odd function. */
const MANY = 3;

export const obfuscationControlFlowFlattening = defineRule({
  id: 'obfuscation-control-flow-flattening',
  meta: {
    kind: 'threat',
    category: 'obfuscation',
    severity: 'high',
    confidence: 'medium',
    description:
      'Control-flow flattening: code cut into numbered cases run by while(true){switch(order[i++])}',
    references: [
      'https://github.com/javascript-obfuscator/javascript-obfuscator#controlflowflattening',
      'https://attack.mitre.org/techniques/T1027/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const dispatchers = shapesNamed(fileFacts, 'control-flow-flattening');
      const first = dispatchers[0];
      if (!first) continue;
      report({
        message: `${file} has ${dispatchers.length} flattened control-flow dispatcher(s): ${first.detail}`,
        at: first.at,
        severity: dispatchers.length >= MANY ? 'high' : 'medium',
      });
    }
  },
});
