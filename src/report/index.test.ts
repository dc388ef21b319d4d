import { describe, expect, it } from 'vitest';
import { isReportFormat, REPORT_FORMATS, renderReport } from './index.js';
import { emptyResult, fixtureResult } from './testdata/scan-result-fixture.js';

const EXTENSION = {
  table: 'txt',
  json: 'json',
  sarif: 'sarif',
  cyclonedx: 'cdx.json',
  markdown: 'md',
} as const;

describe('renderReport', () => {
  for (const format of REPORT_FORMATS) {
    it(`renders the fixture scan as ${format} (golden file)`, async () => {
      const text = renderReport(fixtureResult(), format, { color: false });
      await expect(text).toMatchFileSnapshot(`./__snapshots__/report.${EXTENSION[format]}`);
    });

    it(`renders a clean scan as ${format} (golden file)`, async () => {
      const text = renderReport(emptyResult(), format, { color: false });
      await expect(text).toMatchFileSnapshot(`./__snapshots__/clean.${EXTENSION[format]}`);
    });

    it(`${format} is deterministic and leaves its input untouched`, () => {
      const result = fixtureResult();
      const before = JSON.stringify(result);
      const first = renderReport(result, format, { color: false });
      expect(renderReport(result, format, { color: false })).toBe(first);
      expect(JSON.stringify(result)).toBe(before);
    });

    it(`${format} shows every suppressed finding`, () => {
      const text = renderReport(fixtureResult(), format, { color: false });
      for (const finding of fixtureResult().findings.filter((f) => f.suppression)) {
        expect(text).toContain(finding.id);
        expect(text).toContain(
          format === 'json' ? finding.suppression!.reason : finding.suppression!.reason.slice(0, 20),
        );
      }
    });
  }

  it('lists the formats and recognises their names', () => {
    expect(REPORT_FORMATS).toEqual(['table', 'json', 'sarif', 'cyclonedx', 'markdown']);
    expect(isReportFormat('sarif')).toBe(true);
    expect(isReportFormat('xml')).toBe(false);
    expect(isReportFormat('__proto__')).toBe(false);
  });
});
