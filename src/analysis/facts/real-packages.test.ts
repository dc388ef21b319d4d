import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTarball } from '../../tarball/index.js';
import { extractFileFacts } from './extract-file.js';

// Real packages cached by the parser benchmark (bench/analyze/parser-choice.mjs; gitignored).
const cache = resolve(import.meta.dirname, '../../../bench/.out/parser-choice/tarballs');
const tarballs = existsSync(cache)
  ? readdirSync(cache)
      .filter((n) => n.endsWith('.tgz'))
      .sort()
  : [];
const SOURCE = /\.(?:js|cjs|mjs)$/;
const PER_FILE_MS = 20_000;

describe('real packages', () => {
  it.skipIf(tarballs.length === 0)(
    'extracts from every JS file of 20 cached packages without throwing, within a time bound (skipped: run bench/analyze/parser-choice.mjs --download-only to fill the cache)',
    async () => {
      const sample = tarballs
        .filter((_, i) => i % Math.max(1, Math.floor(tarballs.length / 20)) === 0)
        .slice(0, 20);
      let files = 0;
      let parsed = 0;
      for (const name of sample) {
        const contents = await readTarball(readFileSync(join(cache, name)));
        for (const [path, file] of contents.files) {
          if (!SOURCE.test(path)) continue;
          const text = new TextDecoder().decode(file.bytes);
          const started = performance.now();
          const { stats, facts } = extractFileFacts(path, text);
          expect(performance.now() - started, `${name} ${path}`).toBeLessThan(PER_FILE_MS);
          expect(stats.file).toBe(path);
          expect(facts.length).toBeLessThanOrEqual(2000);
          files++;
          if (stats.parsed) parsed++;
        }
      }
      expect(files).toBeGreaterThan(50);
      // Every real JavaScript file of the parser corpus parsed (docs/decisions/js-parser.md).
      expect(parsed).toBe(files);
    },
  );
});
