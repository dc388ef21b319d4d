import { analyzerIdentity } from '../../analysis/analyzer-identity.js';
import type { Subject } from '../../policy/firewall/types.js';
import {
  openSandboxVerdicts,
  type SandboxVerdictStore,
  type StoredSandboxVerdict,
} from '../../sandbox/store/sandbox-verdicts.js';
import {
  type AssessmentCache,
  assessmentKey,
  type CachedOutcome,
  openAssessmentCache,
} from '../../scan/analysis/assessment-cache.js';
import { targetKey } from '../../scan/analysis/plan.js';
import { type AnalysisPool, createAnalysisPool } from '../../scan/analysis/pool.js';
import { applySandboxVerdict, sandboxOnlyAnalysis } from '../../scan/analysis/sandbox-overlay.js';

/** What analysis contributes to a subject: a verdict, or a failure to record. */
export type AnalysisPart = Pick<Subject, 'analysis' | 'failures'>;

export type TarballAnalyser = {
  /**
   * Verdicts already in the assessment cache (shared with `bulwark scan`), by version; one query,
   * plus one for stored `bulwark sandbox` verdicts, applied over them (sandbox-overlay.ts). No
   * analysis is run, and cached failures are left out (they count only for a tarball) unless the
   * sandbox found those bytes malicious.
   */
  cachedVerdicts: (
    name: string,
    versions: { version: string; integrity: string }[],
  ) => Map<string, AnalysisPart>;
  /**
   * The cached verdict, else analyses `bytes` in a worker and caches the result; either way with
   * the stored sandbox verdict applied, read on every call (one indexed lookup) so a sandbox run
   * made while the firewall runs counts on the next request. A malicious sandbox verdict needs no
   * static analysis to deny, so none is started for it.
   */
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
  // The sandbox table lives in the same file; when the file cannot be opened, the warning above said so.
  let sandbox: SandboxVerdictStore | undefined;
  if (cache) {
    try {
      sandbox = openSandboxVerdicts(options.cachePath);
    } catch (error) {
      warn(`cannot read the sandbox verdicts in ${options.cachePath} (${(error as Error).message})`);
    }
  }
  let sandboxWarned = false;
  const sandboxVerdicts = (integrities: string[]): Map<string, StoredSandboxVerdict> => {
    if (!sandbox || integrities.length === 0) return new Map();
    try {
      return sandbox.findByIntegrity(integrities);
    } catch (error) {
      if (!sandboxWarned) warn(`cannot read the sandbox verdicts (${(error as Error).message})`);
      sandboxWarned = true;
      return new Map();
    }
  };
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
  const inFlight = new Map<string, Promise<RunOutcome>>();
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

  const run = async (
    key: string,
    name: string,
    version: string,
    integrity: string,
    bytes: Buffer,
  ): Promise<RunOutcome> => {
    pool ??= createAnalysisPool({ size: options.workers, limitMs, workerUrl: options.workerUrl });
    // The worker takes ownership of what it is sent: give it a copy, the caller still serves the bytes.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    const result = await pool.run({
      bytes: copy,
      source: `${name}@${version}`,
      identity: { name, version, integrity },
    });
    if (result.status === 'failed') return result;
    remember(key, result);
    try {
      cache?.putMany(new Map([[key, result]]));
    } catch (error) {
      warn(`cannot write the assessment cache (${(error as Error).message})`);
    }
    return result;
  };

  return {
    cachedVerdicts: (name, versions) => {
      const out = new Map<string, AnalysisPart>();
      const keys = versions.map((v) => ({ ...v, key: keyOf(name, v.version, v.integrity) }));
      const missing = keys.filter((k) => !memo.has(k.key)).map((k) => k.key);
      let found = new Map<string, CachedOutcome>();
      if (missing.length > 0 && cache) {
        try {
          found = cache.getMany(missing);
        } catch (error) {
          warn(`cannot read the assessment cache (${(error as Error).message})`);
        }
      }
      const sandboxed = sandboxVerdicts(versions.map((v) => v.integrity));
      for (const { version, integrity, key } of keys) {
        const outcome = memo.get(key) ?? found.get(key);
        const stored = sandboxed.get(integrity);
        if (outcome?.status === 'analysed') remember(key, outcome);
        if (outcome?.status !== 'analysed' && stored?.verdict !== 'malicious') continue;
        out.set(version, withSandbox(outcome, stored));
      }
      return out;
    },
    analyse: (name, version, integrity, bytes) => {
      const stored = sandboxVerdicts([integrity]).get(integrity);
      const key = keyOf(name, version, integrity);
      const found = lookup(key);
      if (found || stored?.verdict === 'malicious') return Promise.resolve(withSandbox(found, stored));
      let pending = inFlight.get(key);
      if (!pending) {
        pending = run(key, name, version, integrity, bytes)
          .catch((error: unknown): RunOutcome => ({ status: 'failed', message: (error as Error).message }))
          .finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending.then((outcome) => withSandbox(outcome, stored));
    },
    close: async () => {
      await Promise.allSettled([...inFlight.values()]);
      await pool?.close();
      cache?.close();
      sandbox?.close();
    },
  };
};

/** A cached time-limit result stands only while the limit is no higher than when it was hit. */
const reusable = (outcome: CachedOutcome, limitMs: number): boolean =>
  outcome.status !== 'time-limit' || outcome.limitMs >= limitMs;

type RunOutcome = CachedOutcome | { status: 'failed'; message: string };

/**
 * The policy's view of an outcome with the sandbox's verdict over it. A malicious sandbox verdict
 * stands even where static analysis failed or has not run: the bytes are known to be malware.
 */
const withSandbox = (
  outcome: RunOutcome | undefined,
  stored: StoredSandboxVerdict | undefined,
): AnalysisPart => {
  if (outcome?.status === 'analysed')
    return toPart({ status: 'analysed', analysis: applySandboxVerdict(outcome.analysis, stored) });
  if (stored?.verdict === 'malicious')
    return toPart({ status: 'analysed', analysis: sandboxOnlyAnalysis(stored) });
  return outcome ? toPart(outcome) : {};
};

const toPart = (outcome: RunOutcome): AnalysisPart => {
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
