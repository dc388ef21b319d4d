import type { PackageAnalysis } from '../analysis/analyze.js';
import type { BehaviorFinding } from '../analysis/types.js';
import { compareSeverity } from '../core/severity.js';
import { markdownCode, markdownText } from './markdown-text.js';
import { truncate } from './terminal-text.js';

const TEXT_LIMIT = 300;

/** `bulwark inspect` as a pull-request comment: verdict first, a table of evidence, problems folded. */
export const renderInspectionMarkdown = (analysis: PackageAnalysis): string => {
  const label = `${analysis.name || '(unnamed)'}@${analysis.version || '?'}`;
  const out: string[] = [];
  out.push(
    `## Bulwark inspect: ${markdownCode(label)} is ${analysis.verdict.toUpperCase()} (score ${analysis.score.toFixed(1)}/10)`,
    '',
    `Capabilities: ${analysis.capabilities.length > 0 ? analysis.capabilities.map(markdownCode).join(', ') : 'none'}` +
      `${analysis.integrity ? ` · integrity ${markdownCode(analysis.integrity)}` : ''} · analyser ${markdownCode(analysis.analyzer)}`,
  );
  if (analysis.verdict === 'malicious')
    out.push('', '> [!CAUTION]', '> Do not install this package: its code behaves like malware.');
  if (!analysis.complete)
    out.push(
      '',
      '> [!WARNING]',
      '> The archive was not read whole (a limit was reached); see the problems below.',
    );

  const findings = [...analysis.findings].sort(
    (a, b) =>
      Number(b.kind === 'threat') - Number(a.kind === 'threat') ||
      compareSeverity(a.severity, b.severity) ||
      a.rule.localeCompare(b.rule),
  );
  if (findings.length === 0) out.push('', 'No rule fired.');
  else {
    out.push('', '| Severity | Rule | Kind | Where | Finding |', '|---|---|---|---|---|');
    for (const finding of findings) out.push(row(finding));
  }
  if (analysis.problems.length > 0) {
    out.push('', '<details>', `<summary>${analysis.problems.length} archive problem(s)</summary>`, '');
    for (const problem of analysis.problems)
      out.push(`- ${markdownCode(problem.kind)} ${markdownText(truncate(problem.message, TEXT_LIMIT))}`);
    out.push('', '</details>');
  }
  return `${out.join('\n')}\n`;
};

const row = (finding: BehaviorFinding): string => {
  const where = finding.file ? markdownCode(`${finding.file}${finding.line ? `:${finding.line}` : ''}`) : '-';
  const excerpt = finding.excerpt ? `<br>${markdownCode(truncate(finding.excerpt, TEXT_LIMIT))}` : '';
  const severity = finding.severity === 'critical' ? '**critical**' : finding.severity;
  return `| ${severity} | ${markdownCode(finding.rule)} | ${finding.kind}, ${finding.confidence} confidence | ${where} | ${markdownText(truncate(finding.message, TEXT_LIMIT))}${excerpt} |`;
};
