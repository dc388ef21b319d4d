import { analyzerIdentity } from '../../analysis/analyzer-identity.js';
import type { Subject } from '../../policy/firewall/types.js';
import {
  type AssessmentCache,
  assessmentKey,
  type CachedOutcome,
  openAssessmentCache,
} from '../../scan/analysis/assessment-cache.js';
import { targetKey } from '../../scan/analysis/plan.js';
import { type AnalysisPool, createAnalysisPool } from '../../scan/analysis/pool.js';

/** What analysis contributes to a subject: a verdict, or a failure to record. */
export type AnalysisPart = Pick<Subject, 'analysis' | 'failures'>;

export type TarballAnalyser = {
  /**
   * Verdicts already in the assessment cache (shared with `bulwark scan`), by version; one query.
   * No analysis is run, and cached failures are left out (they count only for a tarball).
   */
  cachedVerdicts: (
    name: string,
    versions: { version: string; integrity: string }[],
  ) => Map<string, AnalysisPart>;
  /** The cached verdict, else analyses `bytes` in a worker and caches the result. */
  analyse: (name: string, version: string, integrity: string, bytes: Buffer) => Promise<AnalysisPart>;
  close: () => Promise<void>;
};

/**
 * Scan's 10 s is too short here: a time limit is a checkFailed, which the default policy denies,
 * and TypeScript's 23 MB ran past 10 s on a busy machine. A tarball is analysed once per integrity.
 */
export const FIREWALL_ANALYSIS_LIMIT_MS = 60_000;

/**
 * Code analysis for the firewall: the scan's worker pool and assessment cache, keyed as scan keys
 * them (strongest integrity hash, analyser version, rules digest), so a package checked by one is
 * known to the other. The pool starts on the first tarball that needs it.
 */
export const createTarballAnalyser = async (options: {
  cachePath: string;
  workers: number;
  limitMs?: number;
  workerUrl: URL;
  onWarning?: (message: string) => void;
}): Promise<TarballAnalyser> => {
  const warn = options.onWarning ?? (() => {});
  const limitMs = options.limitMs ?? FIREWALL_ANALYSIS_LIMIT_MS;
  let cache: AssessmentCache | undefined;
  try {
    cache = openAssessmentCache(options.cachePath);
  } catch (error) {
    warn(
      `cannot open the assessment cache ${options.cachePath} (${(error as Error).message}); analysing without it`,
    );
  }
  const identity = await analyzerIdentity(cache, options.workerUrl);
  // The key hashes the rules fingerprint: computed once per tarball, not once per request.
  const keys = new Map<string, string>();
  const keyOf = (name: string, version: string, integrity: string) => {
    const id = `${name}@${version} ${integrity}`;
    let key = keys.get(id);
    if (key === undefined) {
      if (keys.size >= 50_000) keys.clear();
      key = assessmentKey(targetKey({ name, version, integrity }), identity.analyzer, identity.fingerprint);
      keys.set(id, key);
    }
    return key;
  };
  let pool: AnalysisPool | undefined;
  const inFlight = new Map<string, Promise<AnalysisPart>>();
  // Verdicts looked up recently, so a warm tarball request does not query SQLite each time.
  const memo = new Map<string, CachedOutcome>();

  const lookup = (key: string): CachedOutcome | undefined => {
    const remembered = memo.get(key);
    if (remembered) return remembered;
    let found: CachedOutcome | undefined;
    try {
      found = cache?.getMany([key]).get(key);
    } catch (error) {
      warn(`cannot read the assessment cache (${(error as Error).message})`);
    }
    if (found && reusable(found, limitMs)) {
      remember(key, found);
      return found;
    }
    return undefined;
  };
  const remember = (key: string, outcome: CachedOutcome) => {
    if (memo.size >= 2000) memo.delete(memo.keys().next().value!);
    memo.set(key, outcome);
  };

  const run = async (key: string, name: string, version: string, integrity: string, bytes: Buffer) => {
    pool ??= createAnalysisPool({ size: options.workers, limitMs, workerUrl: options.workerUrl });
    // The worker takes ownership of what it is sent: give it a copy, the caller still serves the bytes.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    const result = await pool.run({
      bytes: copy,
      source: `${name}@${version}`,
      identity: { name, version, integrity },
    });
    if (result.status === 'failed') return toPart(result);
    remember(key, result);
    try {
      cache?.putMany(new Map([[key, result]]));
    } catch (error) {
      warn(`cannot write the assessment cache (${(error as Error).message})`);
    }
    return toPart(result);
  };

  return {
    cachedVerdicts: (name, versions) => {
      const out = new Map<string, AnalysisPart>();
      const keys = versions.map((v) => ({ version: v.version, key: keyOf(name, v.version, v.integrity) }));
      const missing = keys.filter((k) => !memo.has(k.key)).map((k) => k.key);
      let found = new Map<string, CachedOutcome>();
      if (missing.length > 0 && cache) {
        try {
          found = cache.getMany(missing);
        } catch (error) {
          warn(`cannot read the assessment cache (${(error as Error).message})`);
        }
      }
      for (const { version, key } of keys) {
        const outcome = memo.get(key) ?? found.get(key);
        if (outcome?.status !== 'analysed') continue;
        remember(key, outcome);
        out.set(version, toPart(outcome));
      }
      return out;
    },
    analyse: (name, version, integrity, bytes) => {
      const key = keyOf(name, version, integrity);
      const found = lookup(key);
      if (found) return Promise.resolve(toPart(found));
      const pending = inFlight.get(key);
      if (pending) return pending;
      const promise = run(key, name, version, integrity, bytes)
        .catch(
          (error: unknown): AnalysisPart => ({ failures: [`analysis failed: ${(error as Error).message}`] }),
        )
        .finally(() => inFlight.delete(key));
      inFlight.set(key, promise);
      return promise;
    },
    close: async () => {
      await Promise.allSettled([...inFlight.values()]);
      await pool?.close();
      cache?.close();
    },
  };
};

/** A cached time-limit result stands only while the limit is no higher than when it was hit. */
const reusable = (outcome: CachedOutcome, limitMs: number): boolean =>
  outcome.status !== 'time-limit' || outcome.limitMs >= limitMs;

const toPart = (outcome: CachedOutcome | { status: 'failed'; message: string }): AnalysisPart => {
  switch (outcome.status) {
    case 'analysed':
      return {
        analysis: {
          verdict: outcome.analysis.verdict,
          rules: [...new Set(outcome.analysis.findings.map((f) => f.rule))],
        },
      };
    case 'time-limit':
      return { failures: [`analysis ran past its ${outcome.limitMs} ms limit`] };
    case 'unreadable':
      return { failures: [`the archive cannot be read: ${outcome.message}`] };
    case 'failed':
      return { failures: [`analysis failed: ${outcome.message}`] };
  }
};
