import { defineRule } from '../define-rule.js';
import { factsOfKind, filesRunByInstallScripts } from '../fact-queries.js';

export const evasionSelfDelete = defineRule({
  id: 'evasion-self-delete',
  meta: {
    kind: 'threat',
    category: 'evasion',
    severity: 'high',
    confidence: 'medium',
    description: 'Deletes its own file or swaps its own package.json after running (anti-forensics)',
    references: [
      'https://attack.mitre.org/techniques/T1070/004/',
      'https://www.stepsecurity.io/blog/axios-compromised-on-npm-malicious-versions-drop-remote-access-trojan',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const installFiles = new Set(filesRunByInstallScripts(facts.manifest, facts.files));
    const shapes = factsOfKind(facts, 'shape');
    const deletes = shapes.filter((fact) => fact.shape === 'self-delete');
    const swaps = shapes.filter(
      (fact) => fact.shape === 'own-manifest-write' && installFiles.has(fact.at.file),
    );
    // Both together: the payload erases itself and leaves a clean manifest behind.
    const confidence = deletes.length > 0 && swaps.length > 0 ? 'high' : 'medium';
    for (const fact of deletes)
      report({ message: `${fact.at.file} deletes itself: ${fact.detail}`, at: fact.at, confidence });
    for (const fact of swaps)
      report({
        message: `${fact.at.file} runs at install and rewrites the package's own manifest: ${fact.detail}`,
        at: fact.at,
        confidence,
      });
  },
});
