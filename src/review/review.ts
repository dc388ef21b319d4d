import { availableParallelism } from 'node:os';
import { analyzerIdentity } from '../analysis/analyzer-identity.js';
import type { DepNode } from '../core/graph.js';
import { type ContentCache, createContentCache, parseIntegrity } from '../registry/content-cache.js';
import { loadNpmrc } from '../registry/npmrc.js';
import {
  createTarballClient,
  type FetchedTarball,
  IntegrityError,
  type TarballClient,
} from '../registry/tarball-client.js';
import type { JobResult, JobSide, ReviewJob } from './analyse-job.js';
import { classifyChanges, type LockedPackage, type PackageChange } from './classify.js';
import {
  judgeAddition,
  judgePair,
  overallVerdict,
  type ReviewedChange,
  type ReviewVerdict,
  unanalysed,
} from './judge.js';
import { createFullPackuments, type FullDocument } from './packuments.js';
import { createReviewPool, defaultReviewWorkerUrl, type PoolOutcome, type ReviewPool } from './pool.js';
import { type AnalyzerIdentity, openReviewCache, type ReviewCache, reviewKey } from './review-cache.js';

export type ReviewOptions = {
  base: Iterable<DepNode>;
  head: Iterable<DepNode>;
  /** Where `.npmrc` is read from. */
  projectDir: string;
  offline: boolean;
  registry?: string | undefined;
  /** The SQLite file of review results; the data directory's `cache/reviews.db` by default. */
  cachePath?: string;
  packumentCacheDir?: string;
  contentCache?: ContentCache;
  /** `null` analyses in this thread; the bundled worker beside this module by default. */
  workerUrl?: URL | null;
  poolSize?: number;
  /** Use the per-file facts cache in the analysis (default true). */
  factsCache?: boolean;
  /** Per job (one or two tarballs) wall-clock limit. */
  limitMs?: number;
  onWarning?: (message: string) => void;
};

export type ReviewCounts = Record<PackageChange['kind'], number> &
  Record<ReviewVerdict, number> & { changes: number; notAnalysed: number; cached: number };

export type Review = {
  verdict: ReviewVerdict;
  counts: ReviewCounts;
  changes: ReviewedChange[];
  analyzer: string;
  durationMs: number;
};

const DEFAULT_LIMIT_MS = 20_000;
const MAX_IN_FLIGHT = 16;

/** A planned analysis: the versions to fetch for one change. */
type Plan = {
  change: PackageChange;
  from?: LockedPackage;
  to: LockedPackage;
  /** Notes the verdict carries (a base version that could not be analysed). */
  notes: string[];
  document?: FullDocument;
};

/**
 * Reviews the dependency change from `base` to `head`: every upgrade and downgrade analysed on
 * both sides with its delta and transition verdict, every addition analysed, removals listed.
 * Results are cached by content (both integrities, the analyser, the registry document), so a
 * second review of the same change fetches and analyses nothing.
 */
