import type { DecisionRecord } from '../types.js';
import { terminalSafe } from './summary.js';

/** The stderr line `bulwark firewall` prints as a warn or deny happens; undefined for the rest. */
export const decisionLine = (decision: DecisionRecord): string | undefined => {
  const shown = decision.wouldBe ?? decision.action;
  if (shown !== 'warn' && shown !== 'deny') return undefined;
  const verb = decision.wouldBe && decision.wouldBe !== decision.action ? `would ${shown}` : shown;
  const who = [decision.client, decision.project].filter(Boolean).join(' in ');
  return `bulwark firewall: ${verb} ${decision.package}@${decision.version} (${decision.request}) [${decision.rule ?? 'policy'}] ${terminalSafe(decision.reason)}${who ? ` — ${terminalSafe(who)}` : ''}`;
};
