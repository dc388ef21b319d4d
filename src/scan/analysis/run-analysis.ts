import { availableParallelism } from 'node:os';
import { analyzerIdentity } from '../../analysis/analyzer-identity.js';
import type { Verdict } from '../../analysis/types.js';
import type { DepNode } from '../../core/graph.js';
import type { AnalysisSummary, NotAnalysed } from '../../core/scan-result.js';
import { type ContentCache, createContentCache, parseIntegrity } from '../../registry/content-cache.js';
import { loadNpmrc } from '../../registry/npmrc.js';
import { createPackumentSource } from '../../registry/packument-client.js';
import { createTarballClient, type FetchedTarball, IntegrityError } from '../../registry/tarball-client.js';
import {
  type AnalyzerIdentity,
  type AssessmentCache,
  assessmentKey,
  type CachedOutcome,
  defaultAssessmentCachePath,
  openAssessmentCache,
  rulesDigest,
} from './assessment-cache.js';
import { type AnalysisTarget, planAnalysis, targetKey } from './plan.js';
import { type AnalysisPool, createAnalysisPool, DEFAULT_PACKAGE_LIMIT_MS, defaultWorkerUrl } from './pool.js';
import { overlaySandboxVerdicts, readSandboxVerdicts } from './sandbox-outcomes.js';

export { bundleStamp } from '../../analysis/analyzer-identity.js';

/** What happened to one planned tarball. */
export type TargetOutcome = { target: AnalysisTarget; cached: boolean } & (
  | CachedOutcome
  /** The bytes are not the ones the lockfile promised: possible tampering, never analysed. */
  | { status: 'integrity-mismatch'; expected: string; actual: string }
  /** The analyser threw or its worker died (out of memory). */
  | { status: 'failed'; message: string }
  | { status: 'not-analysed'; reason: 'offline' | 'fetch-failed'; detail: string }
);

export type AnalysisProgress = { done: number; total: number; cached: number };

export type AnalysisRunOptions = {
  nodes: Iterable<DepNode>;
  projectDir: string;
  /** Cache only: a package whose result and tarball are not cached is listed as not analysed. */
  offline: boolean;
  registry?: string | undefined;
  /** Per-package wall-clock limit. */
  limitMs?: number;
  /** The SQLite file of assessments; defaults to the data directory. */
  cachePath?: string;
  contentCache?: ContentCache;
  poolSize?: number;
  workerUrl?: URL;
  /** Bytes of downloaded tarballs waiting for or in analysis. */
  maxInFlightBytes?: number;
  onProgress?: (progress: AnalysisProgress) => void;
  onWarning?: (message: string) => void;
};

export type AnalysisRun = { outcomes: TargetOutcome[]; summary: AnalysisSummary };

const DEFAULT_MAX_IN_FLIGHT_BYTES = 256 * 1024 * 1024;

/**
 * Reads the code of every registry or remote-tarball package in the inventory: cached results
 * first (one query), then the rest fetched (integrity-checked) and analysed in worker threads.
 */
