import { defineRule } from '../define-rule.js';
import { location } from '../fact-queries.js';

export const metadataSecurityHolding = defineRule({
  id: 'metadata-security-holding',
  meta: {
    kind: 'capability',
    category: 'metadata',
    severity: 'low',
    confidence: 'high',
    description: "npm's security holding package: the name once held malware and npm replaced it",
    references: [
      'https://docs.npmjs.com/policies/security#security-holding-packages',
      'https://github.com/npm/security-holder',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const signal of facts.metadata ?? []) {
      if (signal.kind !== 'security-holding') continue;
      report({
        message: `${signal.version} is npm's security placeholder: an earlier publish of this name was removed as malware`,
        at: location('package.json'),
      });
    }
  },
});
