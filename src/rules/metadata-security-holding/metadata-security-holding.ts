import { defineRule } from '../define-rule.js';
import { location } from '../fact-queries.js';

/** npm's placeholder versions: `0.0.1-security`, `0.0.2-security`, optionally `.N`. */
const HOLDING_VERSION = /^0\.0\.\d+-security(?:\.\d+)?$/;

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
    version: 2,
  },
  detect({ facts, report }) {
    const held = new Set<string>();
    for (const signal of facts.metadata ?? [])
      if (signal.kind === 'security-holding') held.add(signal.version);
    // npm has also published `0.0.2-security` placeholders (crossenv); the tarball's own version says so.
    if (HOLDING_VERSION.test(facts.manifest.version)) held.add(facts.manifest.version);
    for (const version of held)
      report({
        message: `${version} is npm's security placeholder: an earlier publish of this name was removed as malware`,
        at: location('package.json'),
      });
  },
});
