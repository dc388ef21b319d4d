import type { BehaviorFinding } from '../../analysis/types.js';
import type { BehaviorDetails, BehaviorEvidence, Finding, Remediation } from '../../core/finding.js';
import type { DepNode } from '../../core/graph.js';
import { type GraphIndex, isDirect, nodeLabel, pathsTo } from '../../core/graph-ops.js';
import { compareSeverity, type Severity } from '../../core/severity.js';
import type { TargetOutcome } from './run-analysis.js';
import { SANDBOX_RULE_PREFIX } from './sandbox-overlay.js';

const MAX_EVIDENCE = 20;
const MAX_PATHS = 100;

/** Finding ids for packages the analyser could not judge (rule ids name the verdicts). */
export const PROBLEM_IDS = {
  'time-limit': 'analysis-time-limit',
  unreadable: 'analysis-unreadable-archive',
  incomplete: 'analysis-incomplete-archive',
  'integrity-mismatch': 'tarball-integrity-mismatch',
  failed: 'analysis-failed',
} as const;

/**
 * Behaviour findings, one per inventory package: a `malicious` verdict (critical, fails the scan
 * like known malware), a `suspicious` one (medium), or a package that could not be judged.
 * Clean packages yield nothing; their counts are in the analysis summary.
 */
export const behaviorFindings = (
  outcomes: readonly TargetOutcome[],
  nodes: readonly DepNode[],
  index: GraphIndex,
): Finding[] => {
  const byLabel = new Map<string, DepNode[]>();
  for (const node of nodes) {
    const label = `${node.name}@${node.version}`;
    byLabel.set(label, [...(byLabel.get(label) ?? []), node]);
  }
  const findings: Finding[] = [];
  for (const outcome of outcomes) {
    const shape = findingShape(outcome);
    if (!shape) continue;
    for (const label of outcome.target.packages) {
      const group = byLabel.get(label);
      if (!group?.length) continue;
      findings.push(toFinding(shape, group, index));
    }
  }
  return findings;
};

type FindingShape = Pick<Finding, 'id' | 'aliases' | 'summary' | 'severity' | 'remediation'> & {
  behavior: BehaviorDetails;
};

const findingShape = (outcome: TargetOutcome): FindingShape | undefined => {
  const { cached } = outcome;
  switch (outcome.status) {
    case 'analysed': {
      const { analysis } = outcome;
      if (analysis.verdict === 'clean') {
        // A clean verdict on part of an archive proves nothing: padding past a limit must not hide code.
        if (analysis.complete !== false) return undefined;
        const first = analysis.problems.find((p) => p.kind === 'limit') ?? analysis.problems[0];
        return problem(
          'incomplete',
          'medium',
          `The archive was not read whole (${first?.message ?? 'a limit was reached'}); what was read is clean`,
          'review it by hand or with bulwark inspect; a real package stays far below the limits',
          cached,
        );
      }
      const evidence = [...analysis.findings].sort(byWeight).slice(0, MAX_EVIDENCE).map(toEvidence);
      const threats = [...new Set(evidence.filter((e) => e.kind === 'threat').map((e) => e.rule))];
      const [id = `behavior-${analysis.verdict}`, ...aliases] = threats;
      const malicious = analysis.verdict === 'malicious';
      const top = evidence[0]?.message;
      const seen = isSandbox(evidence[0]) ? 'behaviour' : 'code';
      return {
        id,
        aliases,
        summary: `${malicious ? 'Malicious' : 'Suspicious'} ${seen} (score ${analysis.score.toFixed(1)}/10)${top ? `: ${top}` : ''}`,
        severity: malicious ? 'critical' : 'medium',
        remediation: malicious
          ? {
              kind: 'remove',
              advice:
                'its code behaves like malware. If you need the package, pin a version whose analysis is clean; treat machines that installed this one as exposed.',
            }
          : { kind: 'none', reason: 'review the evidence (bulwark inspect <name>@<version> shows it whole)' },
        behavior: {
          verdict: analysis.verdict,
          score: analysis.score,
          capabilities: analysis.capabilities,
          evidence,
          analyzer: analysis.analyzer,
          cached,
        },
      };
    }
    case 'time-limit':
      return problem(
        'time-limit',
        'medium',
        `Analysis stopped at the ${formatSeconds(outcome.limitMs)} per-package time limit; the code was not fully checked`,
        'review it by hand or with bulwark inspect; the scan does not wait longer than 10 s for one package',
        cached,
      );
    case 'unreadable':
      return problem(
        'unreadable',
        'medium',
        `The package archive cannot be read: ${outcome.message}`,
        'npm may still install what it can read; check the tarball by hand',
        cached,
      );
    case 'integrity-mismatch':
      return problem(
        'integrity-mismatch',
        'high',
        `The downloaded tarball does not match the lockfile's integrity (expected ${outcome.expected}, got ${outcome.actual}): the registry or a proxy served other bytes`,
        'do not install; find out which bytes are right before refreshing the lockfile',
        cached,
      );
    case 'failed':
      return problem(
        'failed',
        'medium',
        `The analyser failed on this package: ${outcome.message}`,
        'inspect it alone (bulwark inspect)',
        cached,
      );
    case 'not-analysed':
      return undefined;
  }
};

