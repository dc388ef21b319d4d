import { createHash } from 'node:crypto';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { type Finding, isMaliciousBehavior } from '../core/finding.js';
import type { ScanResult } from '../core/scan-result.js';
import { compareSeverity, type Severity } from '../core/severity.js';
import { advisoryUrl, safeHttpUrl } from './advisory-links.js';
import { evidenceLine, verdictLine } from './behavior-text.js';
import { isSuppressed, packageLabel, usageLabels } from './finding-groups.js';
import { markdownCode, markdownText } from './markdown-text.js';
import { plainLine } from './plain-text.js';
import { remediationMarkdown } from './remediation-markdown.js';
import { MALWARE_ADVICE, remediationLines, remediationSummary } from './remediation-text.js';
import { targetFileUri } from './target-path.js';
import { truncate } from './terminal-text.js';
import { upgradeSarif } from './upgrade-sarif.js';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** GitHub code scanning ranks by `security-severity` (a CVSS-like 0-10 number). */
const MAPPED_SECURITY_SEVERITY: Record<Severity, number> = {
  critical: 9.5,
  high: 8,
  medium: 5.5,
  low: 2,
  none: 0,
  // Unknown is treated as medium so it is neither hidden nor over-ranked.
  unknown: 5.5,
};
/** Malware outranks any scored vulnerability. */
const MALWARE_SECURITY_SEVERITY = 10;

export const securitySeverity = (finding: Finding): number =>
  finding.type === 'malware' || isMaliciousBehavior(finding)
    ? MALWARE_SECURITY_SEVERITY
    : (finding.score ?? MAPPED_SECURITY_SEVERITY[finding.severity]);

export const sarifLevel = (finding: Finding): Result.level => {
  if (finding.type === 'malware') return 'error';
  if (finding.severity === 'critical' || finding.severity === 'high') return 'error';
  if (finding.severity === 'medium' || finding.severity === 'unknown') return 'warning';
  return 'note';
};

/** Identity of a result across runs: advisory and package version, never line numbers. */
export const partialFingerprint = (finding: Finding): string =>
  createHash('sha256')
    .update([finding.type, finding.id, finding.package.name, finding.package.version].join('\n'))
    .digest('hex');

/** Advisory summaries are one line in practice; a hostile megabyte one is cut, not repeated five times. */
const SUMMARY_LIMIT = 1000;
const summaryOf = (finding: Finding): string => truncate(plainLine(finding.summary), SUMMARY_LIMIT);

type RuleGroup = { id: string; aliases: Set<string>; findings: Finding[] };

/** One rule per advisory; findings whose id is an alias of an earlier one join its rule. */
const groupRules = (findings: readonly Finding[]): RuleGroup[] => {
  const groups: RuleGroup[] = [];
  const byName = new Map<string, RuleGroup>();
  for (const finding of findings) {
    const names = [finding.id, ...finding.aliases];
    let group = names.map((name) => byName.get(name)).find((g) => g !== undefined);
    if (!group) {
      group = { id: finding.id, aliases: new Set(), findings: [] };
      groups.push(group);
    }
    group.findings.push(finding);
    for (const name of names) {
      if (name !== group.id) group.aliases.add(name);
      if (!byName.has(name)) byName.set(name, group);
    }
  }
  return groups;
};

export const renderSarif = (result: ScanResult): string => `${JSON.stringify(buildSarif(result), null, 2)}\n`;

export const buildSarif = (result: ScanResult): Log => {
  const groups = groupRules(result.findings);
  const ruleIndex = new Map<Finding, number>();
  groups.forEach((group, index) => {
    for (const finding of group.findings) ruleIndex.set(finding, index);
  });
  const uri = targetFileUri(result);
  const upgrades = upgradeSarif(result, groups.length, uri);
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: result.tool.name,
            version: result.tool.version,
            semanticVersion: result.tool.version,
            rules: [...groups.map(buildRule), ...upgrades.rules],
          },
        },
        invocations: [{ executionSuccessful: true, endTimeUtc: result.generatedAt }],
        results: [
          ...result.findings.map((finding) => buildResult(finding, ruleIndex.get(finding)!, groups, uri)),
          ...upgrades.results,
        ],
        properties: {
          target: { file: uri, format: result.target.format, manager: result.target.manager },
          database: {
            advisories: result.database.advisories,
            malware: result.database.malware,
            ...(result.database.lastImportAt ? { lastImportAt: result.database.lastImportAt } : {}),
          },
        },
      },
    ],
  };
};

const buildRule = (group: RuleGroup): ReportingDescriptor => {
  const worst = [...group.findings].sort(
    (a, b) => securitySeverity(b) - securitySeverity(a) || compareSeverity(a.severity, b.severity),
  )[0]!;
  const malware = group.findings.some((f) => f.type === 'malware');
  const summary = summaryOf(worst) || group.id;
  // Behaviour findings are named by detector rules, which have no advisory page.
  const helpUri = worst.type === 'behavior' ? undefined : advisoryUrl(group.id);
  const aliases = [...group.aliases];
  return {
    id: group.id,
    shortDescription: { text: summary },
    fullDescription: { text: aliases.length > 0 ? `${summary} (${aliases.join(', ')})` : summary },
    ...(helpUri ? { helpUri } : {}),
    help: { text: helpText(group, aliases, malware), markdown: helpMarkdown(group, aliases, malware) },
    defaultConfiguration: { level: sarifLevel(worst) },
    properties: {
      'security-severity': securitySeverity(worst).toFixed(1),
      tags: ['security', malware ? 'malware' : worst.type, worst.severity, 'npm'],
      ...(aliases.length > 0 ? { aliases } : {}),
    },
  };
};

