/**
 * From sandbox findings to a verdict, on the same scale and with the same model as
 * `bulwark inspect` (src/analysis/score.ts): each threat rule counts once (its strongest
 * finding), weighted severity × confidence; rules combine as a noisy-OR; capabilities never move
 * the score; without one decisive finding (a high-confidence threat of high or critical severity)
 * the score stays below malicious, and without a threat above low confidence (or three rules)
 * below suspicious.
 */
import { findingWeight, MALICIOUS_SCORE, SUSPICIOUS_SCORE } from '../../analysis/score.js';
import type { SandboxFinding, SandboxVerdict } from '../types.js';

/** Mirrors score.ts's (unexported) rule count at which low-confidence threats corroborate. */
const LOW_CONFIDENCE_RULES_FOR_SUSPICIOUS = 3;

const isDecisive = (finding: SandboxFinding): boolean =>
  finding.kind === 'threat' &&
  finding.confidence === 'high' &&
  (finding.severity === 'critical' || finding.severity === 'high');

export const sandboxVerdict = (
  findings: readonly SandboxFinding[],
): { verdict: SandboxVerdict; score: number } => {
  const strongest = new Map<string, number>();
  for (const finding of findings) {
    // A sandbox finding has no source/sink locations, so it never takes inspect's chain bonus:
    // sandbox chains are their own rules with their own severity.
    const weight = findingWeight(finding);
    if (weight > (strongest.get(finding.rule) ?? 0)) strongest.set(finding.rule, weight);
  }
  let clear = 1;
  for (const weight of strongest.values()) clear *= 1 - weight;
  let score = 10 * (1 - clear);
  if (!findings.some(isDecisive)) score = Math.min(score, MALICIOUS_SCORE - 0.1);
  const firm = findings.some((finding) => finding.kind === 'threat' && finding.confidence !== 'low');
  if (!firm && strongest.size < LOW_CONFIDENCE_RULES_FOR_SUSPICIOUS)
    score = Math.min(score, SUSPICIOUS_SCORE - 0.1);
  score = Math.round(score * 10) / 10;
  const verdict: SandboxVerdict =
    score >= MALICIOUS_SCORE ? 'malicious' : score >= SUSPICIOUS_SCORE ? 'suspicious' : 'clean';
  return { verdict, score };
};
