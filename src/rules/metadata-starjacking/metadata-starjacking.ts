import { defineRule } from '../define-rule.js';
import { location } from '../fact-queries.js';

export const metadataStarjacking = defineRule({
  id: 'metadata-starjacking',
  meta: {
    kind: 'threat',
    category: 'metadata',
    severity: 'medium',
    confidence: 'medium',
    description: "The repository field points at a popular package's repository (StarJacking)",
    references: [
      'https://checkmarx.com/blog/starjacking-making-your-new-open-source-package-popular-in-a-snap/',
      'https://socket.dev/npm/issue/suspiciousStarActivity',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const signals = facts.metadata ?? [];
    const squatted = new Set(
      signals.flatMap((signal) => (signal.kind === 'typosquat' ? [signal.match.target] : [])),
    );
    for (const signal of signals) {
      if (signal.kind !== 'repository-of-popular-package') continue;
      // Borrowing the stars of the very package the name imitates is the combined StarJacking attack.
      const alsoSquats = squatted.has(signal.popular);
      report({
        message: `repository ${signal.repository} belongs to the popular package "${signal.popular}"${alsoSquats ? ', whose name this package also imitates' : ''}`,
        at: location('package.json'),
        ...(alsoSquats ? { severity: 'high' as const } : {}),
      });
    }
  },
});
