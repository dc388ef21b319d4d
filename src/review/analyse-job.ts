import type { PackageContext } from '../analysis/analyze.js';
import type { BehaviorFinding, Verdict } from '../analysis/types.js';
import { parseJsonInput } from '../core/input.js';
import { analyzeSide, type DiffSide } from '../diff/analyze-side.js';
import { diffPackages, type PackageDiff } from '../diff/diff-packages.js';
import { gradeTransitions } from '../diff/metadata/grading.js';
import { metadataTransitions } from '../diff/metadata/transitions.js';
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
      ),
      problems: contents.problems.map((p) => p.message),
      complete: contents.complete,
    };
  };
  let to: Awaited<ReturnType<typeof side>>;
  let from: Awaited<ReturnType<typeof side>> | undefined;
  try {
    to = await side(job.to);
    from = job.from === undefined ? undefined : await side(job.from);
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
  return { status: 'analysed', to: summary, diff: diffPackages(from.side, to.side, metadata) };
};
