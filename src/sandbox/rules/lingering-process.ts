import { defineSandboxRule } from './define-sandbox-rule.js';

export const lingeringProcess = defineSandboxRule({
  id: 'sandbox-lingering-process',
  kind: 'threat',
  severity: 'medium',
  confidence: 'low',
  description:
    'Processes the package started were still running after the phase ended (a daemon, miner or backdoor left behind)',
  detect({ report }, found) {
    for (const run of report.runs) {
      for (const phase of run.phases) {
        if (phase.lingering <= 0) continue;
        found({
          message: `${phase.lingering} process(es) outlived the ${phase.name} phase of the ${run.name} run and were killed`,
          evidence: [`run ${run.name}, phase ${phase.name}: ${phase.lingering} lingering`],
        });
      }
    }
  },
});
