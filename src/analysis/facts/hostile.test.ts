import { describe, expect, it } from 'vitest';
import { MAX_EXCERPT } from './excerpt.js';
import { extractFileFacts } from './extract-file.js';

/** Hostile inputs: each must return (never throw) within a time bound, with bounded output. */
const timed = (file: string, text: string) => {
  const started = performance.now();
  const result = extractFileFacts(file, text);
  return { ...result, ms: performance.now() - started };
};

const ofImports = (facts: { kind: string }[]) => facts.filter((f) => f.kind === 'import').length;

// Generous: a shared 2-core VM under load runs these 2-5x slower than an idle one.
const BOUND_MS = 20_000;

describe('hostile inputs', () => {
  it('walks a 1M-term a+a+… expression without deep recursion', () => {
    const { stats, ms } = timed('deep.js', `x = ${'a+'.repeat(1_000_000)}a;`);
    expect(stats.parsed).toBe(true);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('folds a 1M-term string concatenation in linear time and caps its size', () => {
    const { stats, facts, ms } = timed('concat.js', `x = ${"'ab'+".repeat(1_000_000)}'c';`);
    expect(stats.parsed).toBe(true);
    expect(ms).toBeLessThan(BOUND_MS);
    for (const fact of facts) if (fact.kind === 'string') expect(fact.value.length).toBeLessThanOrEqual(1000);
  });

  it('falls back to tokens on nesting too deep to parse', () => {
    const { stats, facts, ms } = timed(
      'nest.js',
      `${'('.repeat(100_000)}require('child_process')${')'.repeat(100_000)}`,
    );
    expect(stats.parsed).toBe(false);
    expect(stats.parseError).toMatch(/^tooDeep/);
    expect(facts.some((f) => f.kind === 'import' && f.module === 'child_process')).toBe(true);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('reads a 5 MB one-line file with bounded facts and short, clean excerpts', () => {
    const unit = "fetch('https://h0.invalid/\\x41');var _0x1a2b=process.env.K+'\u202e';";
    const text = unit.repeat(Math.ceil((5 * 1024 * 1024) / unit.length)).replace(/h0/g, () => 'h0');
    const { stats, facts, ms } = timed('big.js', text);
    expect(stats.lines).toBe(1);
    expect(stats.maxLineLength).toBe(text.length);
    expect(facts.length).toBeLessThanOrEqual(2000);
    expect(stats.factsTruncated).toBe(true);
    for (const fact of facts) {
      expect(fact.at.excerpt?.length ?? 0).toBeLessThanOrEqual(MAX_EXCERPT);
      expect(fact.at.excerpt).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('survives 1M semicolons, an unterminated template and binary junk', () => {
    for (const [file, text] of [
      ['semi.js', ';'.repeat(1_000_000)],
      ['tpl.js', `x = \`${'a'.repeat(1_000_000)}`],
      ['junk.js', String.fromCharCode(...Array.from({ length: 60_000 }, (_, i) => (i * 7919) % 65_536))],
      [
        'proto.js',
        "const o = {}; o['__proto__'] = require('child_process'); const { __proto__: p } = process.env;",
      ],
    ] as const) {
      const { ms } = timed(file, text);
      expect(ms).toBeLessThan(BOUND_MS);
    }
  });

  it('stops at the node budget and says so', () => {
    const source = "const cp = require('child_process');\n".repeat(300);
    const whole = extractFileFacts('a.js', source);
    const capped = extractFileFacts('a.js', source, { maxNodes: 500 });
    expect(whole.stats.factsTruncated).toBeUndefined();
    expect(capped.stats.factsTruncated).toBe(true);
    expect(capped.facts.length).toBeGreaterThan(0);
    expect(capped.facts.length).toBeLessThan(ofImports(whole.facts));
  });

  it('keeps excerpts free of terminal control characters', () => {
    const { facts } = extractFileFacts(
      'esc.js',
      "eval('\\x1b[2J'); // \u001b[31mred\u001b[0m\rfetch('https://x.invalid')",
    );
    expect(facts.length).toBeGreaterThan(0);
    for (const fact of facts) expect(fact.at.excerpt).not.toMatch(/[\u0000-\u001f]/);
  });
});
