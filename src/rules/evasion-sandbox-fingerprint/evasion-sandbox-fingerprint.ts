import type { CodeFact } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { processListing } from '../evasion-monitor-tool-check/evasion-monitor-tool-check.js';
import { factsByFile, isCallIn } from '../fact-queries.js';

const IDENTITY_ENV = /^(?:USER|USERNAME|LOGNAME|COMPUTERNAME|HOSTNAME|USERDOMAIN)$/;

/** Where the file learns whose machine it runs on. */
const identityRead = (facts: readonly CodeFact[]): CodeFact | undefined =>
  facts.find(
    (fact) =>
      (isCallIn(fact, ['os']) && (fact.api === 'os.hostname' || fact.api === 'os.userInfo')) ||
      (fact.kind === 'env-read' && IDENTITY_ENV.test(fact.key)),
  );

export const evasionSandboxFingerprint = defineRule({
  id: 'evasion-sandbox-fingerprint',
  meta: {
    kind: 'threat',
    category: 'evasion',
    severity: 'high',
    confidence: 'medium',
    description:
      'Compares the host with sandbox/VM blocklists (usernames, hostnames, guest processes) or checks user idle time',
    references: [
      'https://attack.mitre.org/techniques/T1497/001/',
      'https://attack.mitre.org/techniques/T1497/002/',
      'https://checkmarx.com/blog/the-evolutionary-pattern-of-npm-package-xmlrpc/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const identity = identityRead(fileFacts);
      const listing = processListing(fileFacts);
      const spawns = fileFacts.some((fact) => isCallIn(fact, ['process']));
      for (const fact of fileFacts) {
        if (fact.kind !== 'shape') continue;
        if (fact.shape === 'sandbox-name-list') {
          const probe = identity ?? listing;
          if (probe)
            report({
              message: `${file} matches the host against ${fact.detail}`,
              source: probe.at,
              sink: fact.at,
            });
          else
            report({
              message: `${file} holds ${fact.detail}`,
              at: fact.at,
              severity: 'medium',
              confidence: 'low',
            });
        } else if (fact.shape === 'idle-check' && spawns) {
          // Waiting for an unattended machine; a screensaver or presence tool also asks, hence medium.
          report({ message: `${file} checks how long the user has been idle (${fact.detail})`, at: fact.at });
        }
      }
    }
  },
});
