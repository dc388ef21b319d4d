/**
 * Recorded runs → the behaviour report: processes, files, DNS, network attempts and honeytoken
 * hits, all attributed to the package (or left unattributed, never to our own processes), then the
 * dynamic rules' findings and the verdict.
 */
import { compareSeverity } from '../../core/severity.js';
import type { SandboxObservations } from '../rules/define-sandbox-rule.js';
import { runSandboxRules } from '../rules/index.js';
import type { RunRecord, SandboxFinding, SandboxReport } from '../types.js';
import { observeFiles } from './files.js';
import { honeytokenEgress, honeytokenReads } from './honeytokens.js';
import { observeNetwork } from './network.js';
import { type RunView, viewRun } from './run-view.js';
import { sandboxVerdict } from './verdict.js';

export type SandboxReportMeta = {
  package: SandboxReport['package'];
  mode: SandboxReport['sandbox']['mode'];
  limits: SandboxReport['sandbox']['limits'];
  durationMs: number;
  cleanedUp: boolean;
};

const processesOf = (view: RunView): SandboxReport['processes'] =>
  [...view.processes.values()]
    .sort((a, b) => a.startedAt - b.startedAt || a.pid - b.pid)
    .map((info) => {
      const entry: SandboxReport['processes'][number] = {
        run: info.run,
        pid: info.pid,
        command: info.command,
        ofPackage: info.ofPackage,
      };
      if (info.phase !== undefined) entry.phase = info.phase;
      if (info.parent !== undefined) entry.parent = info.parent;
      if (info.package !== undefined) entry.package = info.package;
      if (info.script !== undefined) entry.script = info.script;
      if (info.exit !== undefined) entry.exit = info.exit;
      return entry;
    });

/** Threats before capabilities, then severity, confidence and rule id. */
export const compareFindings = (a: SandboxFinding, b: SandboxFinding): number =>
  Number(b.kind === 'threat') - Number(a.kind === 'threat') ||
  compareSeverity(a.severity, b.severity) ||
  CONFIDENCE_RANK[b.confidence] - CONFIDENCE_RANK[a.confidence] ||
  a.rule.localeCompare(b.rule);
const CONFIDENCE_RANK = { high: 3, medium: 2, low: 1 } as const;

/** Everything the rules judge, without findings and verdict. */
export const observeRuns = (
  runs: readonly RunRecord[],
  meta: SandboxReportMeta,
): { observations: SandboxObservations; views: RunView[] } => {
  const views = runs.map(viewRun);
  const network: SandboxReport['network'] = [];
  const dns: SandboxReport['dns'] = [];
  const files: SandboxReport['files'] = [];
  const processes: SandboxReport['processes'] = [];
  const honeytokens: SandboxReport['honeytokens'] = { read: [], exfiltrated: [] };
  for (const view of views) {
    const seen = observeNetwork(view);
    view.network = seen.network;
    view.dns = seen.dns;
    network.push(...seen.network);
    dns.push(...seen.dns);
    files.push(...observeFiles(view));
    processes.push(...processesOf(view));
    honeytokens.read.push(...honeytokenReads(view));
    honeytokens.exfiltrated.push(...honeytokenEgress(view, seen.dns));
  }
  const observations: SandboxObservations = {
    package: meta.package,
    network,
    files,
    dns,
    processes,
    honeytokens,
    runs: runs.map((run) => ({
      name: run.name,
      user: run.identity.user,
      hostname: run.identity.hostname,
      phases: run.phases,
      durationMs: run.durationMs,
    })),
    sandbox: { mode: meta.mode, durationMs: meta.durationMs, cleanedUp: meta.cleanedUp, limits: meta.limits },
  };
  return { observations, views };
};

export const buildSandboxReport = (runs: readonly RunRecord[], meta: SandboxReportMeta): SandboxReport => {
  const { observations, views } = observeRuns(runs, meta);
  const findings = runSandboxRules({ report: observations, runs: views }).sort(compareFindings);
  const { verdict, score } = sandboxVerdict(findings);
  return {
    package: observations.package,
    verdict,
    score,
    findings,
    network: observations.network,
    files: observations.files,
    dns: observations.dns,
    processes: observations.processes,
    honeytokens: observations.honeytokens,
    runs: observations.runs,
    sandbox: observations.sandbox,
  };
};
