/** The human report of `bulwark sandbox`: verdict first, then the evidence, then what the package did. */
import { terminalLine } from '../../report/terminal-text.js';
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
  SEVERITIES,
  seconds,
} from './render-parts.js';

const LIST_LIMIT = 50;

export const renderSandboxTable = (report: SandboxReport): string => {
  const t = terminalLine;
  const out: string[] = [];
  out.push(
    `${t(packageLabel(report))}: ${report.verdict.toUpperCase()} (score ${report.score.toFixed(1)}/10)`,
  );
  out.push(
    `sandbox: ${report.sandbox.mode} · ${report.runs.length} run${report.runs.length === 1 ? '' : 's'} · ${seconds(report.sandbox.durationMs)} · ${report.sandbox.cleanedUp ? 'cleaned up' : 'NOT CLEANED UP'}`,
  );
  for (const run of report.runs)
    out.push(`  run ${run.name} as ${t(run.user)}@${t(run.hostname)}: ${t(phasesLine(run))}`);

  const threats = report.findings.filter((f) => f.kind === 'threat');
  const capabilities = report.findings.filter((f) => f.kind === 'capability');
  out.push('', threats.length === 0 ? 'findings: none' : 'findings:');
  for (const severity of SEVERITIES) {
    const group = threats.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    out.push(`  ${severity.toUpperCase()}`);
    for (const finding of group) {
      out.push(`    ${finding.rule} (${finding.confidence} confidence) [${t(actorLabel(finding.actor))}]`);
      out.push(`      ${t(finding.message)}`);
      for (const line of finding.evidence) out.push(`      - ${t(line)}`);
    }
  }
  if (capabilities.length > 0) {
    out.push('  capabilities');
    for (const finding of capabilities) out.push(`    ${finding.rule}: ${t(finding.message)}`);
  }

  out.push('', `network: ${report.network.length === 0 ? 'none' : ''}`.trimEnd());
  for (const attempt of report.network.slice(0, LIST_LIMIT)) {
    out.push(`  ${t(attemptLine(attempt))}  [${t(actorLabel(attempt.actor))}]`);
    if (attempt.preview)
      out.push(`      sent: ${t(attempt.preview.slice(0, 120))}${attempt.preview.length > 120 ? '…' : ''}`);
  }
  more(out, report.network.length);

  out.push('', `dns: ${report.dns.length === 0 ? 'none' : ''}`.trimEnd());
  for (const query of report.dns.slice(0, LIST_LIMIT))
    out.push(
      `  ${t(query.type)} ${t(query.name)}${query.resolver ? ` via ${t(query.resolver)}` : ''}${query.hardCodedResolver ? ' (HARD-CODED RESOLVER)' : ''}  [${t(actorLabel(query.actor))}]`,
    );
  more(out, report.dns.length);

  const files = notableFiles(report);
  out.push('', `files: ${files.length === 0 ? 'nothing sensitive or outside the package' : ''}`.trimEnd());
  for (const file of files.slice(0, LIST_LIMIT))
    out.push(
      `  ${t(file.path)}  ${file.operations.join(',')}  ${t(fileTags(file).join(', '))}  [${t(actorLabel(file.actor))}]`,
    );
  more(out, files.length);

  const tree = packageProcessTree(report);
  out.push('', `processes of the package: ${tree.rows.length === 0 ? 'none' : ''}`.trimEnd());
  for (const { depth, process } of tree.rows) {
    const role = process.script ? `  (${t(`${process.script} of ${process.package ?? '?'}`)})` : '';
    const exit = process.exit !== undefined && process.exit !== 0 ? `  exit ${t(String(process.exit))}` : '';
    out.push(
      `  ${'  '.repeat(Math.min(depth, 20))}${process.run}/${process.phase ?? '-'} ${process.pid} ${t(commandText(process.command))}${role}${exit}`,
    );
  }
  if (tree.omitted > 0) out.push(`  … ${tree.omitted} more`);

  const { read, exfiltrated } = report.honeytokens;
  out.push('', `honeytokens: ${read.length === 0 && exfiltrated.length === 0 ? 'untouched' : ''}`.trimEnd());
  for (const hit of read) out.push(`  read ${t(hit.token)} ${t(hit.path)}  [${t(actorLabel(hit.actor))}]`);
  for (const hit of exfiltrated)
    out.push(
      `  EXFILTRATED ${t(hit.token)} over ${hit.channel} to ${t(hit.destination)} (${hit.encoding}, run ${hit.run})`,
    );
  return `${out.join('\n')}\n`;
};

const more = (out: string[], total: number): void => {
  if (total > LIST_LIMIT) out.push(`  … ${total - LIST_LIMIT} more (see --format json)`);
};
