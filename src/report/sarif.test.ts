import type { Log, Result } from 'sarif';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import type { ScanResult } from '../core/scan-result.js';
import { partialFingerprint, renderSarif, securitySeverity } from './sarif.js';
import { emptyResult, fixtureResult } from './testdata/scan-result-fixture.js';
import { validateSarif as validate } from './testdata/schema-validators.js';

const sarifOf = (result: ScanResult): Log => JSON.parse(renderSarif(result));
const resultsOf = (result: ScanResult): Result[] => sarifOf(result).runs[0]!.results!;
const findingById = (result: ScanResult, findingId: string): Finding =>
  result.findings.find((f) => f.id === findingId)!;

describe('renderSarif', () => {
  it('is valid against the official SARIF 2.1.0 schema', () => {
    for (const result of [fixtureResult(), emptyResult()]) {
      const valid = validate(sarifOf(result));
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('the schema check can fail', () => {
    const log = sarifOf(fixtureResult()) as unknown as { runs: { results: { level: string }[] }[] };
    log.runs[0]!.results[0]!.level = 'fatal';
    expect(validate(log)).toBe(false);
  });

  it('has one rule per advisory and one result per affected package version', () => {
    const result = fixtureResult();
    const lodash = findingById(result, 'GHSA-p6mc-m468-83gw');
    result.findings.push({ ...structuredClone(lodash), package: { name: 'lodash', version: '4.17.11' } });
    // Same issue reported under its CVE id: joins the GHSA rule.
    result.findings.push({
      ...structuredClone(lodash),
      id: 'CVE-2020-8203',
      aliases: ['GHSA-p6mc-m468-83gw'],
      package: { name: 'lodash', version: '4.17.10' },
    });
    const log = sarifOf(result);
    const rules = log.runs[0]!.tool.driver.rules!;
    const results = log.runs[0]!.results!;
    expect(rules.map((r) => r.id)).toEqual([...new Set(rules.map((r) => r.id))]);
    expect(rules.filter((r) => r.id === 'GHSA-p6mc-m468-83gw')).toHaveLength(1);
    expect(rules.some((r) => r.id === 'CVE-2020-8203')).toBe(false);
    const lodashResults = results.filter((r) => r.ruleId === 'GHSA-p6mc-m468-83gw');
    expect(lodashResults).toHaveLength(3);
    for (const r of results) expect(rules[r.ruleIndex!]!.id).toBe(r.ruleId);
    expect(results).toHaveLength(result.findings.length);
  });

  it('ranks with security-severity: CVSS score, else mapped from the band; malware above all', () => {
    const result = fixtureResult();
    const rules = new Map(sarifOf(result).runs[0]!.tool.driver.rules!.map((r) => [r.id, r]));
    expect(rules.get('GHSA-xvch-5gv4-984h')!.properties!['security-severity']).toBe('9.8');
    expect(rules.get('GHSA-78xj-cgh5-2h22')!.properties!['security-severity']).toBe('8.0');
    expect(rules.get('GHSA-pxg6-pf52-xh8x')!.properties!['security-severity']).toBe('2.0');
    expect(rules.get('MAL-2022-13')!.properties!['security-severity']).toBe('10.0');
    const medium: Finding = { ...findingById(result, 'GHSA-72xf-g2v4-qvf3'), score: undefined };
    expect(securitySeverity(medium)).toBe(5.5);
    expect(rules.get('GHSA-xvch-5gv4-984h')!.properties!.tags).toEqual([
      'security',
      'vulnerability',
      'critical',
      'npm',
    ]);
    expect(rules.get('MAL-2022-13')!.properties!.tags).toContain('malware');
  });

  it('maps severity to level', () => {
    const levels = new Map(resultsOf(fixtureResult()).map((r) => [`${r.ruleId}`, r.level]));
    expect(levels.get('MAL-2025-46974')).toBe('error');
    expect(levels.get('GHSA-xvch-5gv4-984h')).toBe('error');
    expect(levels.get('GHSA-p6mc-m468-83gw')).toBe('error');
    expect(levels.get('GHSA-72xf-g2v4-qvf3')).toBe('warning');
    expect(levels.get('GHSA-pxg6-pf52-xh8x')).toBe('note');
  });

  it('locates results in the lockfile, relative to the project, with a line where known', () => {
    const results = resultsOf(fixtureResult());
    const minimist = results.find((r) => r.ruleId === 'GHSA-xvch-5gv4-984h')!;
    expect(minimist.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'package-lock.json' },
      region: { startLine: 301 },
    });
    const hostile = results.find((r) => r.ruleId === 'GHSA-hhhh-hhhh-hhhh')!;
    expect(hostile.locations![0]!.physicalLocation!.region).toBeUndefined();

    const nested = fixtureResult();
    nested.target.file = '/home/dev/acme-app/packages/web app/pnpm-lock.yaml';
    const log = sarifOf(nested);
    expect(log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe(
      'packages/web%20app/pnpm-lock.yaml',
    );
    expect(validate(log)).toBe(true);
  });

  it('marks suppressed findings as externally suppressed, accepted, with the justification', () => {
    const results = resultsOf(fixtureResult());
    const semver = results.find((r) => r.ruleId === 'GHSA-c2qf-rxjj-qqgw')!;
    expect(semver.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification:
          'Ranges are parsed only from our own package.json, never from user input. (accepted until 2099-12-31)',
        properties: { source: '.bulwark.yaml', expires: '2099-12-31' },
      },
    ]);
    expect(results.filter((r) => r.suppressions !== undefined).map((r) => r.ruleId)).toEqual([
      'GHSA-c2qf-rxjj-qqgw',
      'GHSA-78xj-cgh5-2h22',
    ]);
    const expired = results.find((r) => r.ruleId === 'GHSA-72xf-g2v4-qvf3')!;
    expect(expired.suppressions).toBeUndefined();
    expect(expired.properties!.expiredSuppression).toMatchObject({ expires: '2024-01-31' });
  });

  it('fingerprints are stable across runs and independent of lines and timestamps', () => {
    const first = fixtureResult();
    const second = fixtureResult();
    second.generatedAt = '2025-07-01T00:00:00.000Z';
    second.findings.reverse();
    for (const finding of second.findings) if (finding.line !== undefined) finding.line += 7;
    const prints = (result: ScanResult) =>
      new Map(resultsOf(result).map((r) => [`${r.ruleId} ${r.message.text}`, r.partialFingerprints]));
    const a = resultsOf(first).map((r) => r.partialFingerprints!['bulwark/finding/v1']);
    const b = new Set(resultsOf(second).map((r) => r.partialFingerprints!['bulwark/finding/v1']));
    expect(a.every((print) => b.has(print))).toBe(true);
    expect(new Set(a).size).toBe(a.length);
    expect(prints(first).size).toBe(first.findings.length);

    const lodash = findingById(first, 'GHSA-p6mc-m468-83gw');
    const otherVersion = { ...lodash, package: { name: 'lodash', version: '4.17.16' } };
    expect(partialFingerprint(otherVersion)).not.toBe(partialFingerprint(lodash));
    expect(partialFingerprint(lodash)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps hostile text out of links and markup', () => {
    const log = sarifOf(fixtureResult());
    const rule = log.runs[0]!.tool.driver.rules!.find((r) => r.id === 'GHSA-hhhh-hhhh-hhhh')!;
    expect(rule.help!.markdown).not.toContain('<script>');
    expect(rule.help!.markdown).toContain('&lt;script&gt;');
    expect(rule.help!.markdown).not.toContain('javascript:');
    expect(rule.help!.text).not.toContain('javascript:');
    // Displayed fields carry no control or bidi characters; properties keep identifiers exact.
    const displayed = JSON.stringify(log, (key, value) => (key === 'properties' ? undefined : value));
    expect(displayed).not.toMatch(/\\u001b|\u202e/);
    expect(displayed).toContain('@evil/pkg[8m@1.0.0');

    const unsafe = fixtureResult();
    unsafe.findings[0]!.id = 'MAL-1 <img src=x>';
    const unsafeRule = sarifOf(unsafe).runs[0]!.tool.driver.rules![0]!;
    expect(unsafeRule.helpUri).toBeUndefined();
    expect(validate(sarifOf(unsafe))).toBe(true);
  });
});

describe('renderSarif limits', () => {
  it('cuts a hostile megabyte summary instead of repeating it', () => {
    const result = fixtureResult();
    result.findings[2]!.summary = 'x'.repeat(1_000_000);
    const text = renderSarif(result);
    expect(text.length).toBeLessThan(200_000);
    expect(validate(JSON.parse(text))).toBe(true);
  });
});
