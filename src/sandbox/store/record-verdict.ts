import { TOOL_VERSION } from '../../core/version.js';
import type { SandboxReport } from '../types.js';
import { openSandboxVerdicts } from './sandbox-verdicts.js';

const SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3 } as const;

const RANK = { clean: 0, suspicious: 1, malicious: 2 } as const;

/**
 * Keeps a sandbox verdict with the package's assessment, so scan and the firewall use it. The
 * worst verdict seen for the bytes stands: a later run that missed a payload (a random delay, a
 * condition) does not clear a malicious one.
 */
export const recordSandboxVerdict = (
  report: SandboxReport,
  integrity: string,
  warn: (message: string) => void,
  location?: string,
): void => {
  if (!report.package.name || !report.package.version) return;
  try {
    const store = openSandboxVerdicts(location);
    try {
      const earlier = store.getMany([integrity]).get(integrity);
      if (earlier && RANK[earlier.verdict] > RANK[report.verdict]) return;
      store.put({
        name: report.package.name,
        version: report.package.version,
        integrity,
        verdict: report.verdict,
        score: report.score,
        findings: report.findings
          .filter((finding) => finding.kind === 'threat')
          .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
          .slice(0, 10)
          .map((finding) => ({ rule: finding.rule, severity: finding.severity, message: finding.message })),
        analysedAt: Date.now(),
        tool: TOOL_VERSION,
      });
    } finally {
      store.close();
    }
  } catch (error) {
    warn(`cannot record the sandbox verdict (${(error as Error).message})`);
  }
};
