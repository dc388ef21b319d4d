import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess } from '../analysis/score.js';
import type { Verdict } from '../analysis/types.js';
import { readTarball } from '../tarball/index.js';
import { runRules } from './index.js';
import { packageFactsFromFiles } from './sample-facts.js';

// Real popular packages: BULWARK_CORPUS names a folder of .tgz files (evals/benign/run.mjs
// --save-corpus writes one), else the tarballs bench/analyze caches. Absent on a fresh checkout,
// where this false-positive check is skipped; evals/benign is the full measurement.
const CORPUS =
  process.env.BULWARK_CORPUS ?? new URL('../../bench/.out/parser-choice/tarballs', import.meta.url).pathname;
const present = existsSync(CORPUS);

describe('rules on real popular packages', () => {
  it.skipIf(!present)(
    `call none malicious or suspicious (corpus: ${CORPUS})`,
    async () => {
      const flagged: string[] = [];
      const verdicts = new Map<Verdict, number>();
      for (const name of readdirSync(CORPUS).filter((file) => file.endsWith('.tgz'))) {
        const contents = await readTarball(readFileSync(join(CORPUS, name)));
        const facts = packageFactsFromFiles(contents.files);
        const findings = runRules(facts);
        const result = assess(facts, findings);
        verdicts.set(result.verdict, (verdicts.get(result.verdict) ?? 0) + 1);
        if (result.verdict !== 'clean') {
          const rules = [...new Set(findings.filter((f) => f.kind === 'threat').map((f) => f.rule))];
          flagged.push(`${name}: ${result.verdict} ${result.score} [${rules.join(', ')}]`);
        }
      }
      expect(flagged).toEqual([]);
      expect(verdicts.get('clean')).toBeGreaterThan(0);
    },
    1_800_000,
  );
});
