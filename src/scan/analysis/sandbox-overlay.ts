import type { PackageAnalysis } from '../../analysis/analyze.js';
import { MALICIOUS_SCORE, SUSPICIOUS_SCORE } from '../../analysis/score.js';
import type { BehaviorFinding, Verdict } from '../../analysis/types.js';
import type { StoredSandboxVerdict } from '../../sandbox/store/sandbox-verdicts.js';

/** Rule ids of findings that come from a `bulwark sandbox` run start with this. */
export const SANDBOX_RULE_PREFIX = 'sandbox/';

const RANK: Record<Verdict, number> = { clean: 0, suspicious: 1, malicious: 2 };

/**
 * What a stored `bulwark sandbox` verdict does to a static analysis. Only ever raises: `malicious`
 * makes the package malicious, `suspicious` raises a clean package to suspicious, `clean` changes
 * nothing (a sandbox run can miss a delayed or targeted payload). When it raises or matches the
 * static verdict, the sandbox's findings lead the evidence. Applied on read, never cached with the
 * static result, so a newer sandbox run counts at once.
 */
export const applySandboxVerdict = (
  analysis: PackageAnalysis,
  stored: StoredSandboxVerdict | undefined,
): PackageAnalysis => {
  if (stored === undefined || stored.verdict === 'clean') return analysis;
  if (RANK[stored.verdict] < RANK[analysis.verdict]) return analysis;
  const verdict = stored.verdict;
  const score =
    verdict === 'malicious'
      ? Math.max(analysis.score, stored.score, MALICIOUS_SCORE)
      : Math.min(Math.max(analysis.score, stored.score, SUSPICIOUS_SCORE), MALICIOUS_SCORE - 0.1);
  const capability = `sandbox-${verdict}`;
  return {
    ...analysis,
    verdict,
    score: Math.round(score * 10) / 10,
    capabilities: analysis.capabilities.includes(capability)
      ? analysis.capabilities
      : [capability, ...analysis.capabilities],
    findings: [...sandboxFindings(stored), ...analysis.findings],
  };
};

/**
 * A package known only from its sandbox verdict: the static analysis did not finish (time limit,
 * unreadable archive, failure) or the tarball was not fetched. `note` says why, as a capability
 * finding, so the report still shows the static analysis did not judge it.
 */
export const sandboxOnlyAnalysis = (
  stored: StoredSandboxVerdict,
  note?: { rule: string; message: string },
): PackageAnalysis => {
  const empty: PackageAnalysis = {
    name: stored.name,
    version: stored.version,
    integrity: stored.integrity,
    verdict: 'clean',
    score: 0,
    capabilities: [],
    findings: note
      ? [{ rule: note.rule, kind: 'capability', severity: 'low', confidence: 'high', message: note.message }]
      : [],
    analyzer: stored.tool,
    problems: [],
    complete: false,
  };
  return applySandboxVerdict(empty, stored);
};

/** The sandbox's findings as threat evidence; a verdict stored without findings still names itself. */
const sandboxFindings = (stored: StoredSandboxVerdict): BehaviorFinding[] => {
  const findings: BehaviorFinding[] = stored.findings.map((finding) => ({
    rule: `${SANDBOX_RULE_PREFIX}${finding.rule}`,
    kind: 'threat',
    severity: finding.severity,
    confidence: 'high',
    message: `bulwark sandbox saw: ${finding.message}`,
  }));
  if (findings.length > 0) return findings;
  return [
    {
      rule: `${SANDBOX_RULE_PREFIX}${stored.verdict}`,
      kind: 'threat',
      severity: stored.verdict === 'malicious' ? 'critical' : 'medium',
      confidence: 'high',
      message: `bulwark sandbox saw: behaviour it judged ${stored.verdict} (score ${stored.score})`,
    },
  ];
};
