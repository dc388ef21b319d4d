import { describe, expect, it } from 'vitest';
import { fileStats, packageFacts } from '../rule-test-kit.js';
import { packageFactsFromFiles } from '../sample-facts.js';
import { analysisIncomplete as rule } from './analysis-incomplete.js';

const bytes = (text: string) => ({ bytes: new TextEncoder().encode(text) });

describe('analysis-incomplete', () => {
  it('names each file whose facts were capped, from real extraction', () => {
    const many = Array.from({ length: 300 }, (_, i) => `exports.v${i} = process.env.SETTING_${i};`).join(
      '\n',
    );
    const facts = packageFactsFromFiles(
      new Map([
        ['index.js', bytes('module.exports = 1;')],
        ['big.js', bytes(many)],
      ]),
    );
    const findings = rule.run(facts);
    expect(findings.map((f) => f.file)).toEqual(['big.js']);
    expect(findings[0]?.kind).toBe('capability');
  });

  it('says when the package budget ran out before a file was read', () => {
    const findings = rule.run(
      packageFacts({
        files: [
          fileStats('late.js', {
            factsTruncated: true,
            parseError: "not analysed: the package's 7000 ms analysis budget was spent",
          }),
        ],
      }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      "late.js: not analysed: the package's 7000 ms analysis budget was spent",
    ]);
  });

  it('is silent when every file was read whole', () => {
    expect(rule.run(packageFacts({ files: [fileStats('a.js')] }))).toEqual([]);
  });
});
