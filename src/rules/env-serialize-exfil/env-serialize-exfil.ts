import { defineRule } from '../define-rule.js';
import { factsByFile, isCallIn } from '../fact-queries.js';

export const envSerializeExfil = defineRule({
  id: 'env-serialize-exfil',
  meta: {
    kind: 'threat',
    category: 'exfiltration',
    severity: 'high',
    confidence: 'low',
    description: 'A file reads the whole environment and also talks to the network',
    references: [
      'https://attack.mitre.org/techniques/T1082/',
      'https://medium.com/@alex.birsan/dependency-confusion-4a5d60fec610',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const wholeEnv = fileFacts.find((fact) => fact.kind === 'env-read' && fact.key === '*');
      if (!wholeEnv) continue;
      // A seen flow from the environment is credential-exfil-chain's finding; this rule covers
      // the co-occurrence extraction could not connect.
      const flows = fileFacts.some(
        (fact) => fact.kind === 'flow' && fact.from.kind === 'env-read' && fact.from.key === '*',
      );
      if (flows) continue;
      const send = fileFacts.find((fact) => isCallIn(fact, ['network', 'dns']));
      if (send?.kind !== 'call') continue;
      report({
        message: `${file} reads the whole environment and calls ${send.api}`,
        source: wholeEnv.at,
        sink: send.at,
        at: wholeEnv.at,
      });
    }
  },
});
