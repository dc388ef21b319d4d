import { terminalLine } from '../report/terminal-text.js';
import { type ReviewedChange, verdictRank } from './judge.js';
import type { ReviewSources } from './render-json.js';
import type { Review } from './review.js';

const MAX_FINDINGS = 8;

/** The human report: the overall verdict first, then the changes that matter, then the rest. */
export const renderReviewTable = (review: Review, sources: ReviewSources): string => {
  const { counts } = review;
  const lines = [
    terminalLine(
      `bulwark review ${sources.base} → ${sources.head}: ${review.verdict.toUpperCase()}${review.counts.notAnalysed > 0 ? ` (${review.counts.notAnalysed} not analysed)` : ''}`,
    ),
    `  ${summaryLine(review)}`,
  ];
  if (counts.changes === 0) return `${[...lines, '', 'No dependency changes.'].join('\n')}\n`;
  const ordered = orderChanges(review.changes);
  lines.push('');
  for (const c of ordered) {
    lines.push(
      `${c.verdict.toUpperCase().padEnd(11)} ${c.change.kind.padEnd(10)} ${terminalLine(changeLabel(c))}`,
    );
    for (const reason of c.reasons) lines.push(`    - ${terminalLine(reason)}`);
    if (c.added.length > 0 && c.verdict !== 'benign') lines.push(`    + ${terminalLine(c.added.join(', '))}`);
    if (c.verdict === 'benign') continue;
    for (const f of c.findings.slice(0, MAX_FINDINGS)) {
      const where = f.file ? `  ${f.file}${f.line ? `:${f.line}` : ''}` : '';
      lines.push(`    ${f.severity.toUpperCase().padEnd(8)} ${terminalLine(`${f.rule}${where}`)}`);
      lines.push(`      ${terminalLine(f.message)}`);
    }
    if (c.findings.length > MAX_FINDINGS)
      lines.push(`    … ${c.findings.length - MAX_FINDINGS} more findings (--format json lists them all)`);
  }
  return `${lines.join('\n')}\n`;
};

export const summaryLine = (review: Review): string => {
  const { counts } = review;
  const kinds = (['upgraded', 'downgraded', 'repinned', 'added', 'removed'] as const)
    .filter((kind) => counts[kind] > 0)
    .map((kind) => `${counts[kind]} ${kind}`);
  const verdicts = (['malicious', 'suspicious'] as const)
    .filter((v) => counts[v] > 0)
    .map((v) => `${counts[v]} ${v}`);
  if (counts.notAnalysed > 0) verdicts.push(`${counts.notAnalysed} not analysed`);
  const changes = `${counts.changes} change${counts.changes === 1 ? '' : 's'}`;
  return `${changes}${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}${verdicts.length > 0 ? `: ${verdicts.join(', ')}` : ''}`;
};

/** Most serious first; within a verdict, upgrades before additions before removals, then by name. */
export const orderChanges = (changes: readonly ReviewedChange[]): ReviewedChange[] => {
  const kindOrder = { repinned: 0, upgraded: 1, downgraded: 2, added: 3, removed: 4 } as const;
  // Not analysed sits between the findings and the benign: it is neither.
  const rank = (c: ReviewedChange) => (c.verdict === 'unknown' ? 0.5 : verdictRank(c.verdict));
  return [...changes].sort(
    (a, b) =>
      rank(b) - rank(a) ||
      kindOrder[a.change.kind] - kindOrder[b.change.kind] ||
      (a.change.name < b.change.name ? -1 : a.change.name > b.change.name ? 1 : 0),
  );
};

export const changeLabel = (c: ReviewedChange): string => {
  const { change } = c;
  switch (change.kind) {
    case 'added':
      return `${change.name} ${change.to.version}`;
    case 'removed':
      return `${change.name} ${change.from.version}`;
    default:
      return `${change.name} ${change.from.version} → ${change.to.version}`;
  }
};
