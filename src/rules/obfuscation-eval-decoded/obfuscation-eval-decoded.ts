import type { CodeFact } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { factsByFile, isCallIn } from '../fact-queries.js';

/** Decodings that hide text from a reader; plain concatenation and \u escapes are common in normal code. */
const HIDING = new Set(['base64', 'hex', 'charcode', 'reverse']);
const EVAL_SIGNAL = /eval|function|exec|compile/i;

const isHiddenString = (fact: CodeFact): fact is Extract<CodeFact, { kind: 'string' }> =>
  fact.kind === 'string' && fact.decodedFrom !== undefined && HIDING.has(fact.decodedFrom);

export const obfuscationEvalDecoded = defineRule({
  id: 'obfuscation-eval-decoded',
  meta: {
    kind: 'threat',
    category: 'obfuscation',
    severity: 'high',
    confidence: 'high',
    description:
      'Code decodes a hidden string (base64, hex, char codes, reversed) and runs it with eval/Function/vm',
    references: [
      'https://attack.mitre.org/techniques/T1027/',
      'https://github.com/DataDog/guarddog/blob/main/RULES.md',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const fileFacts of factsByFile(facts).values()) {
      for (const fact of fileFacts) {
        if (fact.kind === 'flow' && isHiddenString(fact.from) && isCallIn(fact.to, ['eval'])) {
          report({
            message: `${fact.to.api} runs a ${fact.from.decodedFrom}-decoded string`,
            source: fact.from.at,
            sink: fact.to.at,
          });
        } else if (fact.kind === 'obfuscation' && EVAL_SIGNAL.test(fact.signal)) {
          report({ message: `${fact.signal}: ${fact.detail.slice(0, 80)}`, at: fact.at });
        }
      }
      const evals = fileFacts.filter((fact) => isCallIn(fact, ['eval']));
      const hidden = fileFacts.filter(isHiddenString);
      for (const call of evals) {
        if (call.kind !== 'call') continue;
        // eval(atob('…')) folds to a decoded string that is the call's own argument. (Matching by
        // line alone fired on minified bundles, where a whole file is one line.)
        const decoded = hidden.find((string) => call.args.includes(string.value));
        if (decoded)
          report({
            message: `${call.api} runs a ${decoded.decodedFrom}-decoded string`,
            source: decoded.at,
            sink: call.at,
          });
      }
    }
  },
});
