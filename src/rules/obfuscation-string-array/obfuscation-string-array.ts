import { defineRule } from '../define-rule.js';
import { type FactOf, factsByFile } from '../fact-queries.js';

/** Extraction signals of javascript-obfuscator (obfuscator.io) output. */
const STRING_ARRAY = /string-?array|obfuscator|_0x/i;

export const obfuscationStringArray = defineRule({
  id: 'obfuscation-string-array',
  meta: {
    kind: 'threat',
    category: 'obfuscation',
    severity: 'high',
    confidence: 'medium',
    description: 'obfuscator.io-style code: _0x identifiers and a rotated string array',
    references: [
      'https://github.com/javascript-obfuscator/javascript-obfuscator',
      'https://attack.mitre.org/techniques/T1027/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const signals = fileFacts.filter(
        (fact): fact is FactOf<'obfuscation'> =>
          fact.kind === 'obfuscation' && STRING_ARRAY.test(fact.signal),
      );
      const first = signals[0];
      if (!first) continue;
      const names = [...new Set(signals.map((fact) => fact.signal))];
      // Identifiers alone can be a mangler's choice; with the rotation loop it is obfuscator.io.
      // Still only suspicious alone: commercial SDKs obfuscate too. Corroboration decides.
      report({
        message: `${file} is obfuscated (${names.join(', ')}): ${first.detail.slice(0, 60)}`,
        at: first.at,
        confidence: 'medium',
        severity: names.length > 1 ? 'high' : 'medium',
      });
    }
  },
});