export const reviewChanges = async (options: ReviewOptions): Promise<Review> => {
  const started = Date.now();
  const warn = options.onWarning ?? (() => {});
  const changes = classifyChanges(options.base, options.head);
  const reviewed = new Map<PackageChange, ReviewedChange>();
  const plans: Plan[] = [];
  for (const change of changes) {
    if (change.kind === 'removed') {
      reviewed.set(change, unanalysed(change, undefined));
      continue;
    }
    const why = unanalysable(change.to);
    if (why !== undefined) {
      reviewed.set(change, unanalysed(change, `${change.to.version}: ${why}`));
      continue;
    }
    if (change.kind === 'added') {
      plans.push({ change, to: change.to, notes: [] });
      continue;
    }
    if (change.kind === 'repinned') {
      // The registry serves one tarball per version: the base's bytes cannot be fetched to compare.
      plans.push({ change, to: change.to, notes: [repinnedNote(change.from, change.to)] });
      continue;
    }
    const fromWhy = unanalysable(change.from);
    plans.push(
      fromWhy === undefined
        ? { change, from: change.from, to: change.to, notes: [] }
        : { change, to: change.to, notes: [`${change.from.version} not compared: ${fromWhy}`] },
    );
  }

  const npmrc = loadNpmrc({ projectDir: options.projectDir });
  if (options.registry)
    npmrc.registry = options.registry.endsWith('/') ? options.registry : `${options.registry}/`;
  const documents = createFullPackuments({
    npmrc,
    offline: options.offline,
    ...(options.packumentCacheDir === undefined ? {} : { cacheDir: options.packumentCacheDir }),
    onWarning: warn,
  });
  const documentOf = async (name: string): Promise<FullDocument | undefined> => {
    try {
      return await documents.get(name);
    } catch (error) {
      warn(`${name}: no registry document (${describe(error)}); analysed without registry metadata`);
      return undefined;
    }
  };

  const workerUrl =
    options.workerUrl === undefined ? defaultReviewWorkerUrl() : (options.workerUrl ?? undefined);
  const cache = openCache(options.cachePath, warn);
  const fresh = new Map<string, JobResult>();
  const limitMs = options.limitMs ?? DEFAULT_LIMIT_MS;
  let identity: AnalyzerIdentity | undefined;
  let pool: ReviewPool | undefined;
  let tarballs: TarballClient | undefined;
  try {
    // Every change is a pipeline of its own (registry document → cache look-up → tarballs →
    // analysis): downloads overlap the analysis instead of waiting for all documents first.
    const identityReady = analyzerIdentity(cache, workerUrl).then((found) => {
      identity = found;
      return found;
    });
    const keyOf = (
      plan: Plan,
      ids: AnalyzerIdentity,
      fromIntegrity: string | undefined,
      toIntegrity: string,
      lookups: 'offline' | 'registry' = options.offline ? 'offline' : 'registry',
    ) =>
      reviewKey({
        ...(fromIntegrity === undefined ? {} : { fromIntegrity }),
        toIntegrity,
        analyzer: ids.analyzer,
        fingerprint: ids.fingerprint,
        ...(plan.document === undefined ? {} : { packumentDigest: plan.document.digest }),
        // Only pairs look new dependencies up: an addition's result is the same either way.
        lookups: plan.from === undefined ? 'registry' : lookups,
      });
    const analyse = async (job: ReviewJob): Promise<PoolOutcome> => {
      if (workerUrl !== undefined) {
        pool ??= createReviewPool({
          workerUrl,
          size: Math.max(1, Math.min(options.poolSize ?? availableParallelism(), plans.length)),
          limitMs,
        });
        return pool.run(job);
      }
      const { analyseJob } = await import('./analyse-job.js');
      try {
        return await analyseJob(job);
      } catch (error) {
        return { status: 'failed', message: describe(error) };
      }
    };
    const fetchSide = (locked: LockedPackage, integrity: string | undefined): Promise<FetchedTarball> => {
      tarballs ??= createTarballClient({
        npmrc,
        packuments: documents.source,
        offline: options.offline,
        cache: options.contentCache ?? createContentCache(undefined, { onCorrupt: warn }),
        concurrency: 12,
        onWarning: warn,
      });
      return tarballs.fetch({
        name: locked.name,
        version: locked.version,
        ...(integrity === undefined ? {} : { integrity }),
        ...(locked.resolved === undefined ? {} : { resolved: locked.resolved }),
      });
    };

    const reviewOne = async (plan: Plan): Promise<ReviewedChange> => {
      const { change } = plan;
      const document = await documentOf(change.name);
      if (document !== undefined) plan.document = document;
      // Lockfiles without an SRI integrity (Yarn Berry's checksums) take it from the registry document.
      const toIntegrity = await integrityOf(plan.to, plan.document, documents.source);
      const fromIntegrity = plan.from && (await integrityOf(plan.from, plan.document, documents.source));
      const ids = await identityReady;
      const known =
        toIntegrity !== undefined && (plan.from === undefined || fromIntegrity !== undefined)
          ? keyOf(plan, ids, fromIntegrity, toIntegrity)
          : undefined;
      // Offline, a result that had its new dependencies looked up is better still than none.
      const candidates =
        known === undefined
          ? []
          : options.offline
            ? [keyOf(plan, ids, fromIntegrity, toIntegrity!, 'registry'), known]
            : [known];
      const found = candidates.length === 0 ? undefined : cache?.getMany(candidates);
      const hit = candidates.map((key) => found?.get(key)).find((result) => result !== undefined);
      if (hit) return judge(plan, hit, true);

      const [toFetch, fromFetch] = await Promise.allSettled([
        fetchSide(plan.to, toIntegrity),
        plan.from === undefined ? Promise.resolve(undefined) : fetchSide(plan.from, fromIntegrity),
      ]);
      if (toFetch.status === 'rejected')
        return fetchFailure(change, plan.to, toFetch.reason, options.offline);
      const to: JobSide = {
        version: plan.to.version,
        integrity: toFetch.value.integrity,
        bytes: toFetch.value.bytes,
      };
      let from: JobSide | undefined;
      const notes = [...plan.notes];
      if (plan.from !== undefined) {
        if (fromFetch.status === 'fulfilled' && fromFetch.value !== undefined)
          from = {
            version: plan.from.version,
            integrity: fromFetch.value.integrity,
            bytes: fromFetch.value.bytes,
          };
        else
          notes.push(
            `${plan.from.version} not compared: ${fromFetch.status === 'rejected' ? describe(fromFetch.reason) : 'not fetched'}`,
          );
      }
      // A pair whose base could not be fetched is not cached: the next review may fetch it.
      const key =
        from === undefined && plan.from !== undefined
          ? undefined
          : (known ?? keyOf(plan, ids, from?.integrity, to.integrity));
      // A document whose body vanished since its digest was read: analysed without it, not cached.
      const packumentText = plan.document?.text();
      const keep = plan.document === undefined || packumentText !== undefined;
      const job: ReviewJob = {
        name: change.name,
        lookup: {
          offline: options.offline,
          projectDir: options.projectDir,
          ...(options.registry ? { registry: options.registry } : {}),
        },
        factsCache: options.factsCache ?? true,
        to,
        ...(from === undefined ? {} : { from }),
        ...(packumentText === undefined ? {} : { packument: packumentText }),
      };
      const outcome = await analyse(job);
      if (outcome.status === 'time-limit')
        return unanalysed(
          change,
          `analysis stopped at the ${outcome.limitMs / 1000} s time limit`,
          'suspicious',
        );
      if (outcome.status === 'failed') return unanalysed(change, `the analyser failed: ${outcome.message}`);
      if (key !== undefined && keep) fresh.set(key, outcome);
      return judge({ ...plan, notes }, outcome, false);
    };

    // Enough changes in flight to keep the downloads and the workers busy, not every tarball at once.
    let next = 0;
    const runner = async () => {
      while (next < plans.length) {
        const plan = plans[next++]!;
        reviewed.set(plan.change, await reviewOne(plan));
      }
    };
    await Promise.all(Array.from({ length: Math.min(plans.length, MAX_IN_FLIGHT) }, runner));
    if (plans.length === 0) await identityReady;
    if (cache && fresh.size > 0) {
      try {
        cache.putMany(fresh);
      } catch (error) {
        warn(`cannot write the review cache (${(error as Error).message})`);
      }
    }
  } finally {
    await pool?.close();
    cache?.close();
  }

  const list = changes.map((change) => reviewed.get(change)!);
  return {
    verdict: overallVerdict(list),
    counts: countOf(list),
    changes: list,
    analyzer: identity?.analyzer ?? '',
    durationMs: Date.now() - started,
  };
};

