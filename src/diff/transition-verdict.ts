import type { Assessment, BehaviorFinding } from '../analysis/types.js';
import { compareSeverity } from '../core/severity.js';
import type { PackageDelta } from './delta.js';
import type { GradedTransition } from './metadata/grading.js';

export type TransitionVerdict = 'benign' | 'suspicious' | 'malicious';

/** The verdict on a release transition and what drove it. */
export type Transition = {
  verdict: TransitionVerdict;
  /** One line per reason, most serious first. */
  reasons: string[];
  /** The findings new in `to` behind the verdict, most severe first. */
  evidence: BehaviorFinding[];
};

/**
 * malicious: `to` is malicious, `from` was not, and threats new in `to` are what changed.
 * suspicious: new threats, an install script added or changed, or a network capability gained
 * together with a newly referenced sensitive path (a credential file read and a way to send it),
 * or a high-severity registry-metadata transition (a new publisher who also dropped provenance).
 * benign: anything else — capabilities alone (a new `fs` use, a new dependency) are not a turn.
 */
export const transitionVerdict = (
  from: Assessment,
  to: Assessment,
  delta: PackageDelta,
  metadata: readonly GradedTransition[] = [],
): Transition => {
  const evidence = [...delta.findings].sort(
    (a, b) => compareSeverity(a.severity, b.severity) || a.rule.localeCompare(b.rule),
  );
  const reasons: string[] = [];
  const turned = to.verdict === 'malicious' && from.verdict !== 'malicious' && evidence.length > 0;
  if (turned)
    reasons.push(
      `${from.verdict} → malicious (score ${from.score.toFixed(1)} → ${to.score.toFixed(1)}) by ${rules(evidence)}`,
    );
  else if (evidence.length > 0) reasons.push(`new threat findings: ${rules(evidence)}`);
  for (const change of delta.installScripts)
    reasons.push(
      change.from === undefined
        ? `install script added: ${change.script}`
        : `install script changed: ${change.script}`,
    );
  const gainsNetwork = delta.added.includes('network') || delta.hosts.length > 0 || delta.ips.length > 0;
  const credentialAndNetwork = delta.sensitivePaths.length > 0 && gainsNetwork;
  if (credentialAndNetwork)
    reasons.push(
      `reads ${delta.sensitivePaths.join(', ')} and reaches ${[...delta.hosts, ...delta.ips].join(', ') || 'the network'} for the first time`,
    );
  // Each metadata signal alone is common in honest histories; only the graded-high pairs count.
  for (const change of metadata)
    if (change.severity === 'high' || change.severity === 'critical') reasons.push(change.message);
  const verdict: TransitionVerdict = turned ? 'malicious' : reasons.length > 0 ? 'suspicious' : 'benign';
  return { verdict, reasons, evidence };
};

const rules = (findings: readonly BehaviorFinding[]): string =>
  [...new Set(findings.map((f) => f.rule))].join(', ');
