import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalyzerIdentity, ResultCache } from './result-cache.js';

/**
 * The analyser version and rules fingerprint, without loading the analyser when the cache has
 * seen this build: loading it (parser, every rule) is most of a warm run's cost. A bundled
 * worker (`.mjs`) names its build by the hash of its bytes and of every chunk it imports; the
 * tsc output (`worker.js`, imports by plain path) and a missing worker are asked directly.
 */
export const analyzerIdentity = async (
  cache: Pick<ResultCache<unknown>, 'getIdentity' | 'putIdentity'> | undefined,
  workerUrl: URL | undefined,
): Promise<AnalyzerIdentity> => {
  const stamp = cache && workerUrl?.protocol === 'file:' ? bundleStamp(fileURLToPath(workerUrl)) : undefined;
  const known = stamp === undefined ? undefined : cache?.getIdentity(stamp);
  if (known) return known;
  const [{ ANALYZER_VERSION }, { rulesFingerprint }] = await Promise.all([
    import('./analyze.js'),
    import('../rules/index.js'),
  ]);
  const identity = { analyzer: ANALYZER_VERSION, fingerprint: rulesFingerprint() };
  if (stamp !== undefined) {
    try {
      cache?.putIdentity(stamp, identity);
    } catch {
      // a read-only cache still serves reads
    }
  }
  return identity;
};

/** sha256 over a bundled entry and, transitively, the sibling chunks it imports statically. */
export const bundleStamp = (entry: string): string | undefined => {
  if (!entry.endsWith('.mjs')) return undefined;
  const hash = createHash('sha256');
  const seen = new Set<string>();
  const pending = [entry];
  try {
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      hash
        .update(file.slice(file.lastIndexOf('/') + 1))
        .update('\0')
        .update(text);
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*["']\.\/([\w.-]+\.mjs)["']/g))
        pending.push(join(dirname(file), match[1]!));
    }
  } catch {
    return undefined;
  }
  return hash.digest('hex');
};
