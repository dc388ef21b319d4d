import type { PackageContext } from '../analysis/analyze.js';
import type { FileFactsStore } from '../analysis/file-facts-store.js';
import type { BehaviorFinding, Verdict } from '../analysis/types.js';
import { parseJsonInput } from '../core/input.js';
import { analyzeSide, type DiffSide } from '../diff/analyze-side.js';
import type { PackageDiff } from '../diff/diff-packages.js';
import { type DiffReleasesOptions, diffReleases, publishTime } from '../diff/diff-releases.js';
import { gradeTransitions } from '../diff/metadata/grading.js';
import { metadataTransitions } from '../diff/metadata/transitions.js';
import type { DependencySource } from '../diff/new-dependencies.js';
import { readTarball } from '../tarball/read-tarball.js';

/** One tarball of a job: its bytes, checked against `integrity` before they got here. */
export type JobSide = { version: string; integrity: string; bytes: Uint8Array };

/** What one worker job analyses: a version pair (upgrade or downgrade) or one added version. */
export type ReviewJob = {
  name: string;
  from?: JobSide;
  to: JobSide;
  /** The package's full registry document, as text; absent offline or when unavailable. */
  packument?: string;
  /**
   * Where a pair's new dependencies are looked up (their registry history, their own analysis):
   * the registry of `.npmrc` in `projectDir` or `registry`; not at all when `offline`.
   */
  lookup: { offline: boolean; projectDir: string; registry?: string };
  /** Use the per-file facts cache (analysis/file-facts-store.ts). */
  factsCache: boolean;
};

/** A side's analysis, as a review reports it. */
export type SideAnalysis = {
  verdict: Verdict;
  score: number;
  capabilities: string[];
  findings: BehaviorFinding[];
  /** Archive problems (limits hit, refused entries), as messages. */
  problems: string[];
  complete: boolean;
};

/** A job's outcome. Only outcomes that depend on the bytes (and the document) alone are cached. */
export type JobResult =
  | { status: 'analysed'; to: SideAnalysis; diff?: PackageDiff }
  | { status: 'unreadable'; message: string };

/**
 * Reads both tarballs in memory (never on disk, never executed), analyses each side with the
 * registry document as context, and for a pair computes the delta and the transition verdict
 * with graded registry-metadata transitions — exactly what `bulwark diff` does for one pair.
 */
export const analyseJob = async (job: ReviewJob): Promise<JobResult> => {
  const store = job.factsCache ? await factsStore() : undefined;
  try {
    return await analyse(job, store);
  } finally {
    try {
      store?.save();
    } catch {
      // a cache that cannot be written costs speed, never the answer
    }
  }
};

let opened: Promise<FileFactsStore | undefined> | undefined;

/** One facts store per thread, opened on first use; none when it cannot be opened. */
const factsStore = (): Promise<FileFactsStore | undefined> => {
  opened ??= import('../analysis/file-facts-store.js').then(
    ({ openFileFactsStore }) => {
      try {
        return openFileFactsStore();
      } catch {
        return undefined;
      }
    },
    () => undefined,
  );
  return opened;
};

const analyse = async (job: ReviewJob, store: FileFactsStore | undefined): Promise<JobResult> => {
  let packument: unknown;
  if (job.packument !== undefined) {
    try {
      packument = parseJsonInput(job.packument, `${job.name} (registry)`);
    } catch {
      packument = undefined;
    }
  }
  const side = async (input: JobSide): Promise<{ side: DiffSide; problems: string[]; complete: boolean }> => {
    const source = `${job.name}@${input.version}`;
    const contents = await readTarball(input.bytes, { source });
    const context: PackageContext = { archive: contents.problems };
    if (packument !== undefined) context.packument = packument;
    return {
      side: analyzeSide(
        contents.files,
        { name: job.name, version: input.version, integrity: input.integrity },
        context,
        store?.cache,
      ),
      problems: contents.problems.map((p) => p.message),
      complete: contents.complete,
    };
  };
  let to: Awaited<ReturnType<typeof side>>;
  let from: Awaited<ReturnType<typeof side>> | undefined;
  try {
    // The older side first: with the facts cache the newer one then parses only what changed.
    from = job.from === undefined ? undefined : await side(job.from);
    to = await side(job.to);
  } catch (error) {
    if (error instanceof Error && error.name === 'TarballError')
      return { status: 'unreadable', message: error.message };
    throw error;
  }
  const summary: SideAnalysis = {
    verdict: to.side.assessment.verdict,
    score: to.side.assessment.score,
    capabilities: to.side.assessment.capabilities,
    findings: to.side.assessment.findings,
    problems: to.problems,
    complete: to.complete,
  };
  if (from === undefined || job.from === undefined) return { status: 'analysed', to: summary };
  const metadata =
    packument === undefined
      ? []
      : gradeTransitions(metadataTransitions(packument, job.from.version, job.to.version));
  let dependencies: DiffReleasesOptions['dependencies'] = { skipped: 'offline' };
  if (!job.lookup.offline) dependencies = await dependencySource(job.lookup);
  const releaseTime = packument === undefined ? undefined : publishTime(packument, job.to.version);
  const diff = await diffReleases(from.side, to.side, {
    metadata,
    dependencies,
    ...(releaseTime === undefined ? {} : { releaseTime }),
    ...(packument === undefined ? {} : { packument }),
  });
  return { status: 'analysed', to: summary, diff };
};

const sources = new Map<string, Promise<DependencySource>>();

/**
 * New dependencies looked up through the review's own caches: full registry documents from
 * `cache/packuments-full` (fresh for five minutes, then revalidated) and tarballs from the
 * content cache, so a dependency several upgrades gain — or one the review also fetched as an
 * addition — is downloaded once. One source per thread and registry, kept across jobs.
 */
const dependencySource = (lookup: ReviewJob['lookup']): Promise<DependencySource> => {
  const id = `${lookup.projectDir}\0${lookup.registry ?? ''}`;
  let source = sources.get(id);
  if (!source) {
    source = (async () => {
      const [{ loadNpmrc }, { createTarballClient }, { createFullPackuments }] = await Promise.all([
        import('../registry/npmrc.js'),
        import('../registry/tarball-client.js'),
        import('./packuments.js'),
      ]);
      const npmrc = loadNpmrc({ projectDir: lookup.projectDir });
      if (lookup.registry)
        npmrc.registry = lookup.registry.endsWith('/') ? lookup.registry : `${lookup.registry}/`;
      const documents = createFullPackuments({ npmrc, offline: false });
      const tarballs = createTarballClient({ npmrc, packuments: documents.source });
      return {
        packument: async (name) => {
          const text = (await documents.get(name).catch(() => undefined))?.text();
          if (text === undefined) return undefined;
          try {
            return parseJsonInput(text, `${name} (registry)`);
          } catch {
            return undefined;
          }
        },
        tarball: async (request) => (await tarballs.fetch(request)).bytes,
      };
    })();
    sources.set(id, source);
  }
  return source;
};
