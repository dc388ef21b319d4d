import type { PackageAnalysis } from '../analysis/analyze.js';
import { TOOL_VERSION } from '../core/version.js';
import { renderInspection } from './inspection.js';
import { renderInspectionMarkdown } from './inspection-markdown.js';
import { renderInspectionSarif } from './inspection-sarif.js';

export type InspectionFormat = 'table' | 'json' | 'sarif' | 'markdown';

export const INSPECTION_FORMATS: readonly InspectionFormat[] = ['table', 'json', 'sarif', 'markdown'];

/** Renders one package's analysis in one format. Pure: no I/O. */
export const renderInspectionReport = (analysis: PackageAnalysis, format: InspectionFormat): string => {
  switch (format) {
    case 'table':
      return renderInspection(analysis);
    case 'json':
      return `${JSON.stringify(analysis, null, 2)}\n`;
    case 'sarif':
      return renderInspectionSarif(analysis, TOOL_VERSION);
    case 'markdown':
      return renderInspectionMarkdown(analysis);
  }
};
