import type { Finding } from '../core/finding.js';
import type { ScanResult } from '../core/scan-result.js';
import { SEVERITY_ORDER } from '../core/severity.js';
import { advisoryUrl } from './advisory-links.js';
import { analysisLine, evidenceLine, notAnalysedLine, verdictLine } from './behavior-text.js';
import { countFindings, databaseAge, packageLabel, sectionFindings } from './finding-groups.js';
import { markdownCode, markdownText } from './markdown-text.js';
import { MALWARE_ADVICE, overrideSnippet } from './remediation-text.js';
import { targetFileRelative } from './target-path.js';
import { truncate } from './terminal-text.js';
import { deprecatedLine, turnedHeadline, turnedUpgrades, upgradeLine } from './upgrade-text.js';

const SUMMARY_LIMIT = 300;
const EVIDENCE_LIMIT = 10;

/** A pull-request comment: counts, a malware callout, one table, accepted risks folded away. */
export const renderMarkdown = (result: ScanResult): string => {
  const counts = countFindings(result.findings);
  const sections = sectionFindings(result.findings);
  const out: string[] = [];

  const bands = [
    `${counts.malware} malware`,
    ...SEVERITY_ORDER.filter((s) => counts.bySeverity[s] > 0 || !['none', 'unknown'].includes(s)).map(
      (s) => `${counts.bySeverity[s]} ${s}`,
    ),
  ];
  out.push(
    counts.active === 0
      ? '## Bulwark: no known vulnerabilities or malware'
      : `## Bulwark: ${counts.active} finding${counts.active === 1 ? '' : 's'} (${bands.join(', ')})`,
  );
  const age = databaseAge(result);
  out.push(
    '',
    `${result.summary.packages} packages scanned in ${markdownCode(targetFileRelative(result))} (${result.target.manager})` +
      `${counts.suppressed > 0 ? ` · ${counts.suppressed} suppressed` : ''} · advisory database ${markdownText(age.text)}`,
  );
  if (result.analysis) {
    const skipped = notAnalysedLine(result.analysis);
    out.push(
      '',
      markdownText(analysisLine(result.analysis)) + (skipped ? `<br>${markdownText(skipped)}` : ''),
    );
  }
  if (result.upgrades) out.push('', markdownText(upgradeLine(result.upgrades)));
  if (age.stale) out.push('', `> [!WARNING]\n> The advisory database is ${markdownText(age.text)}`);

  if (sections.malware.length > 0) {
    out.push(
      '',
      '> [!CAUTION]',
      `> **Malware: ${sections.malware.map((f) => markdownCode(packageLabel(f))).join(', ')}**`,
      '>',
      `> ${markdownText(MALWARE_ADVICE)}`,
    );
  }

  if (sections.maliciousCode.length > 0) {
    out.push(
      '',
      '> [!CAUTION]',
      `> **Malicious code (found by reading the package, not in an advisory): ${sections.maliciousCode.map((f) => markdownCode(packageLabel(f))).join(', ')}**`,
      '>',
      `> ${markdownText(MALWARE_ADVICE)}`,
    );
  }

  const active = [...sections.malware, ...sections.maliciousCode, ...sections.vulnerabilities];
  if (active.length > 0) {
    out.push('', '| Severity | Package | Advisory | Fixed in | Fix |', '|---|---|---|---|---|');
    for (const finding of active) out.push(findingRow(finding));
  }

  const behaviour = active.filter((f) => f.behavior && f.behavior.evidence.length > 0);
  if (behaviour.length > 0) {
    out.push('', '<details>', '<summary>Code analysis evidence</summary>');
    for (const finding of behaviour) {
      out.push(
        '',
        `**${markdownCode(packageLabel(finding))}**: ${markdownText(verdictLine(finding) ?? '')}`,
        '',
      );
      for (const item of finding.behavior!.evidence.slice(0, EVIDENCE_LIMIT)) {
        out.push(`- ${markdownText(truncate(evidenceLine(item), SUMMARY_LIMIT))}`);
        if (item.excerpt) out.push(`  ${markdownCode(truncate(item.excerpt, SUMMARY_LIMIT))}`);
      }
    }
    out.push('', '</details>');
  }

  const expired = active.filter((f) => f.expiredSuppression);
  if (expired.length > 0) {
    out.push('', `**Expired accepted risks (${expired.length})**: these count again until reviewed.`, '');
    for (const finding of expired) {
      const s = finding.expiredSuppression!;
      out.push(
        `- ${advisoryLink(finding.id, finding.type)} in ${markdownCode(packageLabel(finding))}: expired ` +
          `${markdownText(s.expires ?? '')} (${markdownCode(s.source)}): ${markdownText(s.reason)}`,
      );
    }
  }

  if (sections.suppressed.length > 0) {
    out.push(
      '',
      '<details>',
      `<summary>${sections.suppressed.length} suppressed finding${sections.suppressed.length === 1 ? '' : 's'} (accepted risks)</summary>`,
      '',
      '| Severity | Package | Advisory | Reason | Accepted until |',
      '|---|---|---|---|---|',
    );
    for (const finding of sections.suppressed) {
      const s = finding.suppression!;
      out.push(
        `| ${severityCell(finding)} | ${markdownCode(packageLabel(finding))} | ${advisoryLink(finding.id, finding.type)} | ` +
          `${markdownText(s.reason)} (${markdownCode(s.source)}) | ${s.expires ? markdownText(s.expires) : 'no expiry'} |`,
      );
    }
    out.push('', '</details>');
  }

  if (result.upgrades) out.push(...upgradeSection(result.upgrades));

  if (result.warnings.length > 0) {
    out.push('', '**Warnings**', '', ...result.warnings.map((w) => `- ${markdownText(w)}`));
  }
  return `${out.join('\n')}\n`;
};

