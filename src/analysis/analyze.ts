import { runRules } from '../rules/index.js';
import { type PackageContext, packageFactsFromFiles } from '../rules/sample-facts.js';
import { readTarball, type TarballProblem } from '../tarball/index.js';
import { assess } from './score.js';
import type { Assessment, PackageFacts } from './types.js';

/** Bumped when facts, rules or scoring change, so cached assessments are redone. */
export const ANALYZER_VERSION = '0.3.1';

export type PackageAnalysis = Assessment & {
  /** Archive problems (refused entries, limits hit): evidence in their own right. */
  problems: TarballProblem[];
  /** The whole archive was read (false when a limit stopped reading). */
  complete: boolean;
};

export type { PackageContext };

/**
 * Facts → rules → verdict for a package's files, keeping the facts (a diff compares them).
 * Reads nothing, runs nothing. `context.packument` (the registry document) feeds the metadata
 * rules: manifest confusion, version jumps, …
 */
export const analyzeFilesWithFacts = (
  files: ReadonlyMap<string, { bytes: Uint8Array }>,
  identity: { name?: string; version?: string; integrity?: string } = {},
  context: PackageContext = {},
): { facts: PackageFacts; assessment: Assessment } => {
  const facts = packageFactsFromFiles(
    files,
    { name: identity.name ?? '', version: identity.version ?? '' },
    context,
  );
  const findings = runRules(facts);
  const assessment: Assessment = {
    name: facts.manifest.name || identity.name || '',
    version: facts.manifest.version || identity.version || '',
    ...assess(facts, findings),
    findings,
    analyzer: ANALYZER_VERSION,
  };
  if (identity.integrity !== undefined) assessment.integrity = identity.integrity;
  return { facts, assessment };
};

/** Facts → rules → verdict for a package's files. */
export const analyzeFiles = (
  files: ReadonlyMap<string, { bytes: Uint8Array }>,
  identity: { name?: string; version?: string; integrity?: string } = {},
  context: PackageContext = {},
): Assessment => analyzeFilesWithFacts(files, identity, context).assessment;

/** Reads a tarball in memory (never on disk, never executed) and analyses it. */
export const analyzeTarball = async (
  bytes: Uint8Array,
  source: string,
  identity: { name?: string; version?: string; integrity?: string } = {},
  context: PackageContext = {},
): Promise<PackageAnalysis> => {
  const contents = await readTarball(bytes, { source });
  return {
    ...analyzeFiles(contents.files, identity, { ...context, archive: contents.problems }),
    problems: contents.problems,
    complete: contents.complete,
  };
};
