import type { BehaviorFinding } from '../analysis/types.js';
import { TOOL_VERSION } from '../core/version.js';
import { markdownCode, markdownText } from '../report/markdown-text.js';
import type { ReviewedChange } from './judge.js';
import type { ReviewSources } from './render-json.js';
import { orderChanges, summaryLine } from './render-table.js';
import type { Review } from './review.js';

/** GitHub refuses comments over 65,536 characters; stay under with room for a footer. */
const MAX_LENGTH = 60_000;
const MAX_FINDINGS = 10;
const MAX_TEXT = 300;

const ICON: Record<ReviewedChange['verdict'], string> = {
  malicious: '🔴',
  suspicious: '🟠',
  benign: '🟢',
  unknown: '⚪',
};

/**
 * A pull-request comment: the verdict as a headline, a table of the changes that need a look, the
 * benign ones folded away, and each risky package's evidence in a collapsed `<details>`. Every
 * value a package or lockfile controls (names, versions, messages, excerpts, hosts) is escaped:
 * code spans in Markdown, entities in HTML, so none can add links, mentions, HTML or table cells.
 */
export const renderReviewMarkdown = (review: Review, sources: ReviewSources): string => {
  const ordered = orderChanges(review.changes);
  const risky = ordered.filter((c) => c.verdict === 'malicious' || c.verdict === 'suspicious');
  const unknown = ordered.filter((c) => c.verdict === 'unknown');
  const benign = ordered.filter((c) => c.verdict === 'benign');
  const head = [
    `### ${ICON[review.verdict]} Bulwark dependency review: ${review.verdict}${notAnalysed(review)}`,
    '',
    `${markdownText(summaryLine(review))} — ${markdownCode(sources.base)} → ${markdownCode(sources.head)}`,
    '',
  ];
  if (review.changes.length === 0) head.push('No dependency changes.', '');
  const body: string[] = [];
  if (risky.length + unknown.length > 0) body.push(...changeTable([...risky, ...unknown]), '');
  if (benign.length > 0) {
    body.push(
      `<details><summary>${benign.length} benign change${benign.length === 1 ? '' : 's'}</summary>`,
      '',
      ...changeTable(benign),
      '',
      '</details>',
      '',
    );
  }
  const footer = [
    `<sub>bulwark ${markdownText(TOOL_VERSION)}${review.analyzer ? `, analyser ${markdownText(review.analyzer)}` : ''}: package code is read, never executed.</sub>`,
    '',
  ];
  const out = [...head, ...body];
  let length = out.join('\n').length + footer.join('\n').length;
  let left = 0;
  for (const c of risky) {
    const section = details(c);
    const size = section.join('\n').length + 1;
    if (length + size > MAX_LENGTH) {
      left++;
      continue;
    }
    out.push(...section);
    length += size;
  }
  if (left > 0)
    out.push(
      `Details of ${left} more package${left === 1 ? '' : 's'} left out to fit a comment; \`--format json\` has everything.`,
      '',
    );
  return `${[...out, ...footer].join('\n')}`;
};

/** A benign verdict over changes that were not all analysed must say so where it is read first. */
export const notAnalysed = (review: Review): string =>
  review.counts.notAnalysed > 0 ? ` (${review.counts.notAnalysed} not analysed)` : '';

const changeTable = (changes: readonly ReviewedChange[]): string[] => [
  '| verdict | change | package | from | to | why |',
  '|---|---|---|---|---|---|',
  ...changes.map((c) => {
    const { change } = c;
    const from = change.kind === 'added' ? '' : markdownCode(change.from.version);
    const to = change.kind === 'removed' ? '' : markdownCode(change.to.version);
    const why =
      c.reasons.length === 0
        ? ''
        : markdownText(clip(c.reasons[0]!)) + (c.reasons.length > 1 ? ` (+${c.reasons.length - 1})` : '');
    return `| ${ICON[c.verdict]} ${c.verdict} | ${change.kind} | ${markdownCode(change.name)} | ${from} | ${to} | ${why} |`;
  }),
];

