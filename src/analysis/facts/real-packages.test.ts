import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTarball } from '../../tarball/index.js';
import { isDeclarationFile } from '../parse/strip-types.js';
import { extractFileFacts } from './extract-file.js';

// Real packages cached by the parser benchmark (bench/analyze/parser-choice.mjs; gitignored).
const cache = resolve(import.meta.dirname, '../../../bench/.out/parser-choice/tarballs');
const tarballs = existsSync(cache)
  ? readdirSync(cache)
      .filter((n) => n.endsWith('.tgz'))
      .sort()
  : [];
// TypeScript sources are stripped and parsed (docs/decisions/typescript.md); declaration files are never run.
const SOURCE = /\.(?:js|cjs|mjs|ts|mts|cts)$/;
const TYPESCRIPT = /\.[cm]?ts$/;
const PER_FILE_MS = 20_000;

describe('real packages', () => {
  it.skipIf(tarballs.length === 0)(
    'extracts from the JS files of 20 cached packages and every cached TS file without throwing, within a time bound (skipped when the cache is absent: run bench/analyze/parser-choice.mjs --download-only)',
    async () => {
      const step = Math.max(1, Math.floor(tarballs.length / 20));
      let files = 0;
      let parsed = 0;
      let typescript = 0;
      let typescriptParsed = 0;
      // JavaScript: every file of 20 packages spread over the cache; TypeScript: every package.
      for (const [index, name] of tarballs.entries()) {
        const inSample = index % step === 0 && index / step < 20;
        const contents = await readTarball(readFileSync(join(cache, name)));
        for (const [path, file] of contents.files) {
          if (!SOURCE.test(path) || isDeclarationFile(path)) continue;
          if (!inSample && !TYPESCRIPT.test(path)) continue;
          const text = new TextDecoder().decode(file.bytes);
          const started = performance.now();
          const { stats, facts } = extractFileFacts(path, text);
          expect(performance.now() - started, `${name} ${path}`).toBeLessThan(PER_FILE_MS);
          expect(stats.file).toBe(path);
          expect(facts.length).toBeLessThanOrEqual(2000);
          if (TYPESCRIPT.test(path)) {
            typescript++;
            // the only TypeScript left to the token layer: namespaces holding code
            if (stats.parsed) typescriptParsed++;
            else expect(stats.parseError, `${name} ${path}`).toMatch(/^unsupported: TypeScript namespace/);
          } else {
            files++;
            if (stats.parsed) parsed++;
          }
        }
      }
      expect(files).toBeGreaterThan(50);
      expect(typescript).toBeGreaterThan(0);
      expect(typescriptParsed / typescript).toBeGreaterThan(0.95);
      // Every real JavaScript file of the parser corpus parsed (docs/decisions/js-parser.md).
      expect(parsed).toBe(files);
    },
  );
});
