import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { createCrossFilePass } from '../analysis/facts/cross-file.js';
import { extractFileFacts, fileStatsForBytes } from '../analysis/facts/extract-file.js';
import type { FileFactsCache } from '../analysis/file-facts-cache.js';
import { extractManifestFacts } from '../analysis/manifest/manifest-facts.js';
import { metadataSignals } from '../analysis/manifest/metadata-signals.js';
import { isDeclarationFile } from '../analysis/parse/strip-types.js';
import type { CodeFact, FileStats, PackageFacts } from '../analysis/types.js';
import { isRecord } from '../core/shape.js';
import type { TarballProblem } from '../tarball/types.js';
import { NPMRC_FILE, npmrcFacts } from './npmrc-facts.js';
import { isScriptFile, scriptFileFacts } from './script-file-facts.js';

/** JavaScript and TypeScript sources (`.d.ts` declarations hold no code). */
const JS_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

const walk = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });

/** What is known about a package besides its files. */
export type PackageContext = {
  /** The registry document (full packument, parsed, unvalidated) the package was published in. */
  packument?: unknown;
  /** Problems the tarball reader reported (unsafe entries, limits reached). */
  archive?: TarballProblem[];
  /** Wall-clock budget for the package's code, in ms (default PACKAGE_TIME_BUDGET_MS). */
  timeBudgetMs?: number;
  /** Per-file facts known from an earlier analysis: files found there are not parsed again. */
  fileFacts?: FileFactsCache;
};

/**
 * Time for one package's code. Files left when it is spent are not parsed: their stats say so
 * (`factsTruncated`, `parseError`). The slowest of 205 real packages (pdfjs-dist) needs ~4 s;
 * with reading and rules the package stays under 10 s.
 */
export const PACKAGE_TIME_BUDGET_MS = 7000;
/** The AST walk's own budget per file (extractFileFacts' default). */
const FILE_TIME_BUDGET_MS = 5000;

/**
 * PackageFacts from a package's files (path → bytes), package.json among them when it has one.
 * Metadata signals are computed when there is a package.json or a packument; registry-only ones
 * (manifest confusion, deprecation, version jump, security holding) need the packument.
 */
export const packageFactsFromFiles = (
  bytes: ReadonlyMap<string, { bytes: Uint8Array }>,
  fallbackManifest: unknown = {},
  context: PackageContext = {},
): PackageFacts => {
  const manifestBytes = bytes.get('package.json')?.bytes;
  let manifest: unknown = fallbackManifest;
  if (manifestBytes) {
    try {
      manifest = JSON.parse(new TextDecoder().decode(manifestBytes));
    } catch {
      // extractManifestFacts records the problem for a non-object manifest
      manifest = undefined;
    }
  }
  const files: FileStats[] = [];
  const code: CodeFact[] = [];
  const crossFile = createCrossFilePass();
  const budget = context.timeBudgetMs ?? PACKAGE_TIME_BUDGET_MS;
  const deadline = performance.now() + budget;
  for (const [file, { bytes: content }] of bytes) {
    if (!JS_FILE.test(file) || isDeclarationFile(file)) {
      // Statistics of a small file cost less than a cache look-up.
      const key = content.byteLength >= CACHED_OTHER_FILE ? context.fileFacts?.key(file, content) : undefined;
      const known = key === undefined ? undefined : context.fileFacts?.get(key);
      const other = known ?? otherFileFacts(file, content);
      if (key !== undefined && !known) context.fileFacts?.put(key, other);
      files.push(other.stats);
      code.push(...other.facts);
      continue;
    }
    const key = context.fileFacts?.key(file, content);
    const known = key === undefined ? undefined : context.fileFacts?.get(key);
    if (known) {
      files.push(known.stats);
      code.push(...known.facts);
      crossFile.add(file, known);
      continue;
    }
    const left = deadline - performance.now();
    if (left <= 0) {
      // Not even read for statistics: a package of thousands of heavy files stops here.
      files.push({
        file,
        bytes: content.byteLength,
        lines: 0,
        maxLineLength: 0,
        entropy: 0,
        parsed: false,
        minified: false,
        factsTruncated: true,
        parseError: `not analysed: the package's ${budget} ms analysis budget was spent`,
      });
      continue;
    }
    const extracted = extractFileFacts(file, new TextDecoder().decode(content), {
      timeBudgetMs: Math.min(FILE_TIME_BUDGET_MS, left),
    });
    // A truncated walk may be the time budget's doing: facts a later run could complete.
    if (key !== undefined && !extracted.stats.factsTruncated) context.fileFacts?.put(key, extracted);
    files.push(extracted.stats);
    code.push(...extracted.facts);
    crossFile.add(file, extracted);
  }
  code.push(...crossFile.flows((file) => new TextDecoder().decode(bytes.get(file)?.bytes), deadline));
  const manifestFacts = extractManifestFacts(manifest, bytes);
  const facts: PackageFacts = { manifest: manifestFacts, files, code };
  if (context.archive && context.archive.length > 0) facts.archive = context.archive;
  if (manifestBytes || context.packument !== undefined) {
    facts.metadata = metadataSignals({
      packument: context.packument ?? {},
      version: registryVersion(context.packument, fallbackManifest, manifestFacts.version),
      ...(manifestBytes ? { tarballManifest: manifest } : {}),
      files: bytes,
    });
  }
  return facts;
};

