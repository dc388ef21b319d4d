/** What the rest of Bulwark calls: recorded runs → SandboxReport → text. */
export { SANDBOX_RULES } from '../rules/index.js';
export { buildSandboxReport, observeRuns, type SandboxReportMeta } from './build-report.js';
export { renderSandboxReport, SANDBOX_FORMATS, type SandboxFormat } from './render.js';
export { sandboxVerdict, toBehaviorFindings } from './verdict.js';
