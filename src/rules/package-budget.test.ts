import { describe, expect, it } from 'vitest';
import { PACKAGE_TIME_BUDGET_MS, packageFactsFromFiles } from './sample-facts.js';

// One heavy but ordinary-looking file: calls, requires, env reads and URL strings on every line.
const heavyFile = (lines: number): Uint8Array => {
  const body: string[] = [];
  for (let i = 0; i < lines; i++) {
    body.push(
      `const v${i} = require("m${i % 97}").f${i}("https://h${i}.example.invalid/p?q=" + process.env.K${i % 13}, [${i}, "s${i}"]);`,
    );
  }
  return new TextEncoder().encode(body.join('\n'));
};

describe('package time budget', () => {
  it('stops parsing a package of many heavy files when its budget is spent, and says so per file', () => {
    const bytes = heavyFile(4000);
    const files = new Map<string, { bytes: Uint8Array }>();
    // 400 files of ~0.5 MB: far more than the budget allows (each takes tens of ms).
    for (let i = 0; i < 400; i++) files.set(`lib/part-${String(i).padStart(3, '0')}.js`, { bytes });
    const budget = 300;
    const started = performance.now();
    const facts = packageFactsFromFiles(files, {}, { timeBudgetMs: budget });
    const elapsed = performance.now() - started;

    expect(facts.files).toHaveLength(400);
    const skipped = facts.files.filter((f) => f.parseError?.includes('analysis budget was spent'));
    expect(skipped.length).toBeGreaterThan(0);
    for (const f of skipped) {
      expect(f.factsTruncated).toBe(true);
      expect(f.parsed).toBe(false);
    }
    // The files read before the budget ran out keep their facts.
    expect(facts.files[0]?.parsed).toBe(true);
    expect(facts.code.some((fact) => fact.kind === 'import' && fact.at.file === 'lib/part-000.js')).toBe(
      true,
    );
    // The budget plus the file in progress (generous: the machine is shared); the 399 files left
    // would take seconds more.
    expect(elapsed).toBeLessThan(budget + 2000);
  });

  it('leaves an ordinary package whole', () => {
    const files = new Map([['index.js', { bytes: heavyFile(200) }]]);
    const facts = packageFactsFromFiles(files);
    expect(PACKAGE_TIME_BUDGET_MS).toBeLessThan(10_000);
    expect(facts.files[0]?.parsed).toBe(true);
    expect(facts.files[0]?.factsTruncated).toBeUndefined();
  });
});