/** One risky package's evidence, collapsed. `<summary>` is HTML: its values are entity-escaped. */
const details = (c: ReviewedChange): string[] => {
  const { change, diff } = c;
  const versions =
    change.kind === 'added'
      ? escapeHtml(change.to.version)
      : change.kind === 'removed'
        ? escapeHtml(change.from.version)
        : `${escapeHtml(change.from.version)} → ${escapeHtml(change.to.version)}`;
  const out = [
    '<details>',
    `<summary>${ICON[c.verdict]} <code>${escapeHtml(change.name)}</code> ${versions} (${change.kind}): <b>${c.verdict}</b></summary>`,
    '',
  ];
  const item = (title: string, values: readonly string[], code = true) => {
    if (values.length === 0) return;
    const shown = values.slice(0, 20).map((v) => (code ? markdownCode(clip(v)) : markdownText(clip(v))));
    out.push(
      `- **${title}:** ${shown.join(code ? ', ' : '; ')}${values.length > 20 ? ` and ${values.length - 20} more` : ''}`,
    );
  };
  for (const reason of c.reasons) out.push(`- ${markdownText(clip(reason))}`);
  item('capabilities gained', c.added);
  item('capabilities lost', c.removed);
  if (diff) {
    item(
      'install scripts',
      diff.delta.installScripts.map((s) => `${s.script}: ${s.to}`),
    );
    item('new hosts', diff.delta.hosts);
    item('new IP addresses', diff.delta.ips);
    item('new sensitive paths', diff.delta.sensitivePaths);
    item('newly obfuscated files', diff.delta.obfuscatedFiles);
    item(
      'new dependencies',
      diff.delta.dependencies.added.map((d) => `${d.name} ${d.to ?? ''}`.trim()),
    );
    const gone = diff.delta.exportsRemoved;
    item('exports removed', [
      ...(gone.mainRemoved ? ['main entry'] : []),
      ...(gone.mainEmptied ? ['main entry emptied'] : []),
      ...gone.subpaths,
      ...gone.bins.map((b) => `bin ${b}`),
      ...gone.names,
    ]);
    item(
      'registry metadata',
      diff.metadata.map((m) => `${m.severity}: ${m.message}`),
      false,
    );
    if (diff.anomaly.unusual) item('release anomaly', [diff.anomaly.summary], false);
  }
  if (c.findings.length > 0) out.push('', ...findingTable(c.findings));
  out.push('', '</details>', '');
  return out;
};

const findingTable = (findings: readonly BehaviorFinding[]): string[] => {
  const rows = findings.slice(0, MAX_FINDINGS).map((f) => {
    const where = f.file ? markdownCode(`${f.file}${f.line ? `:${f.line}` : ''}`) : '';
    const excerpt = f.excerpt ? `<br>${markdownCode(clip(f.excerpt))}` : '';
    const severity = f.severity === 'critical' ? '**critical**' : f.severity;
    return `| ${severity} | ${markdownCode(f.rule)} | ${where} | ${markdownText(clip(f.message))}${excerpt} |`;
  });
  if (findings.length > MAX_FINDINGS)
    rows.push(`| | | | ${findings.length - MAX_FINDINGS} more (\`--format json\` lists them all) |`);
  return ['| severity | rule | where | what |', '|---|---|---|---|', ...rows];
};

const clip = (text: string): string => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text);

/** For HTML contexts (`<summary>`): entities for the five special characters, controls dropped. */
export const escapeHtml = (text: string): string =>
  text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    // Mentions and bare URLs inside HTML are still linked on GitHub.
    .replace(/@(?=[A-Za-z0-9_-])/g, '@&#8203;')
    .replace(/:\/\//g, ':&#8203;//')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}&#8203;.`);
