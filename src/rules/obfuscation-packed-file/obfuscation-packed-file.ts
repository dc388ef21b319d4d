import { shapesNamed } from '../browser-wallet-clipper/wallet-signals.js';
import { defineRule } from '../define-rule.js';
import { factsByFile, isCallIn } from '../fact-queries.js';

/** A JavaScript file this large that no parser accepts is not a typo. */
const UNPARSABLE_BYTES = 20_000;
const JS = /\.[cm]?js$/;

export const obfuscationPackedFile = defineRule({
  id: 'obfuscation-packed-file',
  meta: {
    kind: 'threat',
    category: 'obfuscation',
    severity: 'high',
    confidence: 'medium',
    description:
      'Packed code: the p,a,c,k,e,d packer, a high-entropy line in a file that evaluates computed strings, or a large JavaScript file that does not parse',
    references: [
      'https://attack.mitre.org/techniques/T1027/002/',
      'https://checkmarx.com/blog/dozens-of-machines-infected-year-long-npm-supply-chain-attack-combines-crypto-mining-and-data-theft/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const byFile = factsByFile(facts);
    for (const [file, fileFacts] of byFile) {
      const packer = shapesNamed(fileFacts, 'packer-signature')[0];
      if (packer) {
        report({ message: `${file} is packed: ${packer.detail} unpacker`, at: packer.at });
        continue;
      }
      // A source map or a data table is a long dense line too; one beside eval of a computed
      // string is a payload being unpacked and run.
      const dense = fileFacts.find(
        (fact) => fact.kind === 'obfuscation' && fact.signal === 'high-entropy-line',
      );
      const runs = fileFacts.find((fact) => isCallIn(fact, ['eval']) && fact.args[0] === '');
      if (dense && dense.kind === 'obfuscation' && runs)
        report({
          message: `${file} evaluates computed code beside a dense line (${dense.detail})`,
          source: dense.at,
          sink: runs.at,
          confidence: 'low',
        });
    }
    for (const stats of facts.files) {
      if (!JS.test(stats.file) || stats.parsed || stats.binary || stats.bytes < UNPARSABLE_BYTES) continue;
      if (!stats.parseError?.startsWith('syntax')) continue;
      report({
        message: `${stats.file} (${Math.round(stats.bytes / 1024)} KiB) is not valid JavaScript: ${stats.parseError.slice(0, 80)}`,
        at: { file: stats.file, line: 1, column: 1 },
        severity: 'medium',
        confidence: 'low',
      });
    }
  },
});
