import type { Confidence } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { type FactOf, factsByFile } from '../fact-queries.js';

const bare = (name: string): string => (name.startsWith('node:') ? name.slice(5) : name);

/**
 * Modules split only to keep a bundler from resolving them: source-map-support 0.5.17 wrote
 * `require('worker_' + 'threads')` "so browserify does not try to resolve it". Running a worker
 * is no payload by itself; a decoded name is still reported.
 */
const SPLIT_FOR_BUNDLERS = new Set(['worker_threads']);

export const obfuscationComputedRequire = defineRule({
  id: 'obfuscation-computed-require',
  meta: {
    kind: 'threat',
    category: 'obfuscation',
    severity: 'high',
    confidence: 'medium',
    description:
      "require/import of a sensitive module whose name is assembled or decoded ('chi'+'ld_pro'+'cess', base64, char codes)",
    references: [
      'https://attack.mitre.org/techniques/T1027/',
      'https://checkmarx.com/blog/dozens-of-machines-infected-year-long-npm-supply-chain-attack-combines-crypto-mining-and-data-theft/',
    ],
    version: 2,
  },
  detect({ facts, report }) {
    for (const fileFacts of factsByFile(facts).values()) {
      // Extraction keeps a string fact for a sensitive module name only when it was built
      // (concatenated, decoded): a name in a plain literal or constant has none.
      const built = new Map<string, FactOf<'string'>>();
      for (const fact of fileFacts)
        if (fact.kind === 'string' && fact.decodedFrom !== undefined && !built.has(bare(fact.value)))
          built.set(bare(fact.value), fact);
      if (built.size === 0) continue;
      for (const fact of fileFacts) {
        if (fact.kind !== 'import' || !fact.computed || fact.module === '') continue;
        const name = built.get(bare(fact.module));
        if (!name) continue;
        if (name.decodedFrom === 'concat' && SPLIT_FOR_BUNDLERS.has(bare(fact.module))) continue;
        const how =
          name.decodedFrom === 'concat' ? 'assembled from fragments' : `${name.decodedFrom}-decoded`;
        // Splitting a name keeps it from a grep; encoding it is hiding it.
        const confidence: Confidence = name.decodedFrom === 'concat' ? 'medium' : 'high';
        report({
          message: `${fact.dynamic ? 'import()' : 'require'} of ${fact.module}, its name ${how}`,
          source: name.at,
          sink: fact.at,
          confidence,
        });
      }
    }
  },
});
