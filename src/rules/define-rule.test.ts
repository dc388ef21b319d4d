import { describe, expect, it } from 'vitest';
import { defineRule, MAX_FINDINGS_PER_RULE, type RuleMeta } from './define-rule.js';
import { at, packageFacts } from './rule-test-kit.js';

const meta: RuleMeta = {
  kind: 'threat',
  category: 'network',
  severity: 'high',
  confidence: 'medium',
  description: 'a test rule',
  references: ['https://example.invalid/'],
  version: 1,
};

describe('defineRule', () => {
  it('rejects ids that are not kebab-case <category>-<behaviour>', () => {
    for (const id of ['Network', 'network', 'network_raw', 'network-', '-raw']) {
      expect(() => defineRule({ id, meta, detect: () => {} }), id).toThrow(/kebab-case/);
    }
  });

  it('rejects a version that is not a positive integer', () => {
    expect(() => defineRule({ id: 'network-raw', meta: { ...meta, version: 0 }, detect: () => {} })).toThrow(
      /version/,
    );
  });

  it('fills rule id, kind, severity, confidence and location; report overrides severity and confidence', () => {
    const rule = defineRule({
      id: 'network-test',
      meta,
      detect: ({ report }) => {
        report({ message: 'a', at: { ...at('a.js', 2, 3), excerpt: 'x()' } });
        report({
          message: 'b',
          source: at('a.js', 1),
          sink: at('a.js', 4),
          severity: 'critical',
          confidence: 'high',
        });
      },
    });
    expect(rule.run(packageFacts())).toEqual([
      {
        rule: 'network-test',
        kind: 'threat',
        severity: 'high',
        confidence: 'medium',
        message: 'a',
        file: 'a.js',
        line: 2,
        column: 3,
        excerpt: 'x()',
      },
      {
        rule: 'network-test',
        kind: 'threat',
        severity: 'critical',
        confidence: 'high',
        message: 'b',
        file: 'a.js',
        line: 4,
        column: 1,
        source: at('a.js', 1),
        sink: at('a.js', 4),
      },
    ]);
  });

  it('drops duplicate reports and caps findings per package', () => {
    const rule = defineRule({
      id: 'network-noisy',
      meta,
      detect: ({ report }) => {
        report({ message: 'same', at: at('a.js', 1) });
        for (let line = 1; line <= 100; line++) report({ message: 'same', at: at('a.js', line) });
      },
    });
    expect(rule.run(packageFacts())).toHaveLength(MAX_FINDINGS_PER_RULE);
  });
});
