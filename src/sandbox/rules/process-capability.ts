import { defineSandboxRule } from './define-sandbox-rule.js';
import { commandLine } from './queries.js';

export const processCapability = defineSandboxRule({
  id: 'sandbox-process-capability',
  kind: 'capability',
  severity: 'low',
  confidence: 'high',
  description: 'The package started processes (lifecycle scripts, builds, tools)',
  detect({ runs }, found) {
    const commands = new Set<string>();
    for (const view of runs)
      for (const { exec } of view.execs) if (exec.result.ok) commands.add(commandLine(exec.argv, 120));
    if (commands.size === 0) return;
    found({ message: `the package started ${commands.size} distinct command(s)`, evidence: [...commands] });
  },
});
