import { defineRule } from '../define-rule.js';
import { location } from '../fact-queries.js';

export const installScriptPresent = defineRule({
  id: 'install-script-present',
  meta: {
    kind: 'capability',
    category: 'install',
    severity: 'low',
    confidence: 'high',
    description: 'The package runs code when it is installed (lifecycle script or binding.gyp)',
    references: [
      'https://docs.npmjs.com/cli/v10/using-npm/scripts#life-cycle-scripts',
      'https://github.com/DataDog/guarddog/blob/main/RULES.md',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [hook, command] of Object.entries(facts.manifest.installScripts)) {
      report({
        message: `install hook "${hook}" runs: ${command.slice(0, 120)}`,
        at: location('package.json'),
      });
    }
    if (facts.manifest.bindingGyp) {
      const expansions = facts.manifest.bindingGyp.commands.length;
      report({
        message: `binding.gyp makes npm run node-gyp at install${expansions ? ` (${expansions} command expansion(s))` : ''}`,
        at: location('binding.gyp'),
      });
    }
  },
});