export const runAnalysis = async (options: AnalysisRunOptions): Promise<AnalysisRun> => {
  const started = Date.now();
  const limitMs = options.limitMs ?? DEFAULT_PACKAGE_LIMIT_MS;
  const warn = options.onWarning ?? (() => {});
  const plan = planAnalysis(options.nodes);
  const total = plan.targets.length;
  const progress = { done: 0, total, cached: 0 };
  const report = () => options.onProgress?.({ ...progress });

  const cachePath = options.cachePath ?? defaultAssessmentCachePath();
  const cache = openCache(cachePath, warn);
  const workerUrl = options.workerUrl ?? defaultWorkerUrl();
  const identity = await analyzerIdentity(cache, workerUrl);
  const keyOf = (contentKey: string) => assessmentKey(contentKey, identity.analyzer, identity.fingerprint);
  const outcomes: TargetOutcome[] = [];
  const fresh = new Map<string, CachedOutcome>();
  let pool: AnalysisPool | undefined;
  try {
    const hashed = plan.targets.filter((target) => target.integrity !== undefined);
    const hits = cache?.getMany(hashed.map((target) => keyOf(target.key))) ?? new Map();
    const misses: AnalysisTarget[] = [];
    for (const target of plan.targets) {
      const hit = target.integrity === undefined ? undefined : hits.get(keyOf(target.key));
      if (hit && reusable(hit, limitMs)) {
        outcomes.push({ target, cached: true, ...hit });
        progress.done++;
        progress.cached++;
      } else misses.push(target);
    }
    report();

    if (misses.length > 0) {
      const packuments = createPackumentSource({
        projectDir: options.projectDir,
        offline: options.offline,
        registry: options.registry,
        onWarning: warn,
      });
      const npmrc = loadNpmrc({ projectDir: options.projectDir });
      if (options.registry)
        npmrc.registry = options.registry.endsWith('/') ? options.registry : `${options.registry}/`;
      const tarballs = createTarballClient({
        npmrc,
        packuments,
        offline: options.offline,
        cache: options.contentCache ?? createContentCache(undefined, { onCorrupt: warn }),
        onWarning: warn,
      });
      const size = Math.min(options.poolSize ?? availableParallelism(), misses.length);
      const activePool = createAnalysisPool({ size, limitMs, workerUrl });
      pool = activePool;
      const budget = createByteBudget(options.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES);

      const analyseOne = async (target: AnalysisTarget): Promise<TargetOutcome> => {
        await budget.wait();
        let fetched: FetchedTarball;
        try {
          fetched = await tarballs.fetch(target);
        } catch (error) {
          return fetchFailure(target, error, options.offline);
        }
        // Without an integrity in the lockfile the key is known only now, from the bytes.
        const key = keyOf(target.integrity === undefined ? integrityKey(fetched.integrity) : target.key);
        const late = target.integrity === undefined ? cache?.getMany([key]).get(key) : undefined;
        if (late && reusable(late, limitMs)) return { target, cached: true, ...late };
        // Read the size now: the bytes are transferred to the worker, which empties this view.
        const held = fetched.bytes.byteLength;
        budget.take(held);
        try {
          const result = await activePool.run({
            bytes: fetched.bytes,
            source: `${target.name}@${target.version}`,
            identity: { name: target.name, version: target.version, integrity: fetched.integrity },
          });
          if (result.status !== 'failed') fresh.set(key, result);
          return { target, cached: false, ...result };
        } finally {
          budget.release(held);
        }
      };

      // A few downloads ahead of the workers, never the whole project's tarballs in memory.
      let next = 0;
      const runner = async () => {
        while (next < misses.length) {
          const outcome = await analyseOne(misses[next++]!);
          outcomes.push(outcome);
          progress.done++;
          if (outcome.cached) progress.cached++;
          report();
        }
      };
      await Promise.all(Array.from({ length: Math.min(misses.length, size * 2 + 2) }, runner));
    }
    if (cache && fresh.size > 0) {
      try {
        cache.putMany(fresh);
      } catch (error) {
        warn(`cannot write the assessment cache (${(error as Error).message})`);
      }
    }
  } finally {
    await pool?.close();
    cache?.close();
  }

  // Sandbox verdicts live beside the assessments and are applied on read, never written into the
  // assessment rows: a sandbox run made after the static analysis counts on the next scan. When the
  // assessment file could not be opened, its warning already said so.
  const sandboxed = cache
    ? overlaySandboxVerdicts(outcomes, readSandboxVerdicts(cachePath, outcomes, warn))
    : outcomes;
  sandboxed.sort((a, b) => a.target.key.localeCompare(b.target.key));
  return { outcomes: sandboxed, summary: summarise(sandboxed, plan.skipped, identity, limitMs, started) };
};

/** A cached time-limit result stands only while the limit is no higher than when it was hit. */
const reusable = (outcome: CachedOutcome, limitMs: number): boolean =>
  outcome.status !== 'time-limit' || outcome.limitMs >= limitMs;

const integrityKey = (integrity: string): string =>
  targetKey({
    name: '',
    version: '',
    integrity: parseIntegrity(integrity).length > 0 ? integrity : undefined,
  });

const openCache = (location: string, warn: (message: string) => void): AssessmentCache | undefined => {
  try {
    return openAssessmentCache(location);
  } catch (error) {
    warn(`cannot open the assessment cache ${location} (${(error as Error).message}); analysing without it`);
    return undefined;
  }
};

const fetchFailure = (target: AnalysisTarget, error: unknown, offline: boolean): TargetOutcome => {
  if (error instanceof IntegrityError)
    return {
      target,
      cached: false,
      status: 'integrity-mismatch',
      expected: error.expected,
      actual: error.actual,
    };
  const detail = error instanceof Error ? error.message : String(error);
  return {
    target,
    cached: false,
    status: 'not-analysed',
    reason: offline ? 'offline' : 'fetch-failed',
    detail,
  };
};

/** Holds new downloads back while the bytes already downloaded and not yet analysed exceed the bound. */
const createByteBudget = (maxBytes: number) => {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  return {
    wait: async () => {
      while (inFlight >= maxBytes) await new Promise<void>((resolve) => waiting.push(resolve));
    },
    take: (bytes: number) => {
      inFlight += bytes;
    },
    release: (bytes: number) => {
      inFlight -= bytes;
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
};

const summarise = (
  outcomes: TargetOutcome[],
  skipped: NotAnalysed[],
  identity: AnalyzerIdentity,
  limitMs: number,
  started: number,
): AnalysisSummary => {
  const verdicts: Record<Verdict, number> = { clean: 0, suspicious: 0, malicious: 0 };
  let analysed = 0;
  let cached = 0;
  let failed = 0;
  const notAnalysed = [...skipped];
  for (const outcome of outcomes) {
    if (outcome.status === 'not-analysed') {
      for (const label of outcome.target.packages) {
        const at = label.lastIndexOf('@');
        notAnalysed.push({
          name: label.slice(0, at),
          version: label.slice(at + 1),
          reason: outcome.reason,
          detail: outcome.detail,
        });
      }
      continue;
    }
    if (outcome.cached) cached++;
    else if (outcome.status !== 'integrity-mismatch') analysed++;
    if (outcome.status === 'analysed') verdicts[outcome.analysis.verdict]++;
    else failed++;
  }
  notAnalysed.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  return {
    analyzer: identity.analyzer,
    rules: rulesDigest(identity.fingerprint),
    timeLimitMs: limitMs,
    packages: outcomes.length,
    analysed,
    cached,
    failed,
    verdicts,
    notAnalysed,
    durationMs: Date.now() - started,
  };
};
