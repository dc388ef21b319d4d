import { createHash } from 'node:crypto';
import { ANALYZER_VERSION, analyzeFilesWithFacts, type PackageContext } from '../analysis/analyze.js';
import { type FileFactsCache, packJson, unpackJson } from '../analysis/file-facts-cache.js';
import type { Assessment, PackageFacts } from '../analysis/types.js';
import { rulesFingerprint } from '../rules/index.js';
import { PACKAGE_TIME_BUDGET_MS } from '../rules/sample-facts.js';

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
 * The whole side's result is kept too, so a side seen before (same files, identity, registry
 * document and rules) is neither parsed nor run through the rules again.
 */
export const analyzeSide = (
  files: ReadonlyMap<string, { bytes: Uint8Array }>,
  identity: { name?: string; version?: string; integrity?: string } = {},
  context: PackageContext = {},
  cache?: FileFactsCache,
): DiffSide => {
  const manifest = parseManifest(files);
  if (!cache) return { files, ...analyzeFilesWithFacts(files, identity, context), manifest };
  const key = sideKey(files, identity, context, cache);
  const stored = cache.getRecord(key);
  const known = stored === undefined ? undefined : readSide(stored);
  if (known) return { files, ...known, manifest };
  const started = performance.now();
  const analysed = analyzeFilesWithFacts(files, identity, { ...context, fileFacts: cache });
  // Kept only when nothing was cut short: no file past a budget, and the cross-file pass (which
  // stops silently at the package's deadline) had its whole time.
  const complete =
    analysed.facts.files.every((f) => !f.factsTruncated) &&
    performance.now() - started < (context.timeBudgetMs ?? PACKAGE_TIME_BUDGET_MS);
  if (complete) cache.putRecord(key, packJson({ v: SIDE_FORMAT, ...analysed }));
  return { files, ...analysed, manifest };
};

/** Bumped when a stored side's shape changes. */
const SIDE_FORMAT = 1;

/** Everything a side's analysis depends on: each file by path and bytes, and what came with them. */
const sideKey = (
  files: ReadonlyMap<string, { bytes: Uint8Array }>,
  identity: { name?: string; version?: string; integrity?: string },
  context: PackageContext,
  cache: FileFactsCache,
): string => {
  const hash = createHash('sha256').update(
    `${JSON.stringify([
      'side',
      SIDE_FORMAT,
      ANALYZER_VERSION,
      rulesFingerprint(),
      identity.name ?? null,
      identity.version ?? null,
      identity.integrity ?? null,
      context.archive ?? null,
    ])}\0`,
  );
  hash.update(context.packument === undefined ? '-' : JSON.stringify(context.packument)).update('\0');
  for (const [file, { bytes }] of files) hash.update(cache.key(file, bytes)).update('\0');
  return hash.digest('hex');
};

const readSide = (entry: Uint8Array): { facts: PackageFacts; assessment: Assessment } | undefined => {
  const value = unpackJson(entry) as
    | { v?: unknown; facts?: PackageFacts; assessment?: Assessment }
    | undefined;
  if (
    value?.v !== SIDE_FORMAT ||
    !Array.isArray(value.facts?.files) ||
    !Array.isArray(value.facts?.code) ||
    typeof value.assessment?.verdict !== 'string' ||
    !Array.isArray(value.assessment.findings)
  )
    return undefined;
  return { facts: value.facts, assessment: value.assessment };
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
