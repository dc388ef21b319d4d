import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess } from '../analysis/score.js';
import type { Verdict } from '../analysis/types.js';
import { readTarball } from '../tarball/index.js';
import { runRules } from './index.js';
import { packageFactsFromFiles } from './sample-facts.js';

// Real popular packages cached by bench/analyze/parser-choice.mjs (--download-only); absent on a
// fresh checkout, where this false-positive check is skipped.
const CORPUS = new URL('../../bench/.out/parser-choice/tarballs', import.meta.url).pathname;
const present = existsSync(CORPUS);

describe('rules on real popular packages', () => {
  it.skipIf(!present)(
    'call none malicious or suspicious (corpus: bench/.out/parser-choice/tarballs)',
    async () => {
      const flagged: string[] = [];
      const verdicts = new Map<Verdict, number>();
      for (const name of readdirSync(CORPUS).filter((file) => file.endsWith('.tgz'))) {
        const contents = await readTarball(readFileSync(join(CORPUS, name)));
        const facts = packageFactsFromFiles(contents.files);
        const result = assess(facts, runRules(facts));
        verdicts.set(result.verdict, (verdicts.get(result.verdict) ?? 0) + 1);
        if (result.verdict !== 'clean') flagged.push(`${name}: ${result.verdict} ${result.score}`);
      }
      expect(flagged).toEqual([]);
      expect(verdicts.get('clean')).toBeGreaterThan(0);
    },
    600_000,
  );
});