const judge = (plan: Plan, result: JobResult, cached: boolean): ReviewedChange => {
  if (result.status === 'unreadable')
    return {
      ...unanalysed(plan.change, `the archive cannot be read: ${result.message}`, 'suspicious'),
      cached,
    };
  if (result.diff !== undefined) {
    const judged = judgePair(plan.change, result.to, result.diff, cached);
    return plan.notes.length > 0 ? { ...judged, reasons: [...judged.reasons, ...plan.notes] } : judged;
  }
  return judgeAddition(plan.change, result.to, cached, plan.notes);
};

const repinnedNote = (from: LockedPackage, to: LockedPackage): string =>
  `${to.version} now pins other bytes (integrity ${short(from.integrity)} → ${short(to.integrity)}): a republished or tampered tarball, or another registry`;

const short = (integrity: string | undefined): string =>
  integrity === undefined ? '?' : `${integrity.slice(0, integrity.indexOf('-') + 13)}…`;

/** Why a locked version's code cannot be fetched, if it cannot. */
const unanalysable = (locked: LockedPackage): string | undefined => {
  if (locked.source === 'git') return 'a git dependency (not analysed)';
  if (locked.source === 'tarball' && !/^https?:\/\//i.test(locked.resolved ?? ''))
    return 'a local tarball (not analysed)';
  if (locked.source !== 'registry' && locked.source !== 'tarball')
    return `a ${locked.source} dependency (not analysed)`;
  return undefined;
};

const integrityOf = async (
  locked: LockedPackage,
  document: FullDocument | undefined,
  source: {
    get: (name: string) => Promise<{ versions: ReadonlyMap<string, { integrity?: string }> } | undefined>;
  },
): Promise<string | undefined> => {
  if (locked.integrity !== undefined && parseIntegrity(locked.integrity).length > 0) return locked.integrity;
  if (document === undefined || locked.source !== 'registry') return undefined;
  try {
    const published = (await source.get(locked.name))?.versions.get(locked.version)?.integrity;
    return published !== undefined && parseIntegrity(published).length > 0 ? published : undefined;
  } catch {
    return undefined;
  }
};

const fetchFailure = (
  change: PackageChange,
  locked: LockedPackage,
  error: unknown,
  offline: boolean,
): ReviewedChange => {
  if (error instanceof IntegrityError)
    return unanalysed(
      change,
      `${locked.version}: the downloaded tarball does not match the lockfile's integrity (expected ${error.expected}, got ${error.actual})`,
      'suspicious',
    );
  return unanalysed(
    change,
    `${locked.version} not analysed${offline ? ' (offline)' : ''}: ${describe(error)}`,
  );
};

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const openCache = (path: string | undefined, warn: (message: string) => void): ReviewCache | undefined => {
  try {
    return openReviewCache(path);
  } catch (error) {
    warn(`cannot open the review cache (${(error as Error).message}); reviewing without it`);
    return undefined;
  }
};

/** The summary counts of a list of reviewed changes. */
export const countOf = (changes: readonly ReviewedChange[]): ReviewCounts => {
  const counts: ReviewCounts = {
    changes: changes.length,
    added: 0,
    removed: 0,
    upgraded: 0,
    downgraded: 0,
    repinned: 0,
    benign: 0,
    suspicious: 0,
    malicious: 0,
    notAnalysed: 0,
    cached: 0,
  };
  for (const c of changes) {
    counts[c.change.kind]++;
    if (c.verdict === 'unknown') counts.notAnalysed++;
    else counts[c.verdict]++;
    if (c.cached) counts.cached++;
  }
  return counts;
};
