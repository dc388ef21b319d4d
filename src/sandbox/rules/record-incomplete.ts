import { defineSandboxRule } from './define-sandbox-rule.js';

/**
 * Says where the recording stopped short, so a clean verdict is read for what it is. A package
 * can flood the trace to push its payload past the parser's limits, or wait out the time limit;
 * informational (a capability finding): it never moves the score.
 */
export const recordIncomplete = defineSandboxRule({
  id: 'sandbox-record-incomplete',
  kind: 'capability',
  severity: 'low',
  confidence: 'high',
  description:
    'Part of the behaviour was not recorded: trace events dropped at the limits, or a phase cut off by its time limit',
  detect({ runs }, found) {
    for (const view of runs) {
      const { name, trace, phases } = view.record;
      if (trace.dropped > 0)
        found({
          message: `the ${name} run's trace dropped ${trace.dropped} event(s) after its limits`,
          evidence: [`run ${name}: ${trace.dropped} events dropped`],
        });
      for (const phase of phases) {
        if (phase.status !== 'time-limit') continue;
        found({
          message: `the ${phase.name} phase of the ${name} run hit its time limit: a delayed payload may not have fired`,
          evidence: [
            `run ${name}, phase ${phase.name}: time-limit after ${Math.round((phase.endedAt - phase.startedAt) / 1000)} s`,
          ],
        });
      }
    }
  },
});