/** Non-JavaScript files at least this big go through the file facts cache. */
const CACHED_OTHER_FILE = 4096;

/** Statistics of a file that is not code, and facts for the few kinds read (.npmrc, shell scripts). */
const otherFileFacts = (file: string, content: Uint8Array): { stats: FileStats; facts: CodeFact[] } => {
  const stats = fileStatsForBytes(file, content);
  if (NPMRC_FILE.test(file)) return { stats, facts: npmrcFacts(file, new TextDecoder().decode(content)) };
  if (isScriptFile(file, new TextDecoder().decode(content.subarray(0, 64))))
    return { stats, facts: scriptFileFacts(file, new TextDecoder().decode(content)) };
  return { stats, facts: [] };
};

/**
 * The version the registry published these files as: the caller's (the version it resolved and
 * downloaded) when the document has it, so a tarball claiming another version in its package.json
 * is still compared with the right registry manifest; else the package.json's.
 */
const registryVersion = (packument: unknown, fallbackManifest: unknown, own: string): string => {
  const asked =
    isRecord(fallbackManifest) && typeof fallbackManifest.version === 'string'
      ? fallbackManifest.version
      : '';
  const versions = isRecord(packument) && isRecord(packument.versions) ? packument.versions : {};
  return asked !== '' && Object.hasOwn(versions, asked) ? asked : own;
};

/** In a folder sample, the registry document the sample was "published" with; not a package file. */
export const SAMPLE_PACKUMENT = 'packument.json';
/** In a folder sample, `{ "problems": TarballProblem[] }` standing for what the tarball reader reported. */
export const SAMPLE_ARCHIVE = 'archive-problems.json';

/**
 * PackageFacts for a rule sample: a single .js file (a package of one file, no manifest) or a
 * folder holding a package.json and files, and optionally a packument.json standing for the
 * registry document. Samples are our own files, never executed.
 */
export const packageFactsFromSample = (path: string): PackageFacts => {
  const root = statSync(path).isDirectory() ? path : undefined;
  const paths = root ? walk(root) : [path];
  const bytes = new Map<string, { bytes: Uint8Array }>();
  const context: PackageContext = {};
  for (const file of paths) {
    const name = root ? relative(root, file) : basename(file);
    if (root && name === SAMPLE_PACKUMENT) context.packument = JSON.parse(readFileSync(file, 'utf8'));
    else if (root && name === SAMPLE_ARCHIVE)
      context.archive = (JSON.parse(readFileSync(file, 'utf8')) as { problems: TarballProblem[] }).problems;
    else bytes.set(name, { bytes: readFileSync(file) });
  }
  return packageFactsFromFiles(bytes, { name: basename(path), version: '0.0.0' }, context);
};
