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
  const manifestBytes = bytes.get('package.json')?.bytes;
  const manifest: unknown = manifestBytes
    ? JSON.parse(new TextDecoder().decode(manifestBytes))
    : { name: basename(path), version: '0.0.0' };
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
