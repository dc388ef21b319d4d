import { defineRule } from '../define-rule.js';
import { factsOfKind, filesRunByInstallScripts } from '../fact-queries.js';

export const evasionInstallLongTimer = defineRule({
  id: 'evasion-install-long-timer',
  meta: {
    kind: 'threat',
    category: 'evasion',
    severity: 'high',
    confidence: 'medium',
    description: 'A file run at install sets a timer of hours: the payload waits out sandbox runs',
    references: [
      'https://attack.mitre.org/techniques/T1497/003/',
      'https://checkmarx.com/blog/the-evolutionary-pattern-of-npm-package-xmlrpc/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const installFiles = new Set(filesRunByInstallScripts(facts.manifest, facts.files));
    if (installFiles.size === 0) return;
    for (const fact of factsOfKind(facts, 'shape')) {
      if (fact.shape !== 'long-timer' || !installFiles.has(fact.at.file)) continue;
      report({ message: `${fact.at.file} runs at install and sets ${fact.detail}`, at: fact.at });
    }
  },
});
