import { defineRule } from '../define-rule.js';
import { location } from '../fact-queries.js';

export const metadataDeprecated = defineRule({
  id: 'metadata-deprecated',
  meta: {
    kind: 'capability',
    category: 'metadata',
    severity: 'low',
    confidence: 'high',
    description: 'The maintainer deprecated this version on the registry',
    references: ['https://docs.npmjs.com/cli/v10/commands/npm-deprecate'],
    version: 1,
  },
  detect({ facts, report }) {
    for (const signal of facts.metadata ?? []) {
      if (signal.kind !== 'deprecated') continue;
      const text = signal.message.length > 160 ? `${signal.message.slice(0, 160)}…` : signal.message;
      report({ message: `${signal.version} is deprecated: ${text}`, at: location('package.json') });
    }
  },
});
