/**
 * From sandbox findings to a verdict, on the same scale and with the same model as
 * `bulwark inspect` (src/analysis/score.ts): each threat rule counts once (its strongest
 * finding), weighted severity × confidence; rules combine as a noisy-OR; capabilities never move
 * the score; without one decisive finding (a high-confidence threat of high or critical severity)
 * the score stays below malicious, and without a threat above low confidence (or three rules)
 * below suspicious.
 */
import { scoreFindings } from '../../analysis/score.js';
import type { BehaviorFinding } from '../../analysis/types.js';
import type { SandboxFinding, SandboxVerdict } from '../types.js';

/** A sandbox finding has no source/sink locations, so it never takes inspect's chain bonus: sandbox chains are their own rules. */
export const sandboxVerdict = (
  findings: readonly SandboxFinding[],
): { verdict: SandboxVerdict; score: number } => scoreFindings(findings);

/** Longest evidence excerpt carried into an inspect-shaped finding. */
const EXCERPT_LIMIT = 500;

/**
 * Sandbox findings in the shape of `bulwark inspect`'s (src/analysis/types.ts), for storing with
 * the package's assessment: the evidence lines become the excerpt, the actor its first words.
 */
export const toBehaviorFindings = (findings: readonly SandboxFinding[]): BehaviorFinding[] =>
  findings.map((finding) => {
    const who = finding.actor
      ? `${finding.actor.run}/${finding.actor.phase}${finding.actor.script ? ` ${finding.actor.script}` : ''}: `
      : '';
    const excerpt = `${who}${finding.evidence.join(' · ')}`;
    const out: BehaviorFinding = {
      rule: finding.rule,
      kind: finding.kind,
      severity: finding.severity,
      confidence: finding.confidence,
      message: finding.message,
    };
    if (excerpt !== '')
      out.excerpt = excerpt.length > EXCERPT_LIMIT ? `${excerpt.slice(0, EXCERPT_LIMIT - 1)}…` : excerpt;
    return out;
  });