const helpText = (group: RuleGroup, aliases: string[], malware: boolean): string => {
  const lines = [summaryOf(group.findings[0]!)];
  if (aliases.length > 0) lines.push(`Also known as ${aliases.join(', ')}.`);
  for (const finding of group.findings) {
    lines.push(
      '',
      `${plainLine(packageLabel(finding))}${finding.fixedIn ? ` (fixed in ${finding.fixedIn})` : ''}:`,
    );
    for (const line of behaviorLines(finding)) lines.push(plainLine(line));
    for (const line of remediationLines(finding)) lines.push(plainLine(line));
  }
  if (malware) lines.push('', MALWARE_ADVICE);
  const refs = references(group);
  if (refs.length > 0) lines.push('', 'References:', ...refs);
  return lines.join('\n');
};

const helpMarkdown = (group: RuleGroup, aliases: string[], malware: boolean): string => {
  const lines = [`**${markdownText(summaryOf(group.findings[0]!))}**`];
  if (aliases.length > 0) lines.push('', `Also known as ${aliases.map(markdownCode).join(', ')}.`);
  for (const finding of group.findings) {
    lines.push(
      '',
      `${markdownCode(packageLabel(finding))}${finding.fixedIn ? ` (fixed in ${markdownCode(finding.fixedIn)})` : ''}:`,
    );
    const behavior = behaviorLines(finding);
    if (behavior.length > 0) lines.push('', ...behavior.map((line) => `- ${markdownText(line)}`));
    for (const block of remediationMarkdown(finding)) lines.push('', block);
  }
  if (malware) lines.push('', `> ${markdownText(MALWARE_ADVICE)}`);
  const refs = references(group);
  if (refs.length > 0) lines.push('', '**References**', '', ...refs.map((url) => `- <${url}>`));
  return lines.join('\n');
};

/** The verdict and the evidence behind it, as plain lines (empty for advisory findings). */
const behaviorLines = (finding: Finding): string[] => {
  const verdict = verdictLine(finding);
  if (verdict === undefined) return [];
  return [
    verdict,
    ...(finding.behavior?.evidence ?? []).map((item) => truncate(evidenceLine(item), SUMMARY_LIMIT)),
  ];
};

const references = (group: RuleGroup): string[] => {
  const urls = new Set<string>();
  for (const finding of group.findings) {
    for (const reference of finding.references) {
      const url = safeHttpUrl(reference);
      if (url) urls.add(url);
    }
  }
  return [...urls];
};

const buildResult = (finding: Finding, ruleIndex: number, groups: RuleGroup[], uri: string): Result => {
  const ruleId = groups[ruleIndex]!.id;
  const label = plainLine(packageLabel(finding));
  const what =
    finding.type === 'malware'
      ? 'is malware'
      : finding.type !== 'behavior'
        ? `is affected by ${finding.id}`
        : finding.behavior?.verdict
          ? `has ${finding.behavior.verdict} code (${finding.id})`
          : 'could not be fully analysed';
  const fixed = finding.fixedIn ? ` Fixed in ${plainLine(finding.fixedIn)}.` : '';
  const message = `${label} ${what}: ${summaryOf(finding)}.${fixed} Fix: ${plainLine(remediationSummary(finding))}`;
  const result: Result = {
    ruleId,
    ruleIndex,
    level: sarifLevel(finding),
    message: { text: message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri },
          ...(finding.line !== undefined && finding.line >= 1 ? { region: { startLine: finding.line } } : {}),
        },
        logicalLocations: [{ name: label, fullyQualifiedName: `npm:${label}`, kind: 'module' }],
      },
    ],
    partialFingerprints: { 'bulwark/finding/v1': partialFingerprint(finding) },
    properties: {
      package: finding.package,
      severity: finding.severity,
      ...(finding.score !== undefined ? { score: finding.score } : {}),
      ...(finding.vector ? { vector: finding.vector } : {}),
      usage: usageLabels(finding),
      ...(finding.fixedIn ? { fixedIn: finding.fixedIn } : {}),
      remediation: finding.remediation,
      paths: finding.paths.slice(0, 10).map((path) => path.join(' > ')),
      pathsTruncated: finding.pathsTruncated || finding.paths.length > 10,
      ...(finding.expiredSuppression ? { expiredSuppression: finding.expiredSuppression } : {}),
      ...(finding.behavior ? { behavior: finding.behavior } : {}),
    },
  };
  if (isSuppressed(finding)) {
    const s = finding.suppression!;
    result.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: `${plainLine(s.reason)}${s.expires ? ` (accepted until ${s.expires})` : ''}`,
        properties: { source: s.source, ...(s.expires ? { expires: s.expires } : {}) },
      },
    ];
  }
  return result;
};
