import { ANALYZER_VERSION, type PackageContext } from '../analysis/analyze.js';
import { assess } from '../analysis/score.js';
import type { Assessment, PackageFacts } from '../analysis/types.js';
import { runRules } from '../rules/index.js';
import { packageFactsFromFiles } from '../rules/sample-facts.js';

/** One side of a diff: its files, the facts read from them, and the assessment those facts give. */
export type DiffSide = {
  files: ReadonlyMap<string, { bytes: Uint8Array }>;
  facts: PackageFacts;
  assessment: Assessment;
  /** package.json as parsed, for dependencies; `{}` when absent or unreadable. */
  manifest: Record<string, unknown>;
};

/**
 * The same pipeline as analyzeFiles (facts → rules → assess), keeping the facts: the delta needs
 * hosts, paths and file stats that the assessment does not carry.
 */
export const analyzeSide = (
  files: ReadonlyMap<string, { bytes: Uint8Array }>,
  identity: { name?: string; version?: string; integrity?: string } = {},
  context: PackageContext = {},
): DiffSide => {
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
  return { files, facts, assessment, manifest: parseManifest(files) };
};

const parseManifest = (files: ReadonlyMap<string, { bytes: Uint8Array }>): Record<string, unknown> => {
  const bytes = files.get('package.json')?.bytes;
  if (!bytes) return {};
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
};
