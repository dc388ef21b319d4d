import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../core/scan-result.js';
import { renderReport } from './index.js';
import { buildSarif } from './sarif.js';
import { behaviorResult } from './testdata/behavior-fixture.js';
import { validateScanReport as validate, validateSarif } from './testdata/schema-validators.js';
import { UPGRADE_RULE_ID } from './upgrade-sarif.js';

const withUpgrades = (): ScanResult => ({
  ...behaviorResult(),
  upgrades: {
    summary: {
      depth: 3,
      packages: 2,
      releases: 3,
      analysed: 1,
      cached: 2,
      turned: 2,
      packagesTurned: 2,
      unavailable: 0,
      durationMs: 12,
    },
    packages: [
      {
        name: 'lib',
        installed: '1.0.0',
        latest: '1.1.0',
        newer: 2,
        checked: ['1.1.0', '1.0.1'],
        turned: [
          {
            version: '1.1.0',
            verdict: 'malicious',
            reasons: ['clean (score 0.0) → malicious (score 9.5) by credential-exfil'],
            findings: [
              {
                rule: 'credential-exfil',
                kind: 'threat',
                severity: 'critical',
                confidence: 'high',
                message: 'reads ~/.npmrc and sends it to collector.invalid',
                file: 'telemetry.js',
                line: 6,
                excerpt: 'req.end(token) \u001b[31m',
              },
            ],
            metadata: [],
          },
        ],
      },
      {
        name: 'meta-lib',
        installed: '3.0.0',
        latest: '3.0.1',
        newer: 1,
        checked: ['3.0.1'],
        latestDeprecated: 'use meta-lib-ng',
        turned: [
          {
            version: '3.0.1',
            verdict: 'suspicious',
            reasons: ['published by mallory, who published none of the 1 earlier releases'],
            findings: [],
            metadata: [{ kind: 'publisher-change', severity: 'high', message: 'published by mallory' }],
          },
        ],
      },
    ],
  },
});

describe('the upgrade check in every scan report', () => {
  it('json: validates against the report schema', () => {
    const parsed = JSON.parse(renderReport(withUpgrades(), 'json', { color: false }));
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    expect(parsed.upgrades.packages[0].turned[0]).toMatchObject({ version: '1.1.0', verdict: 'malicious' });
    const broken = structuredClone(parsed);
    broken.upgrades.packages[0].turned[0].verdict = 'clean';
    expect(validate(broken)).toBe(false);
  });

  it('table: a summary line and a section naming what not to upgrade to, malicious first, escaped', () => {
    const text = renderReport(withUpgrades(), 'table', { color: false });
    expect(text).toContain(
      'newer releases: 2 packages, 3 releases checked (1 analysed, 2 cached) · 2 turned in 2 packages',
    );
    expect(text).toContain('BEFORE YOU UPGRADE (2 releases turned)');
    expect(text).toContain('do not upgrade to lib@1.1.0 (installed 1.0.0): malicious');
    expect(text).toContain('do not upgrade to meta-lib@3.0.1 (installed 3.0.0): suspicious');
    expect(text.indexOf('lib@1.1.0')).toBeLessThan(text.indexOf('meta-lib@3.0.1'));
    expect(text).toContain('CRITICAL credential-exfil (threat, high confidence) telemetry.js:6');
    expect(text).toContain('latest release deprecated: meta-lib@3.0.1 (use meta-lib-ng)');
    expect(text).not.toContain('\u001b');
  });

  it('table: releases whose code could not be judged are counted on the summary line', () => {
    const result = withUpgrades();
    result.upgrades!.packages[0]!.notJudged = [{ version: '1.0.1', reason: 'analysis time limit' }];
    expect(renderReport(result, 'table', { color: false })).toContain(
      '2 turned in 2 packages · 1 not judged (time limit, fetch or archive problem)',
    );
  });

  it('table: with nothing turned, one summary line and no section', () => {
    const result = withUpgrades();
    result.upgrades!.summary.turned = 0;
    for (const check of result.upgrades!.packages) {
      check.turned = [];
      delete check.latestDeprecated;
    }
    const text = renderReport(result, 'table', { color: false });
    expect(text).toContain('3 releases checked (1 analysed, 2 cached) · none turned');
    expect(text).not.toContain('BEFORE YOU UPGRADE');
  });

  it('table: a deprecated latest alone gets the section, wrapped and indented', () => {
    const result = withUpgrades();
    for (const check of result.upgrades!.packages) check.turned = [];
    const text = renderReport(result, 'table', { color: false });
    expect(text).toContain(
      'BEFORE YOU UPGRADE (no newer release turned)\n  latest release deprecated: meta-lib@3.0.1 (use meta-lib-ng)\n',
    );
  });

  it('markdown: a warning callout with each release and its reasons, evidence folded away', () => {
    const text = renderReport(withUpgrades(), 'markdown', { color: false });
    expect(text).toContain('> **Before you upgrade: newer releases that turned**');
    expect(text).toContain('> - do not upgrade to lib@1.1.0 (installed 1.0.0): malicious: clean (score 0.0)');
    expect(text).toContain('<summary>Newer-release evidence</summary>');
  });

  it('sarif: one result per turned release under its own rule, valid SARIF', () => {
    const log = buildSarif(withUpgrades());
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    const run = log.runs[0]!;
    const index = run.tool.driver.rules!.findIndex((rule) => rule.id === UPGRADE_RULE_ID);
    expect(index).toBeGreaterThanOrEqual(0);
    const upgrades = run.results!.filter((r) => r.ruleId === UPGRADE_RULE_ID);
    expect(upgrades.map((r) => [r.level, r.ruleIndex, r.properties?.release])).toEqual([
      ['error', index, '1.1.0'],
      ['warning', index, '3.0.1'],
    ]);
    expect(upgrades[0]!.message.text).toMatch(
      /^do not upgrade to lib@1\.1\.0 \(installed 1\.0\.0\): malicious\./,
    );
  });

  it('leaves every report unchanged when the check did not run', () => {
    const plain = behaviorResult();
    expect(renderReport(plain, 'table', { color: false })).not.toContain('newer releases');
    expect(buildSarif(plain).runs[0]!.tool.driver.rules!.some((r) => r.id === UPGRADE_RULE_ID)).toBe(false);
  });
});
