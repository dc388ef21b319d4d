import type { ScanResult } from '../core/scan-result.js';

/** The JSON report is the ScanResult itself: its shape is documented in docs/report-formats.md. */
export const renderJson = (result: ScanResult): string => `${JSON.stringify(result, null, 2)}\n`;
