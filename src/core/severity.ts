/** Severity bands, from CVSS's qualitative scale (GHSA's MODERATE is `medium`). */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'none' | 'unknown';

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'none', 'unknown'];

const RANK: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, none: 1, unknown: 0 };

export const severityRank = (severity: Severity): number => RANK[severity];

export const compareSeverity = (a: Severity, b: Severity): number => RANK[b] - RANK[a];

export const atLeast = (severity: Severity, threshold: Severity): boolean =>
  RANK[severity] >= RANK[threshold];

/** Parses user-facing names; accepts npm's `moderate` and `info`. Returns undefined when unknown. */
export const parseSeverity = (value: string): Severity | undefined => {
  const v = value.trim().toLowerCase();
  if (v === 'moderate') return 'medium';
  if (v === 'info') return 'none';
  return (SEVERITY_ORDER as readonly string[]).includes(v) ? (v as Severity) : undefined;
};

/** CVSS qualitative rating for a base score. */
export const severityFromScore = (score: number): Severity => {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'none';
};
