import type { PackageAnalysis } from '../analysis/analyze.js';
import type { BehaviorFinding } from '../analysis/types.js';
import { compareSeverity } from '../core/severity.js';
import { terminalLine } from './terminal-text.js';

/** The human report of `bulwark inspect`: verdict first, then the evidence that drove it. */
export const renderInspection = (analysis: PackageAnalysis): string => {
  const lines: string[] = [];
  const id = terminalLine(`${analysis.name || '(unnamed)'}@${analysis.version || '?'}`);
  lines.push(`${id}: ${analysis.verdict.toUpperCase()} (score ${analysis.score.toFixed(1)}/10)`);
  lines.push(`capabilities: ${analysis.capabilities.length > 0 ? analysis.capabilities.join(', ') : 'none'}`);
  if (analysis.integrity) lines.push(`integrity: ${analysis.integrity}`);
  if (!analysis.complete)
    lines.push('! the archive was not read whole (a limit was reached); see problems below');
  const findings = [...analysis.findings].sort(
    (a, b) =>
      Number(b.kind === 'threat') - Number(a.kind === 'threat') ||
      compareSeverity(a.severity, b.severity) ||
      a.rule.localeCompare(b.rule),
  );
  if (findings.length > 0) lines.push('');
  for (const finding of findings) lines.push(...renderFinding(finding));
  if (analysis.problems.length > 0) {
    lines.push('', 'archive problems:');
    for (const problem of analysis.problems) lines.push(`  ${terminalLine(JSON.stringify(problem))}`);
  }
  return `${lines.join('\n')}\n`;
};

const renderFinding = (finding: BehaviorFinding): string[] => {
  const where = finding.file ? `${finding.file}${finding.line ? `:${finding.line}` : ''}` : '';
  const out = [
    `  ${finding.severity.toUpperCase().padEnd(8)} ${finding.rule} (${finding.kind}, ${finding.confidence} confidence)${where ? `  ${terminalLine(where)}` : ''}`,
    `    ${terminalLine(finding.message)}`,
  ];
  if (finding.excerpt) out.push(`    > ${terminalLine(finding.excerpt)}`);
  if (finding.source && finding.sink) {
    out.push(
      `    source ${terminalLine(`${finding.source.file}:${finding.source.line}`)}  →  sink ${terminalLine(`${finding.sink.file}:${finding.sink.line}`)}`,
    );
  }
  return out;
};
