import type { BehaviorFinding } from '../analysis/types.js';
import { terminalLine, terminalSafe } from '../report/terminal-text.js';
import type { DependencyChange } from './delta.js';
import type { PackageDiff } from './diff-packages.js';
import type { ExportsRemoved } from './exports.js';

export type DiffFormat = 'table' | 'json';

export const renderDiff = (diff: PackageDiff, format: DiffFormat): string =>
  format === 'json' ? `${JSON.stringify(diffJson(diff), null, 2)}\n` : renderDiffTable(diff);

/** The JSON report: one object, `verdict`, `added`, `removed` and `findings` first. */
export const diffJson = ({
  from,
  to,
  delta,
  metadata,
  dependencyLookup,
  transition,
  anomaly,
}: PackageDiff) => ({
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
  dependencies: { ...delta.dependencies, lookup: dependencyLookup },
  files: delta.files,
  exportsRemoved: delta.exportsRemoved,
  hunks: delta.hunks.hunks,
  hunksOmitted: delta.hunks.omitted,
  metadata: metadata.map(({ kind, severity, confidence, message, evidence }) => ({
    kind,
    severity,
    confidence,
    message,
    evidence,
  })),
  anomaly,
});

/** A finding as both JSON reports (`diff`, `review`) print it. */
export const findingJson = (f: BehaviorFinding) => ({
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
export const renderDiffTable = ({
  from,
  to,
  delta,
  metadata,
  dependencyLookup,
  transition,
  anomaly,
}: PackageDiff): string => {
  const lines = [
    terminalLine(`${id(from)} → ${id(to)}: ${transition.verdict.toUpperCase()}`),
    `  ${from.verdict} (${from.score.toFixed(1)}/10) → ${to.verdict} (${to.score.toFixed(1)}/10)`,
  ];
  for (const reason of transition.reasons) lines.push(`  - ${terminalLine(reason)}`);
  lines.push(`  anomaly: ${terminalLine(anomaly.summary)}`);
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
  section('exports removed', exportLines(delta.exportsRemoved));
  section('dependencies', [
    ...delta.dependencies.added.map((d) => `+ ${d.name} ${d.to} (${d.field})${registryNote(d)}`),
    ...delta.dependencies.removed.map((d) => `- ${d.name} ${d.from} (${d.field})`),
    ...delta.dependencies.changed.map(
      (d) => `~ ${d.name} ${d.from} → ${d.to} (${d.field})${registryNote(d)}`,
    ),
    ...(dependencyLookup.status === 'skipped'
      ? [`(new dependencies not looked up on the registry: ${dependencyLookup.reason})`]
      : []),
  ]);
  section('files', [
    ...delta.files.added.map((f) => `+ ${f}`),
    ...delta.files.removed.map((f) => `- ${f}`),
    ...delta.files.changed.map((f) => `~ ${f}`),
  ]);
  if (delta.hunks.hunks.length > 0) lines.push('', 'risky hunks:');
  for (const hunk of delta.hunks.hunks) {
    lines.push(
      `  ${terminalLine(`${hunk.file}:${hunk.fromLine}-${hunk.toLine}`)}  ${terminalLine(hunk.reasons.join('; '))}`,
    );
    // Code keeps its indentation: terminalSafe escapes every control character (a stray CR or
    // ESC included), as terminalLine does, without collapsing spaces.
    for (const line of hunk.lines)
      lines.push(`    ${line.slice(0, 1)} ${terminalSafe(line.slice(1).replace(/\t/g, '  '))}`);
  }
  if (delta.hunks.omitted > 0)
    lines.push(`  (${delta.hunks.omitted} more hunks not shown; --format json has the same bound)`);
  if (transition.evidence.length > 0) lines.push('', 'new threat findings:');
  for (const f of transition.evidence) {
    const where = f.file ? `  ${terminalLine(`${f.file}${f.line ? `:${f.line}` : ''}`)}` : '';
    lines.push(`  ${f.severity.toUpperCase().padEnd(8)} ${terminalLine(f.rule)}${where}`);
    lines.push(`    ${terminalLine(f.message)}`);
    if (f.excerpt) lines.push(`    > ${terminalLine(f.excerpt)}`);
  }
  return `${lines.join('\n')}\n`;
};

const exportLines = (removed: ExportsRemoved): string[] => {
  const out = [
    ...(removed.mainRemoved ? ['main entry: no longer resolves to a file'] : []),
    ...(removed.mainEmptied ? ['main entry: exports nothing'] : []),
    ...removed.subpaths.map((p) => `export ${p}`),
    ...removed.bins.map((b) => `bin ${b}`),
    ...removed.names.map((n) => `name ${n}`),
  ];
  if (out.length === 0) return out;
  const why =
    removed.breaking === true
      ? '(a breaking version bump: removals are expected)'
      : removed.breaking === false
        ? '(in a release semver calls compatible)'
        : '(versions not comparable)';
  return [...out, why];
};

const registryNote = (d: DependencyChange): string => {
  const r = d.registry;
  if (r === undefined) return '';
  const what = [
    r.package === d.name ? '' : `npm:${r.package}`,
    r.resolved ? `→ ${r.resolved}` : '',
    r.verdict ? r.verdict.toUpperCase() : '',
    r.brandNew ? 'brand new' : '',
    r.littleUsed ? 'little used' : '',
    ...r.signals,
    r.error ?? '',
  ].filter(Boolean);
  return what.length === 0 ? '' : `: ${what.join(', ')}`;
};
