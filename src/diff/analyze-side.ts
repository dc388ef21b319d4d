import { analyzeFilesWithFacts, type PackageContext } from '../analysis/analyze.js';
import type { FileFactsCache } from '../analysis/file-facts-cache.js';
import type { Assessment, PackageFacts } from '../analysis/types.js';

/** One side of a diff: its files, the facts read from them, and the assessment those facts give. */
export type DiffSide = {
  files: ReadonlyMap<string, { bytes: Uint8Array }>;
  facts: PackageFacts;
  assessment: Assessment;
  /** package.json as parsed, for dependencies; `{}` when absent or unreadable. */
  manifest: Record<string, unknown>;
};

/**
 * Analyses one side, keeping the facts: the delta needs hosts, paths and file stats. With `cache`,
 * files whose facts it holds (same path, same bytes) are not parsed, and the facts of the files
 * parsed are added to it: analyse the older side first and the newer one parses only what changed.
 */
export const analyzeSide = (
  files: ReadonlyMap<string, { bytes: Uint8Array }>,
  identity: { name?: string; version?: string; integrity?: string } = {},
  context: PackageContext = {},
  cache?: FileFactsCache,
): DiffSide => ({
  files,
  ...analyzeFilesWithFacts(files, identity, cache ? { ...context, fileFacts: cache } : context),
  manifest: parseManifest(files),
});

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
