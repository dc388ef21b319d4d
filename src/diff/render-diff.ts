import type { BehaviorFinding } from '../analysis/types.js';
import { terminalLine } from '../report/terminal-text.js';
import type { PackageDiff } from './diff-packages.js';

export type DiffFormat = 'table' | 'json';

export const renderDiff = (diff: PackageDiff, format: DiffFormat): string =>
  format === 'json' ? `${JSON.stringify(diffJson(diff), null, 2)}\n` : renderDiffTable(diff);

/** The JSON report: one object, `verdict`, `added`, `removed` and `findings` first. */
export const diffJson = ({ from, to, delta, metadata, transition }: PackageDiff) => ({
  verdict: transition.verdict,
  reasons: transition.reasons,
  added: delta.added,
  removed: delta.removed,
  findings: transition.evidence.map(findingJson),
  from,
  to,
  installScripts: delta.installScripts,
  hosts: delta.hosts,
  ips: delta.ips,
  sensitivePaths: delta.sensitivePaths,
  obfuscatedFiles: delta.obfuscatedFiles,
  minifiedFiles: delta.minifiedFiles,
  binaryFiles: delta.binaryFiles,
  dependencies: delta.dependencies,
  files: delta.files,
  metadata: metadata.map(({ kind, severity, confidence, message, evidence }) => ({
    kind,
    severity,
    confidence,
    message,
    evidence,
  })),
});

const findingJson = (f: BehaviorFinding) => ({
  rule: f.rule,
  severity: f.severity,
  confidence: f.confidence,
  file: f.file ?? null,
  line: f.line ?? null,
  message: f.message,
  ...(f.excerpt === undefined ? {} : { excerpt: f.excerpt }),
});

const id = (side: PackageDiff['from']): string => `${side.name || '(unnamed)'}@${side.version || '?'}`;

/** The human report: the transition verdict first, then why, then each delta that is not empty. */
export const renderDiffTable = ({ from, to, delta, metadata, transition }: PackageDiff): string => {
  const lines = [
    terminalLine(`${id(from)} → ${id(to)}: ${transition.verdict.toUpperCase()}`),
    `  ${from.verdict} (${from.score.toFixed(1)}/10) → ${to.verdict} (${to.score.toFixed(1)}/10)`,
  ];
  for (const reason of transition.reasons) lines.push(`  - ${terminalLine(reason)}`);
  const section = (title: string, items: readonly string[]) => {
    if (items.length === 0) return;
    lines.push('', `${title}:`);
    for (const item of items) lines.push(`  ${terminalLine(item)}`);
  };
  section(
    'registry metadata',
    metadata.map((m) => `${m.severity.toUpperCase().padEnd(8)} ${m.kind}: ${m.message}`),
  );
  section('capabilities gained', delta.added);
  section('capabilities lost', delta.removed);
  section(
    'install scripts',
    delta.installScripts.map((s) =>
      s.from === undefined ? `+ ${s.script}: ${s.to}` : `~ ${s.script}: ${s.from} → ${s.to}`,
    ),
  );
  section('new hosts', delta.hosts);
  section('new IP addresses', delta.ips);
  section('new sensitive paths', delta.sensitivePaths);
  section('newly obfuscated files', delta.obfuscatedFiles);
  section('newly minified files', delta.minifiedFiles);
  section('new binary files', delta.binaryFiles);
  section('dependencies', [
    ...delta.dependencies.added.map((d) => `+ ${d.name} ${d.to} (${d.field})`),
    ...delta.dependencies.removed.map((d) => `- ${d.name} ${d.from} (${d.field})`),
    ...delta.dependencies.changed.map((d) => `~ ${d.name} ${d.from} → ${d.to} (${d.field})`),
  ]);
  section('files', [
    ...delta.files.added.map((f) => `+ ${f}`),
    ...delta.files.removed.map((f) => `- ${f}`),
    ...delta.files.changed.map((f) => `~ ${f}`),
  ]);
  if (transition.evidence.length > 0) lines.push('', 'new threat findings:');
  for (const f of transition.evidence) {
    const where = f.file ? `  ${terminalLine(`${f.file}${f.line ? `:${f.line}` : ''}`)}` : '';
    lines.push(`  ${f.severity.toUpperCase().padEnd(8)} ${terminalLine(f.rule)}${where}`);
    lines.push(`    ${terminalLine(f.message)}`);
    if (f.excerpt) lines.push(`    > ${terminalLine(f.excerpt)}`);
  }
  return `${lines.join('\n')}\n`;
};
