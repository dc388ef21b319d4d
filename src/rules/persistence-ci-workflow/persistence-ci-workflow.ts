import type { CodeFact } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { factsByFile, filesRunByInstallScripts, isCallIn, textsOf } from '../fact-queries.js';

const WORKFLOW_FILE = /\.github[\\/]workflows(?:[\\/]|$)/i;

const shape = (facts: readonly CodeFact[], name: string): CodeFact | undefined =>
  facts.find((fact) => fact.kind === 'shape' && fact.shape === name);

export const persistenceCiWorkflow = defineRule({
  id: 'persistence-ci-workflow',
  meta: {
    kind: 'threat',
    category: 'persistence',
    severity: 'high',
    confidence: 'medium',
    description:
      'Writes GitHub Actions workflows (a discussion-triggered backdoor) or registers the machine as a self-hosted runner',
    references: [
      'https://www.wiz.io/blog/shai-hulud-2-0-ongoing-supply-chain-attack',
      'https://attack.mitre.org/techniques/T1543/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const installFiles = new Set(filesRunByInstallScripts(facts.manifest, facts.files));
    const scaffolder = Object.keys(facts.manifest.bin).length > 0;
    for (const [file, fileFacts] of factsByFile(facts)) {
      const writes = fileFacts.filter((fact) => isCallIn(fact, ['filesystem-write']));
      const spawns = fileFacts.some((fact) => isCallIn(fact, ['process']));
      const trigger = shape(fileFacts, 'workflow-discussion-trigger');
      if (writes.length > 0) {
        const direct = writes.find((fact) => textsOf(fact).some((text) => WORKFLOW_FILE.test(text)));
        const named = fileFacts.find(
          (fact) => fact.kind === 'sensitive-path' && fact.category === 'ci-workflows',
        );
        const workflow = direct ?? named;
        // Scaffolders (create-* apps, playwright init-agents) write workflows when asked; at install,
        // or with a trigger any outsider can fire, it is a backdoor.
        const backdoor = trigger !== undefined || installFiles.has(file);
        if (workflow && (backdoor || !scaffolder))
          report({
            message: `${file} writes a GitHub Actions workflow${trigger ? ' run on any new discussion' : installFiles.has(file) ? ' at install' : ''}`,
            at: workflow.at,
            severity: backdoor ? 'high' : 'medium',
            confidence: trigger && direct ? 'high' : backdoor ? 'medium' : 'low',
          });
        else if (trigger)
          report({
            message: `${file} writes files and holds a workflow triggered by discussions`,
            at: trigger.at,
          });
      }
      // The registration-token route alone is in every GitHub API client; asking for a token and
      // running the runner's config script is the backdoor.
      const registration = shape(fileFacts, 'runner-registration');
      // Shai-Hulud 2.0's pair, even when obfuscation hides the writes and spawns: a
      // discussion-triggered workflow and a runner registration in one file.
      if (registration && trigger && writes.length === 0)
        report({
          message: `${file} holds a discussion-triggered workflow and registers a self-hosted runner`,
          source: registration.at,
          sink: trigger.at,
          confidence: 'high',
        });
      else if (registration?.kind === 'shape' && spawns)
        report({
          message: `${file} registers a self-hosted Actions runner (${registration.detail})`,
          at: registration.at,
        });
    }
  },
});
