/** `bulwark sandbox` as a pull-request comment: verdict, findings table, then what the package did, folded. */
import { markdownCode, markdownText } from '../../report/markdown-text.js';
import { truncate } from '../../report/terminal-text.js';
import type { SandboxReport } from '../types.js';
import {
  actorLabel,
  attemptLine,
  commandText,
  fileTags,
  notableFiles,
  packageLabel,
  packageProcessTree,
  phasesLine,
} from './render-parts.js';

const TEXT_LIMIT = 300;
const LIST_LIMIT = 50;

const code = (text: string): string => markdownCode(truncate(text, TEXT_LIMIT));
const text = (value: string): string => markdownText(truncate(value, TEXT_LIMIT));

export const renderSandboxMarkdown = (report: SandboxReport): string => {
  const out: string[] = [];
  out.push(
    `## Bulwark sandbox: ${code(packageLabel(report))} is ${report.verdict.toUpperCase()} (score ${report.score.toFixed(1)}/10)`,
    '',
    `${report.sandbox.mode}, ${report.runs.length} run(s): ${report.runs.map((run) => `${run.name} (${text(phasesLine(run))})`).join('; ')}` +
      (report.sandbox.cleanedUp ? '' : ' · **sandbox not cleaned up**'),
  );
  if (report.verdict === 'malicious')
    out.push('', '> [!CAUTION]', '> Do not install this package: in the sandbox it behaved like malware.');

  const threats = report.findings.filter((f) => f.kind === 'threat');
  if (threats.length === 0) out.push('', 'No threat found.');
  else {
    out.push('', '| Severity | Rule | Confidence | Who | Finding |', '|---|---|---|---|---|');
    for (const finding of threats) {
      const severity = finding.severity === 'critical' ? '**critical**' : finding.severity;
      const evidence = finding.evidence.map((line) => `<br>${code(line)}`).join('');
      out.push(
        `| ${severity} | ${markdownCode(finding.rule)} | ${finding.confidence} | ${text(actorLabel(finding.actor))} | ${text(finding.message)}${evidence} |`,
      );
    }
  }
  const capabilities = report.findings.filter((f) => f.kind === 'capability');
  if (capabilities.length > 0)
    out.push(
      '',
      `Capabilities: ${capabilities.map((f) => `${markdownCode(f.rule)} (${text(f.message)})`).join(', ')}`,
    );

  const details = (summary: string, lines: string[]): void => {
    if (lines.length === 0) return;
    out.push('', '<details>', `<summary>${summary}</summary>`, '', ...lines, '', '</details>');
  };
  const { read, exfiltrated } = report.honeytokens;
  details(`Honeytokens: ${read.length} read, ${exfiltrated.length} exfiltrated`, [
    ...read.map((hit) => `- read ${code(hit.token)} ${code(hit.path)} by ${text(actorLabel(hit.actor))}`),
    ...exfiltrated.map(
      (hit) =>
        `- **exfiltrated** ${code(hit.token)} over ${hit.channel} to ${code(hit.destination)} (${hit.encoding}, run ${hit.run})`,
    ),
  ]);
  details(
    `Network: ${report.network.length} attempt(s), ${report.dns.length} DNS quer${report.dns.length === 1 ? 'y' : 'ies'}`,
    [
      ...report.network
        .slice(0, LIST_LIMIT)
        .map((a) => `- ${code(attemptLine(a))} by ${text(actorLabel(a.actor))}`),
      ...report.dns
        .slice(0, LIST_LIMIT)
        .map(
          (q) =>
            `- DNS ${code(`${q.type} ${q.name}`)}${q.resolver ? ` via ${code(q.resolver)}` : ''}${q.hardCodedResolver ? ' **(hard-coded resolver)**' : ''}`,
        ),
    ],
  );
  const files = notableFiles(report);
  details(
    `Files: ${files.length} sensitive or outside the package`,
    files
      .slice(0, LIST_LIMIT)
      .map((f) => `- ${code(f.path)} ${f.operations.join(', ')} · ${text(fileTags(f).join(', '))}`),
  );
  const tree = packageProcessTree(report, LIST_LIMIT);
  details(`Processes of the package: ${tree.rows.length + tree.omitted}`, [
    ...tree.rows.map(
      ({ depth, process }) =>
        `${'  '.repeat(Math.min(depth, 10))}- ${process.run}/${process.phase ?? '-'} ${process.pid} ${code(commandText(process.command))}${process.script ? ` (${text(process.script)})` : ''}`,
    ),
    ...(tree.omitted > 0 ? [`- … ${tree.omitted} more`] : []),
  ]);
  return `${out.join('\n')}\n`;
};
