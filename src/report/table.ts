import { styleText } from 'node:util';
import type { Finding } from '../core/finding.js';
import type { ScanResult } from '../core/scan-result.js';
import { SEVERITY_ORDER, type Severity } from '../core/severity.js';
import { analysisLine, evidenceLine, notAnalysedLine, verdictLine } from './behavior-text.js';
import {
  countFindings,
  databaseAge,
  type FindingCounts,
  formatPath,
  packageLabel,
  pathsToShow,
  sectionFindings,
  usageLabels,
} from './finding-groups.js';
import { MALWARE_ADVICE, remediationLines } from './remediation-text.js';
import { targetFileRelative } from './target-path.js';
import { terminalLine, terminalSafe, truncate, wrap } from './terminal-text.js';
import { deprecatedLine, turnedHeadline, turnedUpgrades, upgradeLine } from './upgrade-text.js';

export type TableOptions = { color: boolean; verbose?: boolean };

const WIDTH = 100;
const PATH_LIMIT = 3;
const SUMMARY_LIMIT = 300;
const EVIDENCE_LIMIT = 3;
/** Bands shown in the headline only when something falls in them. */
const OPTIONAL_BANDS = new Set<Severity>(['none', 'unknown']);

type Style = Parameters<typeof styleText>[0];
type Paint = (style: Style, text: string) => string;

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: ['bold', 'magenta'],
  high: ['bold', 'red'],
  medium: 'yellow',
  low: 'blue',
  none: 'gray',
  unknown: 'gray',
};

/** The human report for a terminal. Every untrusted string passes through `terminalLine`. */
export const renderTable = (result: ScanResult, options: TableOptions): string => {
  const paint: Paint = options.color
    ? (style, text) => styleText(style, text, { validateStream: false })
    : (_style, text) => text;
  const verbose = options.verbose ?? false;
  const counts = countFindings(result.findings);
  const sections = sectionFindings(result.findings);
  const out: string[] = [];

  out.push(paint('bold', headline(result, counts)));
  const age = databaseAge(result);
  out.push(
    `${terminalLine(targetFileRelative(result))} (${result.target.manager}) · advisory database: ` +
      `${result.database.advisories} advisories, ${result.database.malware} malware, ` +
      (age.stale ? paint(['bold', 'yellow'], age.text) : age.text),
  );
  if (result.analysis) {
    out.push(terminalLine(analysisLine(result.analysis)));
    const skipped = notAnalysedLine(result.analysis);
    if (skipped) out.push(paint('yellow', terminalLine(skipped)));
  }
  if (result.upgrades) out.push(terminalLine(upgradeLine(result.upgrades)));

  if (counts.active === 0 && counts.suppressed === 0) {
    out.push('', paint('green', 'No known vulnerabilities or malware.'));
  }

  if (sections.malware.length > 0) {
    out.push(
      '',
      paint(['bold', 'bgRed', 'white'], ` MALWARE (${sections.malware.length}) `) +
        paint(['bold', 'red'], ' critical'),
    );
    out.push(...joinBlocks(sections.malware.map((finding) => renderFinding(finding, paint, verbose))));
    out.push('');
    for (const line of wrap(MALWARE_ADVICE, WIDTH, '  ! ')) out.push(paint(['bold', 'red'], line));
  }

  if (sections.maliciousCode.length > 0) {
    out.push(
      '',
      paint(['bold', 'bgRed', 'white'], ` MALICIOUS CODE (${sections.maliciousCode.length}) `) +
        paint(['bold', 'red'], ' critical: found by reading the code, not in any advisory yet'),
    );
    out.push(...joinBlocks(sections.maliciousCode.map((finding) => renderFinding(finding, paint, verbose))));
    out.push('');
    for (const line of wrap(MALWARE_ADVICE, WIDTH, '  ! ')) out.push(paint(['bold', 'red'], line));
  }

  for (const severity of SEVERITY_ORDER) {
    const group = sections.vulnerabilities.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    out.push('', paint(SEVERITY_STYLE[severity], `${severity.toUpperCase()} (${group.length})`));
    out.push(...joinBlocks(group.map((finding) => renderFinding(finding, paint, verbose))));
  }

  if (sections.suppressed.length > 0) {
    out.push(
      '',
      paint('dim', `SUPPRESSED (${sections.suppressed.length}) accepted risks, not counted above`),
    );
    out.push(...joinBlocks(sections.suppressed.map((finding) => renderSuppressed(finding, paint))));
  }

  if (result.upgrades) out.push(...renderUpgrades(result.upgrades, paint, verbose));

  if (result.warnings.length > 0) {
    out.push('', paint('yellow', 'Warnings'));
    for (const warning of result.warnings) out.push(`  - ${terminalLine(warning)}`);
  }
  return `${out.join('\n')}\n`;
};

