import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const readSchema = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));

const reportAjv = new Ajv({ allErrors: true, strict: true });
addFormats(reportAjv);
/** Our published JSON report schema (`schemas/scan-report.schema.json`), compiled strict. */
export const validateScanReport = reportAjv.compile(readSchema('../../../schemas/scan-report.schema.json'));

// The official OASIS schema is draft-04 (`id`, draft-04 `$schema`); its keywords are all valid
// draft-07, so it compiles with Ajv's default draft-07 once `id` is read as `$id`.
const { $schema: _draft, id, ...sarifBody } = readSchema('../../../schemas/vendor/sarif-schema-2.1.0.json');
const sarifAjv = new Ajv({ allErrors: true, strict: false });
addFormats(sarifAjv);
/** The official SARIF 2.1.0 schema (vendored). */
export const validateSarif = sarifAjv.compile({ $id: id as string, ...sarifBody });
