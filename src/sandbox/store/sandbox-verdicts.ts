import { openResultCache, type ResultCache } from '../../analysis/result-cache.js';
import { parseIntegrity } from '../../registry/content-cache.js';
import { defaultAssessmentCachePath } from '../../scan/analysis/assessment-cache.js';
import type { SandboxVerdict, Severity4 } from '../types.js';

/** What a sandbox run concluded about one tarball, kept beside its static assessment. */
export type StoredSandboxVerdict = {
  name: string;
  version: string;
  integrity: string;
  verdict: SandboxVerdict;
  score: number;
  /** The threat findings that made the verdict, most severe first (at most 10). */
  findings: Array<{ rule: string; severity: Severity4; message: string }>;
  /** Epoch milliseconds. */
  analysedAt: number;
  tool: string;
};

export type SandboxVerdictStore = {
  /** Verdicts by integrity; one query. */
  getMany: (integrities: readonly string[]) => Map<string, StoredSandboxVerdict>;
  /**
   * Verdicts by integrity as npm gives it, matched on any hash the strings share, strongest hash
   * first (a lockfile's `sha1-… sha512-…` finds a verdict stored under `sha512-…`, and the other
   * way round). A verdict whose integrity names other bytes under a shared algorithm is not a
   * match. Keyed by the integrity asked for; one query.
   */
  findByIntegrity: (integrities: readonly string[]) => Map<string, StoredSandboxVerdict>;
  /** Also indexes each hash of a multi-hash integrity, so `findByIntegrity` is one indexed query. */
  put: (verdict: StoredSandboxVerdict) => void;
  close: () => void;
};

/**
 * Sandbox verdicts in the assessment database (table `sandbox_verdicts`), keyed by the tarball's
 * integrity: behaviour does not depend on the analyser version, so a new release of Bulwark keeps
 * what an earlier sandbox run saw.
 */
export const openSandboxVerdicts = (location: string = defaultAssessmentCachePath()): SandboxVerdictStore => {
  const cache: ResultCache<StoredSandboxVerdict> = openResultCache({
    location,
    table: 'sandbox_verdicts',
    column: 'verdict',
    parse: parseVerdict,
  });
  return {
    getMany: (integrities) => cache.getMany(integrities),
    findByIntegrity: (integrities) => {
      const wanted = new Map(integrities.map((integrity) => [integrity, lookupKeys(integrity)]));
      const rows = cache.getMany([...new Set([...wanted.values()].flat())]);
      const found = new Map<string, StoredSandboxVerdict>();
      for (const [integrity, keys] of wanted) {
        for (const key of keys) {
          const verdict = rows.get(key);
          if (verdict && sameBytes(integrity, verdict.integrity)) {
            found.set(integrity, verdict);
            break;
          }
        }
      }
      return found;
    },
    put: (verdict) => {
      const rows = new Map([[verdict.integrity, verdict]]);
      for (const hash of hashKeys(verdict.integrity)) if (!rows.has(hash)) rows.set(hash, verdict);
      cache.putMany(rows);
    },
    close: () => cache.close(),
  };
};

/** Each well-formed hash of an integrity as `algorithm-base64`, strongest first. */
const hashKeys = (integrity: string): string[] =>
  parseIntegrity(integrity).map((h) => `${h.algorithm}-${Buffer.from(h.hex, 'hex').toString('base64')}`);

/** Where a verdict for `integrity` may be stored: under one of its hashes, or the string itself. */
const lookupKeys = (integrity: string): string[] => [...new Set([...hashKeys(integrity), integrity])];

/** No algorithm both integrities name disagrees: a shared sha1 beside two different sha512s is a collision, not a match. */
const sameBytes = (a: string, b: string): boolean => {
  if (a === b) return true;
  const theirs = new Map(parseIntegrity(b).map((h) => [h.algorithm, h.hex]));
  let shared = false;
  for (const hash of parseIntegrity(a)) {
    const other = theirs.get(hash.algorithm);
    if (other === undefined) continue;
    if (other !== hash.hex) return false;
    shared = true;
  }
  return shared;
};

const VERDICTS = new Set(['malicious', 'suspicious', 'clean']);

const parseVerdict = (json: unknown): StoredSandboxVerdict | undefined => {
  const value = json as StoredSandboxVerdict | null;
  if (
    typeof value?.name === 'string' &&
    typeof value.version === 'string' &&
    typeof value.integrity === 'string' &&
    VERDICTS.has(value.verdict) &&
    typeof value.score === 'number' &&
    Array.isArray(value.findings)
  )
    return value;
  return undefined;
};