/** Newer releases that turned: what not to upgrade to, and why. Nothing when none did. */
const renderUpgrades = (
  upgrades: NonNullable<ScanResult['upgrades']>,
  paint: Paint,
  verbose: boolean,
): string[] => {
  const turned = turnedUpgrades(upgrades);
  const deprecated = deprecatedLine(upgrades);
  if (turned.length === 0 && deprecated === undefined) return [];
  const out = [
    '',
    paint(
      ['bold', 'yellow'],
      `BEFORE YOU UPGRADE (${turned.length === 0 ? 'no newer release turned' : `${turned.length} release${turned.length === 1 ? '' : 's'} turned`})`,
    ),
  ];
  const blocks = turned.map((entry) => {
    const style: Style = entry.turned.verdict === 'malicious' ? ['bold', 'red'] : ['bold', 'yellow'];
    const lines = [`  ${paint(style, terminalLine(turnedHeadline(entry)))}`];
    for (const reason of entry.turned.reasons)
      lines.push(...wrap(`- ${terminalLine(reason)}`, WIDTH, '    '));
    const evidence = verbose ? entry.turned.findings : entry.turned.findings.slice(0, EVIDENCE_LIMIT);
    for (const item of evidence) lines.push(...wrap(terminalLine(evidenceLine(item)), WIDTH, '      '));
    return lines;
  });
  out.push(...joinBlocks(blocks));
  if (deprecated) {
    if (turned.length > 0) out.push('');
    out.push(...wrap(terminalLine(deprecated), WIDTH, '  ').map((line) => paint('dim', line)));
  }
  return out;
};

/** Findings separated by a blank line. */
const joinBlocks = (blocks: string[][]): string[] =>
  blocks.flatMap((block, i) => (i === 0 ? block : ['', ...block]));

const headline = (result: ScanResult, counts: FindingCounts): string => {
  const parts: string[] = [`${counts.malware} malware`];
  for (const severity of SEVERITY_ORDER) {
    const n = counts.bySeverity[severity];
    if (n > 0 || !OPTIONAL_BANDS.has(severity)) parts.push(`${n} ${severity}`);
  }
  const suppressed = counts.suppressed > 0 ? ` (${counts.suppressed} suppressed)` : '';
  const finding = counts.active === 1 ? 'finding' : 'findings';
  return `${result.summary.packages} packages scanned, ${counts.active} ${finding}: ${parts.join(', ')}${suppressed}`;
};

const renderFinding = (finding: Finding, paint: Paint, verbose: boolean): string[] => {
  const lines: string[] = [];
  const id = paint('bold', terminalLine(finding.id));
  lines.push(`  ${id}  ${paint('bold', terminalLine(packageLabel(finding)))}`);
  if (finding.aliases.length > 0) lines.push(`    aka ${terminalLine(finding.aliases.join(', '))}`);
  const summary = terminalLine(finding.summary);
  lines.push(...wrap(verbose ? summary : truncate(summary, SUMMARY_LIMIT), WIDTH, '    '));

  const facts = usageLabels(finding);
  const verdict = verdictLine(finding);
  if (verdict !== undefined) facts.push(terminalLine(verdict));
  else if (finding.fixedIn) facts.push(`fixed in ${terminalLine(finding.fixedIn)}`);
  else if (finding.type !== 'malware') facts.push('no fixed version');
  if (finding.score !== undefined) facts.push(`CVSS ${finding.score.toFixed(1)}`);
  lines.push(`    ${facts.join(' · ')}`);

  const evidence = finding.behavior?.evidence ?? [];
  const evidenceShown = verbose ? evidence : evidence.slice(0, EVIDENCE_LIMIT);
  for (const item of evidenceShown) {
    const [first = '', ...rest] = wrap(terminalLine(evidenceLine(item)), WIDTH, '      ');
    lines.push(`    - ${first.trimStart()}`, ...rest);
    if (item.excerpt) lines.push(`        ${paint('dim', terminalLine(truncate(item.excerpt, WIDTH)))}`);
  }
  if (evidenceShown.length < evidence.length)
    lines.push(
      `    ${paint('dim', `+${evidence.length - evidenceShown.length} more (--format json, or bulwark inspect)`)}`,
    );

  // Not terminalLine: an override snippet keeps its indentation.
  const [first, ...rest] = remediationLines(finding).map((line) =>
    terminalSafe(line.replace(/[\t\r\n]+/g, ' ').trimEnd()),
  );
  if (first !== undefined) lines.push(`    ${paint('green', 'fix')}  ${first}`);
  for (const line of rest) lines.push(`         ${line}`);

  const { shown, more, truncated } = pathsToShow(finding, verbose ? Number.MAX_SAFE_INTEGER : PATH_LIMIT);
  shown.forEach((path, index) => {
    lines.push(`    ${index === 0 ? 'via' : '   '}  ${paint('dim', terminalLine(formatPath(path)))}`);
  });
  if (more > 0 || truncated) {
    const note = more > 0 ? `+${more} more` : 'more';
    lines.push(`         ${paint('dim', truncated ? `${note} (path search stopped at its limit)` : note)}`);
  }

  if (finding.expiredSuppression) {
    const s = finding.expiredSuppression;
    lines.push(
      `    ${paint(['bold', 'yellow'], '! accepted risk expired')} ${terminalLine(s.expires ?? '')} ` +
        `(${terminalLine(s.source)}): ${terminalLine(s.reason)}`,
    );
  }
  if (verbose) for (const reference of finding.references) lines.push(`    ref  ${terminalLine(reference)}`);
  return lines;
};

const renderSuppressed = (finding: Finding, paint: Paint): string[] => {
  const s = finding.suppression!;
  const until = s.expires ? `until ${terminalLine(s.expires)}` : 'with no expiry';
  return [
    `  ${paint('dim', terminalLine(finding.id))}  ${terminalLine(packageLabel(finding))}  ` +
      `${finding.type === 'malware' ? 'MALWARE' : finding.severity} · accepted ${until} (${terminalLine(s.source)})`,
    ...wrap(`reason: ${terminalLine(s.reason)}`, WIDTH, '    '),
  ];
};
