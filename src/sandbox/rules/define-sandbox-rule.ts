import type { RunView } from '../report/run-view.js';
import type { Actor, SandboxFinding, SandboxReport, Severity4 } from '../types.js';

/** The report before findings and verdict: what the rules judge. */
export type SandboxObservations = Omit<SandboxReport, 'verdict' | 'score' | 'findings'>;

/** What a dynamic rule reads: the observations, and per run the attributed trace (failed calls included). */
export type SandboxRuleInput = { report: SandboxObservations; runs: readonly RunView[] };

export type SandboxReportInput = {
  message: string;
  evidence: string[];
  actor?: Actor;
  severity?: Severity4;
  confidence?: SandboxFinding['confidence'];
};

export type SandboxRuleDefinition = {
  /** `sandbox-<behaviour>`, never reused. */
  id: string;
  kind: SandboxFinding['kind'];
  severity: Severity4;
  confidence: SandboxFinding['confidence'];
  description: string;
  detect: (input: SandboxRuleInput, report: (finding: SandboxReportInput) => void) => void;
};

export type SandboxRule = SandboxRuleDefinition & { run: (input: SandboxRuleInput) => SandboxFinding[] };

/** A package that does one thing a thousand times must not bury the other findings. */
export const MAX_FINDINGS_PER_SANDBOX_RULE = 20;
const MAX_EVIDENCE = 8;

const RULE_ID = /^sandbox(?:-[a-z0-9]+)+$/;

export const defineSandboxRule = (definition: SandboxRuleDefinition): SandboxRule => {
  if (!RULE_ID.test(definition.id))
    throw new Error(`sandbox rule id "${definition.id}" must be sandbox-<behaviour>`);
  const run = (input: SandboxRuleInput): SandboxFinding[] => {
    const findings: SandboxFinding[] = [];
    const seen = new Set<string>();
    definition.detect(input, (found) => {
      if (findings.length >= MAX_FINDINGS_PER_SANDBOX_RULE) return;
      const key = `${found.message}\0${found.actor?.run}\0${found.actor?.pid}`;
      if (seen.has(key)) return;
      seen.add(key);
      const evidence =
        found.evidence.length > MAX_EVIDENCE
          ? [
              ...found.evidence.slice(0, MAX_EVIDENCE - 1),
              `… and ${found.evidence.length - MAX_EVIDENCE + 1} more`,
            ]
          : found.evidence;
      const finding: SandboxFinding = {
        rule: definition.id,
        kind: definition.kind,
        severity: found.severity ?? definition.severity,
        confidence: found.confidence ?? definition.confidence,
        message: found.message,
        evidence,
      };
      if (found.actor) finding.actor = found.actor;
      findings.push(finding);
    });
    return findings;
  };
  return { ...definition, run };
};
