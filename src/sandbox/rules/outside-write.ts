import { inToolCache, isSystemPath, isUnder, persistenceTarget } from '../report/classify-path.js';
import { isOutsidePackage } from '../report/files.js';
import type { Severity4 } from '../types.js';
import { defineSandboxRule } from './define-sandbox-rule.js';
import { PERSISTENCE_TARGETS } from './persistence.js';
import { commandLine, displayPath, outcome, who, writesOf } from './queries.js';

const GRADE: Record<string, { severity: Severity4; confidence: 'high' | 'medium' | 'low' }> = {
  // Shai-Hulud's workflow drop; agent configs that make a coding assistant run attacker text.
  'ci-workflow': { severity: 'high', confidence: 'medium' },
  'ai-agent-config': { severity: 'high', confidence: 'medium' },
  'editor-config': { severity: 'medium', confidence: 'medium' },
  'other-package': { severity: 'medium', confidence: 'medium' },
};

export const outsideWrite = defineSandboxRule({
  id: 'sandbox-outside-write',
  kind: 'threat',
  severity: 'medium',
  confidence: 'low',
  description:
    'A package process wrote outside its own directory and the temp dirs: other packages, CI workflows, editor and AI-agent configs, the home',
  detect(input, found) {
    for (const view of input.runs) {
      const context = { home: view.record.identity.home, project: view.record.identity.project };
      for (const write of writesOf(view)) {
        if (!isOutsidePackage(write.path, write.info) || inToolCache(write.path, context)) continue;
        if (isUnder(write.path, `${context.project}/node_modules/.cache`)) continue;
        if (write.event.kind === 'mkdir' && !write.event.result.ok) continue;
        if (!write.event.result.ok && isSystemPath(write.path)) continue;
        const target = persistenceTarget(write.path, context, write.info.packageRoot);
        if (target && PERSISTENCE_TARGETS.has(target)) continue;
        // Failed attempts in read-only system dirs say less than a successful write in the home.
        const where =
          target ??
          (isUnder(write.path, context.project)
            ? 'project'
            : isUnder(write.path, context.home)
              ? 'home'
              : 'system');
        const grade = GRADE[where] ?? { severity: 'medium' as const, confidence: 'low' as const };
        const shown = `${displayPath(write.path, view)}${outcome(write.event.result)}`;
        found({
          message: `${who(write.actor)} wrote outside its package (${where}): ${shown}`,
          evidence: [shown, commandLine(write.actor.command)],
          actor: write.actor,
          ...grade,
        });
      }
    }
  },
});
