import { describe, expect, it } from 'vitest';
import { renderJson } from './json.js';
import { emptyResult, fixtureResult } from './testdata/scan-result-fixture.js';
import { validateScanReport as validate } from './testdata/schema-validators.js';

describe('renderJson', () => {
  it('is exactly the ScanResult, pretty-printed', () => {
    const result = fixtureResult();
    const text = renderJson(result);
    expect(JSON.parse(text)).toEqual(result);
    expect(text).toMatch(/^\{\n {2}"schemaVersion": 1,/);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('validates against the published schema', () => {
    for (const result of [fixtureResult(), emptyResult()]) {
      const valid = validate(JSON.parse(renderJson(result)));
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('keeps hostile strings exact but escaped by JSON (no raw control bytes)', () => {
    const text = renderJson(fixtureResult());
    expect(text).not.toContain('\u001b');
    expect(text).toContain('\\u001b[2J');
    expect(JSON.parse(text).findings.some((f: { summary: string }) => f.summary.includes('\u001b[2J'))).toBe(
      true,
    );
  });

  it('the schema rejects undocumented fields and wrong values', () => {
    const extraField = JSON.parse(renderJson(fixtureResult()));
    extraField.findings[0].exploitability = 'high';
    expect(validate(extraField)).toBe(false);

    const badType = JSON.parse(renderJson(fixtureResult()));
    badType.findings[0].type = 'rumour';
    expect(validate(badType)).toBe(false);

    const badRemediation = JSON.parse(renderJson(fixtureResult()));
    badRemediation.findings[2].remediation = { kind: 'upgrade', to: '1.0.0' };
    expect(validate(badRemediation)).toBe(false);

    const badVersion = JSON.parse(renderJson(fixtureResult()));
    badVersion.schemaVersion = 2;
    expect(validate(badVersion)).toBe(false);
  });
});
