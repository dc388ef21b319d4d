import { defineRule } from '../define-rule.js';
import { factsOfKind } from '../fact-queries.js';

/** A directory the user does not manage as a tool dir: home (`~` after folding), temp, hidden, AppData. */
const PLANTED_DIR =
  /^(?:~|\$HOME|%USERPROFILE%|%APPDATA%|%LOCALAPPDATA%|\/tmp\b|\/var\/tmp\b|\/dev\/shm\b)|[\\/]\.(?!bin\b)[\w-]+|AppData[\\/]/i;

export const persistenceLoadPathHijack = defineRule({
  id: 'persistence-load-path-hijack',
  meta: {
    kind: 'threat',
    category: 'persistence',
    severity: 'high',
    confidence: 'medium',
    description:
      'Adds a home, temp or hidden directory to module.paths or in front of PATH, so planted code or tools win',
    references: [
      'https://attack.mitre.org/techniques/T1574/007/',
      'https://socket.dev/blog/npm-is-package-hijacked-in-expanded-supply-chain-attack',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const fact of factsOfKind(facts, 'shape')) {
      if (fact.shape !== 'module-path-add' && fact.shape !== 'path-prepend') continue;
      const dir = fact.detail.replace(/^.*?(?:\(|prepends )/, '');
      if (!PLANTED_DIR.test(dir)) continue;
      report({ message: `${fact.at.file}: ${fact.detail}`, at: fact.at });
    }
  },
});
