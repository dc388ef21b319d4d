import type { ScanResult } from '../core/scan-result.js';
import { renderCycloneDx } from './cyclonedx.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';

export type ReportFormat = 'table' | 'json' | 'sarif' | 'cyclonedx' | 'markdown';

export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'json', 'sarif', 'cyclonedx', 'markdown'];

export const isReportFormat = (value: string): value is ReportFormat =>
  (REPORT_FORMATS as readonly string[]).includes(value);

export type ReportOptions = { color: boolean; verbose?: boolean };

/** Renders a scan result in one format. Pure: no I/O, same input gives the same text. */
export const renderReport = (result: ScanResult, format: ReportFormat, options: ReportOptions): string => {
  switch (format) {
    case 'table':
      return renderTable(result, options);
    case 'json':
      return renderJson(result);
    case 'sarif':
      return renderSarif(result);
    case 'cyclonedx':
      return renderCycloneDx(result);
    case 'markdown':
      return renderMarkdown(result);
  }
};

export { terminalLine, terminalSafe } from './terminal-text.js';
export { renderCycloneDx, renderJson, renderMarkdown, renderSarif, renderTable };