/** A callout naming each release not to upgrade to, the evidence folded away. */
const upgradeSection = (upgrades: NonNullable<ScanResult['upgrades']>): string[] => {
  const turned = turnedUpgrades(upgrades);
  const deprecated = deprecatedLine(upgrades);
  const out: string[] = [];
  if (turned.length > 0) {
    out.push('', '> [!WARNING]', '> **Before you upgrade: newer releases that turned**', '>');
    for (const entry of turned)
      out.push(
        `> - ${markdownText(turnedHeadline(entry))}: ${markdownText(entry.turned.reasons.join('; '))}`,
      );
    const withEvidence = turned.filter((entry) => entry.turned.findings.length > 0);
    if (withEvidence.length > 0) {
      out.push('', '<details>', '<summary>Newer-release evidence</summary>');
      for (const entry of withEvidence) {
        out.push('', `**${markdownCode(`${entry.check.name}@${entry.turned.version}`)}**`, '');
        for (const item of entry.turned.findings) {
          out.push(`- ${markdownText(truncate(evidenceLine(item), SUMMARY_LIMIT))}`);
          if (item.excerpt) out.push(`  ${markdownCode(truncate(item.excerpt, SUMMARY_LIMIT))}`);
        }
      }
      out.push('', '</details>');
    }
  }
  if (deprecated) out.push('', markdownText(deprecated));
  return out;
};

const severityCell = (finding: Finding): string =>
  finding.type === 'malware'
    ? '**MALWARE**'
    : finding.behavior?.verdict === 'malicious'
      ? '**MALICIOUS CODE**'
      : finding.severity === 'critical'
        ? '**critical**'
        : finding.severity;

const advisoryLink = (id: string, type?: Finding['type']): string => {
  // Behaviour findings are named by detector rules, which have no advisory page.
  const url = type === 'behavior' ? undefined : advisoryUrl(id);
  return url ? `[${markdownText(id)}](${url})` : markdownText(id);
};

const findingRow = (finding: Finding): string => {
  const usage = [finding.direct ? 'direct' : 'transitive', ...(finding.devOnly ? ['dev'] : [])].join(', ');
  const advisory = `${advisoryLink(finding.id, finding.type)} ${markdownText(truncate(finding.summary, SUMMARY_LIMIT))}`;
  const fixed = finding.fixedIn ? markdownCode(finding.fixedIn) : '-';
  return `| ${severityCell(finding)} | ${markdownCode(packageLabel(finding))} (${usage}) | ${advisory} | ${fixed} | ${fixCell(finding)} |`;
};

const fixCell = (finding: Finding): string => {
  const r = finding.remediation;
  if (finding.type === 'malware') return 'Remove it and rotate every secret';
  switch (r.kind) {
    case 'refresh':
      return markdownCode(r.command);
    case 'upgrade':
      return `${markdownCode(r.command)}${r.major ? ' (major)' : ''}`;
    case 'override':
      return `package.json ${markdownCode(
        overrideSnippet(r.field, r.key, r.value)
          .map((line) => line.trim())
          .join(' '),
      )}`;
    case 'remove':
      return markdownText(r.dependency ? `remove ${r.dependency}` : r.advice);
    case 'none':
      return `no fix: ${markdownText(r.reason)}`;
  }
};
