import { defineRule } from '../define-rule.js';
import { location } from '../fact-queries.js';

export const metadataMissingRepository = defineRule({
  id: 'metadata-missing-repository',
  meta: {
    kind: 'capability',
    category: 'metadata',
    severity: 'low',
    confidence: 'high',
    description: 'The package names no source repository: its code cannot be compared with a public source',
    references: [
      'https://docs.npmjs.com/cli/v10/configuring-npm/package-json#repository',
      'https://github.com/DataDog/guarddog/blob/main/RULES.md',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    if ((facts.metadata ?? []).some((signal) => signal.kind === 'missing-repository'))
      report({
        message: 'no repository in package.json or the registry document',
        at: location('package.json'),
      });
  },
});
