import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { extractFileFacts, fileStatsForBytes } from '../analysis/facts/extract-file.js';
import { extractManifestFacts } from '../analysis/manifest/manifest-facts.js';
import type { CodeFact, FileStats, PackageFacts } from '../analysis/types.js';

const JS_FILE = /\.(?:c|m)?js$/;

const walk = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });

/** PackageFacts from a package's files (path → bytes), package.json among them when it has one. */
export const packageFactsFromFiles = (
  bytes: ReadonlyMap<string, { bytes: Uint8Array }>,
  fallbackManifest: unknown = {},
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
  for (const [file, { bytes: content }] of bytes) {
    if (!JS_FILE.test(file)) {
      files.push(fileStatsForBytes(file, content));
      continue;
    }
    const extracted = extractFileFacts(file, new TextDecoder().decode(content));
    files.push(extracted.stats);
    code.push(...extracted.facts);
  }
  return { manifest: extractManifestFacts(manifest, bytes), files, code };
};

/**
 * PackageFacts for a rule sample: a single .js file (a package of one file, no manifest) or a
 * folder holding a package.json and files. Samples are our own files, never executed.
 */
export const packageFactsFromSample = (path: string): PackageFacts => {
  const root = statSync(path).isDirectory() ? path : undefined;
  const paths = root ? walk(root) : [path];
  const bytes = new Map<string, { bytes: Uint8Array }>();
  for (const file of paths)
    bytes.set(root ? relative(root, file) : basename(file), { bytes: readFileSync(file) });
  return packageFactsFromFiles(bytes, { name: basename(path), version: '0.0.0' });
};
