import { defineRule } from '../define-rule.js';
import { sendsData, shapesNamed } from '../exfil-archive-upload/sends-data.js';
import { factsByFile } from '../fact-queries.js';

export const credentialsSecretRegex = defineRule({
  id: 'credentials-secret-regex',
  meta: {
    kind: 'threat',
    category: 'credentials',
    severity: 'high',
    confidence: 'medium',
    description:
      'Regexes for several token formats (GitHub, npm, AWS, Slack, GitLab…) in a file that sends data',
    references: [
      'https://www.stepsecurity.io/blog/ctrl-tinycolor-and-40-npm-packages-compromised',
      'https://attack.mitre.org/techniques/T1552/001/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const regexes = shapesNamed(fileFacts, 'secret-format-regex');
      if (regexes.length === 0) continue;
      const kinds = new Set(regexes.flatMap((fact) => fact.detail.split(',')));
      // One format is a validator or a redactor; a battery is a scanner, and sending makes it a harvester.
      if (kinds.size < 2 || !sendsData(fileFacts)) continue;
      const harvests = fileFacts.some(
        (fact) => (fact.kind === 'env-read' && fact.key === '*') || fact.kind === 'sensitive-path',
      );
      report({
        message: `${file} greps for ${[...kinds].join(', ')} tokens and sends data${harvests ? ' (with the environment or credential files)' : ''}`,
        at: regexes[0]?.at,
        confidence: kinds.size >= 3 && harvests ? 'high' : 'medium',
      });
    }
  },
});
