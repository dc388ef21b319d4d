import type {
  BehaviorFinding,
  Confidence,
  Location,
  PackageFacts,
  RuleCategory,
  RuleKind,
} from '../analysis/types.js';
import type { Severity } from '../core/severity.js';

export type RuleMeta = {
  kind: RuleKind;
  category: RuleCategory;
  severity: Severity;
  confidence: Confidence;
  description: string;
  references: string[];
  /** Bump when the rule's behaviour changes, so cached assessments are redone. */
  version: number;
};

export type ReportInput = {
  message: string;
  at?: Location;
  /** For source → sink chains; `at` defaults to the sink. */
  source?: Location;
  sink?: Location;
  severity?: Severity;
  confidence?: Confidence;
};

export type RuleContext = {
  facts: PackageFacts;
  report: (input: ReportInput) => void;
};

export type RuleDefinition = {
  id: string;
  meta: RuleMeta;
  detect: (ctx: RuleContext) => void;
};

export type Rule = RuleDefinition & {
  /** Runs the rule over one package's facts; never more than MAX_FINDINGS_PER_RULE findings. */
  run: (facts: PackageFacts) => BehaviorFinding[];
};

/** A rule that matches every line of a minified bundle must not bury the other rules' findings. */
export const MAX_FINDINGS_PER_RULE = 20;

const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/;

export const defineRule = (definition: RuleDefinition): Rule => {
  if (!RULE_ID.test(definition.id))
    throw new Error(`rule id "${definition.id}" must be kebab-case <category>-<behaviour>`);
  if (!Number.isInteger(definition.meta.version) || definition.meta.version < 1)
    throw new Error(`rule ${definition.id}: meta.version must be a positive integer`);
  const run = (facts: PackageFacts): BehaviorFinding[] => {
    const findings: BehaviorFinding[] = [];
    const seen = new Set<string>();
    const report = (input: ReportInput): void => {
      if (findings.length >= MAX_FINDINGS_PER_RULE) return;
      const at = input.at ?? input.sink ?? input.source;
      const key = `${input.message}\0${at?.file}:${at?.line}:${at?.column}`;
      if (seen.has(key)) return;
      seen.add(key);
      const finding: BehaviorFinding = {
        rule: definition.id,
        kind: definition.meta.kind,
        severity: input.severity ?? definition.meta.severity,
        confidence: input.confidence ?? definition.meta.confidence,
        message: input.message,
      };
      if (at) {
        finding.file = at.file;
        finding.line = at.line;
        finding.column = at.column;
        if (at.excerpt !== undefined) finding.excerpt = at.excerpt;
      }
      if (input.source) finding.source = input.source;
      if (input.sink) finding.sink = input.sink;
      findings.push(finding);
    };
    definition.detect({ facts, report });
    return findings;
  };
  return { ...definition, run };
};