const problem = (
  kind: keyof typeof PROBLEM_IDS,
  severity: Severity,
  summary: string,
  reason: string,
  cached: boolean,
): FindingShape => ({
  id: PROBLEM_IDS[kind],
  aliases: [],
  summary,
  severity,
  remediation: { kind: 'none', reason },
  behavior: { problem: kind, capabilities: [], evidence: [], analyzer: '', cached },
});

const toFinding = (shape: FindingShape, group: DepNode[], index: GraphIndex): Finding => {
  const node = group[0]!;
  const direct = group.some((n) => isDirect(index, n.id));
  const { paths, truncated } = pathsTo(index, node.id, MAX_PATHS);
  const label = (id: string) => {
    const n = index.graph.nodes.get(id);
    return n ? nodeLabel(n) : id;
  };
  const remediation: Remediation =
    shape.remediation.kind === 'remove' && direct
      ? { ...shape.remediation, dependency: node.name }
      : shape.remediation;
  const finding: Finding = {
    type: 'behavior',
    id: shape.id,
    aliases: shape.aliases,
    summary: shape.summary,
    severity: shape.severity,
    package: { name: node.name, version: node.version },
    direct,
    devOnly: group.every((n) => n.dev),
    paths: paths.map((path) => path.map(label)),
    pathsTruncated: truncated,
    remediation,
    references: [],
    behavior: shape.behavior,
  };
  if (node.line !== undefined) finding.line = node.line;
  return finding;
};

/** Sandbox findings are present only when the sandbox's verdict leads (sandbox-overlay.ts): they go first. */
const isSandbox = (finding: { rule: string } | undefined): boolean =>
  finding?.rule.startsWith(SANDBOX_RULE_PREFIX) === true;

const byWeight = (a: BehaviorFinding, b: BehaviorFinding): number =>
  Number(isSandbox(b)) - Number(isSandbox(a)) ||
  Number(b.kind === 'threat') - Number(a.kind === 'threat') ||
  compareSeverity(a.severity, b.severity) ||
  a.rule.localeCompare(b.rule);

/** A finding as the scan report carries it: only the fields it has. */
export const toEvidence = (finding: BehaviorFinding): BehaviorEvidence => {
  const evidence: BehaviorEvidence = {
    rule: finding.rule,
    kind: finding.kind,
    severity: finding.severity,
    confidence: finding.confidence,
    message: finding.message,
  };
  if (finding.file !== undefined) evidence.file = finding.file;
  if (finding.line !== undefined) evidence.line = finding.line;
  if (finding.column !== undefined) evidence.column = finding.column;
  if (finding.excerpt !== undefined) evidence.excerpt = finding.excerpt;
  return evidence;
};

const formatSeconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;
