import type { BehaviorEvidence, Finding } from '../core/finding.js';
import type { AnalysisSummary, NotAnalysed } from '../core/scan-result.js';

/**
 * Plain-text pieces every report uses for behaviour findings and the analysis summary. Nothing
 * here is escaped: evidence carries strings from package code, each reporter escapes for its format.
 */

/** `CRITICAL install-script-download-exec (threat, high confidence) package.json:3: message` */
export const evidenceLine = (evidence: BehaviorEvidence): string => {
  const where = evidence.file ? ` ${evidence.file}${evidence.line ? `:${evidence.line}` : ''}` : '';
  return `${evidence.severity.toUpperCase()} ${evidence.rule} (${evidence.kind}, ${evidence.confidence} confidence)${where}: ${evidence.message}`;
};

/** `malicious, score 9.5/10 · capabilities: network, process` (or the problem that stopped it). */
export const verdictLine = (finding: Finding): string | undefined => {
  const behavior = finding.behavior;
  if (!behavior) return undefined;
  if (!behavior.verdict) return `not judged: ${behavior.problem ?? 'unknown problem'}`;
  const capabilities =
    behavior.capabilities.length > 0 ? ` · capabilities: ${behavior.capabilities.join(', ')}` : '';
  const score = behavior.score !== undefined ? `, score ${behavior.score.toFixed(1)}/10` : '';
  return `${behavior.verdict}${score}${capabilities}${behavior.cached ? ' · cached result' : ''}`;
};

/** `code analysis: 120 packages (3 analysed, 117 cached) · 1 malicious, 2 suspicious · 4 not analysed (offline 4)` */
export const analysisLine = (analysis: AnalysisSummary): string => {
  const parts = [
    `code analysis: ${analysis.packages} package${analysis.packages === 1 ? '' : 's'} (${analysis.analysed} analysed, ${analysis.cached} cached)`,
    `${analysis.verdicts.malicious} malicious, ${analysis.verdicts.suspicious} suspicious`,
  ];
  if (analysis.failed > 0) parts.push(`${analysis.failed} not judged`);
  if (analysis.notAnalysed.length > 0)
    parts.push(`${analysis.notAnalysed.length} not analysed (${reasonCounts(analysis.notAnalysed)})`);
  return parts.join(' · ');
};

/** Reasons worth naming the packages for: code that bypassed analysis although it is not the project's. */
const NOTABLE = new Set(['git', 'no-tarball', 'fetch-failed']);

/** `not analysed: a@1 (git), b@2 (fetch-failed), +3 more`, or undefined when none is notable. */
export const notAnalysedLine = (analysis: AnalysisSummary, limit = 5): string | undefined => {
  const notable = analysis.notAnalysed.filter((entry) => NOTABLE.has(entry.reason));
  if (notable.length === 0) return undefined;
  const shown = notable.slice(0, limit).map((entry) => `${entry.name}@${entry.version} (${entry.reason})`);
  const more = notable.length > limit ? `, +${notable.length - limit} more` : '';
  return `code not analysed: ${shown.join(', ')}${more}`;
};

const reasonCounts = (entries: readonly NotAnalysed[]): string => {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.reason, (counts.get(entry.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${reason} ${n}`).join(', ');
};

export const isBehavior = (finding: Finding): boolean => finding.type === 'behavior';
