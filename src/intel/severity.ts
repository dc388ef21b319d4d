import cvss from 'ae-cvss-calculator';
import type { AdvisoryKind, SeverityRating, SeveritySource } from '../core/advisory.js';
import { parseSeverity, severityFromScore } from '../core/severity.js';

const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = cvss;

/** One entry of an OSV `severity[]` array. */
export type OsvSeverity = { type: string; score: string };

export type CvssScore = { score: number; vector: string; source: SeveritySource };

// The calculator fills in missing metrics silently, so a vector must name every base metric itself.
const BASE_METRICS = {
  v4: ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'],
  v3: ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  v2: ['AV', 'AC', 'Au', 'C', 'I', 'A'],
} as const;

const hasBaseMetrics = (vector: string, metrics: readonly string[]): boolean => {
  const parts = vector.split('/');
  const names = new Set<string>();
  for (const part of parts) {
    const match = /^([A-Za-z]+):([A-Za-z0-9.]+)$/.exec(part);
    if (!match) return false;
    names.add(match[1]!);
  }
  return metrics.every((metric) => names.has(metric));
};

const roundScore = (score: number): number => Math.round(score * 10) / 10;

const scoreCache = new Map<string, CvssScore | null>();

/** Base score of a CVSS v2, v3.0, v3.1 or v4.0 vector; undefined when the vector is not valid. */
export const scoreVector = (vector: string): CvssScore | undefined => {
  // An import scores the same few thousand vectors over and over; the calculator is the slow part.
  let cached = scoreCache.get(vector);
  if (cached === undefined) {
    cached = computeScore(vector) ?? null;
    if (scoreCache.size > 50_000) scoreCache.clear();
    scoreCache.set(vector, cached);
  }
  return cached === null ? undefined : { ...cached };
};

const computeScore = (vector: string): CvssScore | undefined => {
  const text = vector.trim();
  try {
    if (text.startsWith('CVSS:4.0/')) {
      if (!hasBaseMetrics(text.slice(9), BASE_METRICS.v4)) return undefined;
      const scores = new Cvss4P0(text).calculateScores();
      return finite(scores.overall, text, 'cvss-v4');
    }
    if (text.startsWith('CVSS:3.1/') || text.startsWith('CVSS:3.0/')) {
      if (!hasBaseMetrics(text.slice(9), BASE_METRICS.v3)) return undefined;
      const calculator = text.startsWith('CVSS:3.1/') ? new Cvss3P1(text) : new Cvss3P0(text);
      return finite(calculator.calculateScores().base, text, 'cvss-v3');
    }
    const v2 = text.replace(/^\(|\)$/g, '');
    if (hasBaseMetrics(v2, BASE_METRICS.v2)) {
      return finite(new Cvss2(v2).calculateScores().base, text, 'cvss-v2');
    }
  } catch {
    // The calculator throws on unknown metric values; such a vector gives no score.
  }
  return undefined;
};

const finite = (score: number | undefined, vector: string, source: SeveritySource): CvssScore | undefined =>
  typeof score === 'number' && Number.isFinite(score) && score >= 0 && score <= 10
    ? { score: roundScore(score), vector, source }
    : undefined;

const SOURCE_BY_TYPE: Record<string, SeveritySource> = {
  CVSS_V4: 'cvss-v4',
  CVSS_V3: 'cvss-v3',
  CVSS_V2: 'cvss-v2',
};

export type SeverityInput = {
  kind: AdvisoryKind;
  /** The record's `severity[]` and every npm `affected[].severity[]`. */
  severities: OsvSeverity[];
  /** `database_specific.severity` (GHSA: LOW, MODERATE, HIGH, CRITICAL). */
  databaseSeverity?: string;
};

/**
 * Rates an advisory. Malware is always critical. Otherwise the highest-scoring valid CVSS v4 vector,
 * else v3.x, else the database's own rating (GHSA reviews it), else v2, else `unknown`.
 */
export const rateSeverity = (input: SeverityInput): SeverityRating => {
  if (input.kind === 'malware') return { level: 'critical', source: 'malware' };
  const scored = new Map<SeveritySource, CvssScore>();
  for (const entry of input.severities) {
    const expected = SOURCE_BY_TYPE[entry.type];
    if (!expected) continue;
    const result = scoreVector(entry.score);
    if (!result || result.source !== expected) continue;
    const previous = scored.get(expected);
    if (!previous || result.score > previous.score) scored.set(expected, result);
  }
  const best = scored.get('cvss-v4') ?? scored.get('cvss-v3');
  if (best) return fromScore(best);
  const database = input.databaseSeverity ? parseSeverity(input.databaseSeverity) : undefined;
  if (database && database !== 'unknown') return { level: database, source: 'database' };
  const v2 = scored.get('cvss-v2');
  if (v2) return fromScore(v2);
  return { level: 'unknown', source: 'none' };
};

const fromScore = (scored: CvssScore): SeverityRating => ({
  level: severityFromScore(scored.score),
  score: scored.score,
  vector: scored.vector,
  source: scored.source,
});
