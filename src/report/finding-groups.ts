import { type Finding, isMaliciousBehavior } from '../core/finding.js';
import type { ScanResult } from '../core/scan-result.js';
import { compareSeverity, type Severity } from '../core/severity.js';

/** The sections every human-facing report shows, in order. */
export type FindingSections = {
  malware: Finding[];
  /** Active findings whose code analysis says `malicious`: treated like malware. */
  maliciousCode: Finding[];
  /** Active (unsuppressed) non-malware findings, most severe first. */
  vulnerabilities: Finding[];
  suppressed: Finding[];
};

export const isSuppressed = (finding: Finding): boolean => finding.suppression !== undefined;

export const sectionFindings = (findings: readonly Finding[]): FindingSections => {
  const malware = findings.filter((f) => f.type === 'malware' && !isSuppressed(f));
  const maliciousCode = findings.filter((f) => isMaliciousBehavior(f) && !isSuppressed(f));
  const vulnerabilities = findings
    .filter((f) => f.type !== 'malware' && !isMaliciousBehavior(f) && !isSuppressed(f))
    .map((finding, index) => ({ finding, index }))
    // Stable: keeps the scan's order (by package) inside one severity.
    .sort((a, b) => compareSeverity(a.finding.severity, b.finding.severity) || a.index - b.index)
    .map(({ finding }) => finding);
  const suppressed = findings.filter(isSuppressed);
  return { malware, maliciousCode, vulnerabilities, suppressed };
};

export type FindingCounts = {
  /** Active findings, malware included. */
  active: number;
  malware: number;
  /** Active non-malware findings per severity. */
  bySeverity: Record<Severity, number>;
  suppressed: number;
  expiredSuppressions: number;
};

/** Counts computed from the findings themselves, so every report agrees with what it lists. */
export const countFindings = (findings: readonly Finding[]): FindingCounts => {
  const bySeverity: Record<Severity, number> = {
    critical: 0,
    high: 0,
    medium: 0,
    low: 0,
    none: 0,
    unknown: 0,
  };
  let malware = 0;
  let suppressed = 0;
  let expiredSuppressions = 0;
  for (const finding of findings) {
    if (finding.expiredSuppression) expiredSuppressions++;
    if (isSuppressed(finding)) suppressed++;
    else if (finding.type === 'malware') malware++;
    else bySeverity[finding.severity]++;
  }
  return { active: findings.length - suppressed, malware, bySeverity, suppressed, expiredSuppressions };
};

/** `root > a@1 > b@2` */
export const formatPath = (path: readonly string[]): string => path.join(' > ');

/** Where a finding's package is used: direct or transitive, and dev-only. */
export const usageLabels = (finding: Finding): string[] => [
  finding.direct ? 'direct' : 'transitive',
  ...(finding.devOnly ? ['dev-only'] : []),
];

/** Paths to show, and how many more there are (`+N more`, or `+N more, list truncated`). */
export const pathsToShow = (
  finding: Finding,
  limit: number,
): { shown: string[][]; more: number; truncated: boolean } => ({
  shown: finding.paths.slice(0, limit),
  more: Math.max(0, finding.paths.length - limit),
  truncated: finding.pathsTruncated,
});

export const packageLabel = (finding: Finding): string =>
  `${finding.package.name}@${finding.package.version}`;

/** Database age as words, or a warning when it is missing or stale. */
export const databaseAge = (result: ScanResult): { text: string; stale: boolean } => {
  if (result.database.advisories === 0)
    return { text: 'advisory database is empty: run `bulwark db update`', stale: true };
  if (result.database.ageDays === undefined) return { text: 'update time unknown', stale: false };
  const ageDays = Math.floor(result.database.ageDays);
  const age = ageDays < 1 ? 'updated today' : `updated ${ageDays} day${ageDays === 1 ? '' : 's'} ago`;
  return ageDays > STALE_AFTER_DAYS
    ? { text: `${age}, stale: run \`bulwark db update\``, stale: true }
    : { text: age, stale: false };
};

export const STALE_AFTER_DAYS = 7;

/** Whether an accepted-risk entry is past its expiry at the time of the scan. */
export const suppressionLabel = (finding: Finding): string | undefined => {
  const s = finding.suppression;
  if (!s) return undefined;
  return s.expires ? `until ${s.expires}` : 'no expiry';
};
