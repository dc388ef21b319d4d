import type { BehaviorFinding, Verdict } from '../../analysis/types.js';
import type { TurnedRelease } from '../../core/scan-result.js';
import { compareSeverity } from '../../core/severity.js';
import type { GradedTransition } from '../../diff/metadata/grading.js';
import { toEvidence } from '../analysis/behavior-findings.js';

/** A release's code verdict, as the analysis (or its cache) gave it. */
export type JudgedCode = { verdict: Verdict; score: number; findings: readonly BehaviorFinding[] };

const MAX_FINDINGS = 10;

/**
 * Whether a newer release turned, compared with the installed one:
 * - malicious: its code is malicious while the installed release's is not (or was not read);
 * - suspicious: its code is suspicious by threat rules the installed release does not trigger,
 *   while the installed one is clean; or its registry metadata changed in a takeover-shaped way
 *   (a metadata transition graded high or critical, e.g. a new publisher who dropped provenance).
 * A release as suspicious as the installed one, or only with capabilities, has not turned: the
 * user already runs that code.
 */
export const judgeRelease = (
  version: string,
  installed: JudgedCode | undefined,
  release: JudgedCode | undefined,
  metadata: readonly GradedTransition[],
): TurnedRelease | undefined => {
  const known = new Set(
    (installed?.findings ?? []).filter((finding) => finding.kind === 'threat').map((f) => f.rule),
  );
  const fresh = (release?.findings ?? [])
    .filter((finding) => finding.kind === 'threat' && !known.has(finding.rule))
    .sort((a, b) => compareSeverity(a.severity, b.severity) || a.rule.localeCompare(b.rule));
  const reasons: string[] = [];
  const from = installed ? `${installed.verdict} (score ${installed.score.toFixed(1)})` : 'not analysed';
  let verdict: TurnedRelease['verdict'] | undefined;
  if (release?.verdict === 'malicious' && installed?.verdict !== 'malicious') {
    verdict = 'malicious';
    const threats = fresh.length > 0 ? fresh : release.findings.filter((f) => f.kind === 'threat');
    reasons.push(`${from} → malicious (score ${release.score.toFixed(1)})${by(threats)}`);
  } else if (release?.verdict === 'suspicious' && installed?.verdict === 'clean' && fresh.length > 0) {
    verdict = 'suspicious';
    reasons.push(`${from} → suspicious (score ${release.score.toFixed(1)})${by(fresh)}`);
  }
  const serious = metadata.filter((change) => change.severity === 'high' || change.severity === 'critical');
  for (const change of serious) reasons.push(change.message);
  if (serious.length > 0) verdict ??= 'suspicious';
  if (verdict === undefined) return undefined;
  return {
    version,
    verdict,
    reasons,
    findings: (verdict === 'malicious' && fresh.length === 0
      ? (release?.findings ?? []).filter((f) => f.kind === 'threat')
      : fresh
    )
      .slice(0, MAX_FINDINGS)
      .map(toEvidence),
    metadata: serious.map((change) => ({
      kind: change.kind,
      severity: change.severity,
      message: change.message,
    })),
  };
};

const by = (findings: readonly BehaviorFinding[]): string =>
  findings.length === 0 ? '' : ` by ${[...new Set(findings.map((f) => f.rule))].join(', ')}`;
