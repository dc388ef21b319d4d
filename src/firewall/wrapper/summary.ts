import { constants } from 'node:os';
import { waiverHint } from '../../policy/firewall/deny-response.js';
import type { DecisionRecord } from '../types.js';

export interface RunSummary {
  fetched: number;
  denied: DecisionRecord[];
  warned: DecisionRecord[];
  hidden: number;
}

const key = (d: DecisionRecord) => `${d.package}@${d.version}`;

/**
 * Counts one run's decisions by package version: a version fetched twice, or warned in its
 * packument and again for its tarball, counts once. A denial outranks a warning for the same version.
 */
export const summarise = (decisions: Iterable<DecisionRecord>): RunSummary => {
  const fetched = new Set<string>();
  const hidden = new Set<string>();
  const denied = new Map<string, DecisionRecord>();
  const warned = new Map<string, DecisionRecord>();
  for (const decision of decisions) {
    const id = key(decision);
    if (decision.action === 'deny') denied.set(id, denied.get(id) ?? decision);
    else if (decision.action === 'hide') hidden.add(id);
    else if (decision.action === 'warn' && !warned.has(id)) warned.set(id, decision);
    if (decision.request === 'tarball' && decision.action !== 'deny' && decision.action !== 'hide')
      fetched.add(id);
  }
  for (const id of denied.keys()) warned.delete(id);
  return {
    fetched: fetched.size,
    denied: [...denied.values()],
    warned: [...warned.values()],
    hidden: hidden.size,
  };
};

/** The lines printed after the package manager exits. */
export const renderSummary = (summary: RunSummary, policyFile?: string): string[] => {
  const lines = [
    `bulwark: ${summary.fetched} packages fetched, ${summary.denied.length} denied, ${summary.warned.length} warned, ${summary.hidden} hidden`,
  ];
  for (const decision of summary.denied) lines.push(line('denied', decision, policyFile));
  for (const decision of summary.warned) lines.push(line('warned', decision, policyFile));
  return lines;
};

const line = (label: string, decision: DecisionRecord, policyFile?: string): string => {
  const rule = decision.rule ?? 'policy';
  const dry =
    decision.wouldBe && decision.wouldBe !== decision.action
      ? ` (dry run: would be ${decision.wouldBe})`
      : '';
  let text = `bulwark:   ${label} ${key(decision)} [${rule}] ${terminalSafe(decision.reason)}${dry}`;
  if (decision.rule) text += `; ${waiverHint(decision.package, decision.version, decision.rule, policyFile)}`;
  return text;
};

/** Reasons quote registry data: one line, no control characters. */
export const terminalSafe = (text: string): string =>
  text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** The child's failure first; then 1 when anything was denied; else 0. A signal death counts as 128+n. */
export const wrapperExitCode = (
  childCode: number | null,
  signal: NodeJS.Signals | null,
  denied: number,
): number => {
  if (childCode !== null && childCode !== 0) return childCode;
  if (childCode === null && signal !== null) return 128 + (constants.signals[signal] ?? 1);
  return denied > 0 ? 1 : 0;
};
