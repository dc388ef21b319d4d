import { openSandboxVerdicts, type StoredSandboxVerdict } from '../../sandbox/store/sandbox-verdicts.js';
import { PROBLEM_IDS } from './behavior-findings.js';
import type { TargetOutcome } from './run-analysis.js';
import { applySandboxVerdict, sandboxOnlyAnalysis } from './sandbox-overlay.js';

/** The integrity that names an outcome's bytes: the lockfile's, else the one the fetch computed. */
export const outcomeIntegrity = (outcome: TargetOutcome): string | undefined =>
  outcome.target.integrity ?? (outcome.status === 'analysed' ? outcome.analysis.integrity : undefined);

/**
 * Stored sandbox verdicts for every outcome with an integrity, in one query. An unreadable store
 * is reported through `warn` and reads as no verdicts.
 */
export const readSandboxVerdicts = (
  location: string,
  outcomes: readonly TargetOutcome[],
  warn: (message: string) => void,
): Map<string, StoredSandboxVerdict> => {
  const integrities = [...new Set(outcomes.map(outcomeIntegrity).filter((i) => i !== undefined))];
  if (integrities.length === 0) return new Map();
  try {
    const store = openSandboxVerdicts(location);
    try {
      return store.findByIntegrity(integrities);
    } finally {
      store.close();
    }
  } catch (error) {
    warn(
      `cannot read the sandbox verdicts in ${location} (${(error as Error).message}); using static analysis only`,
    );
    return new Map();
  }
};

/**
 * Outcomes with the sandbox's verdicts applied. An analysed package gets `applySandboxVerdict`.
 * One that static analysis could not judge (time limit, unreadable, failure, integrity mismatch,
 * not fetched) becomes an analysed, malicious one when the sandbox found it malicious: the verdict
 * is about the bytes the lockfile names, and "could not check" must not hide "known to be malware".
 * A static problem stays visible as a note in the evidence.
 */
export const overlaySandboxVerdicts = (
  outcomes: readonly TargetOutcome[],
  verdicts: ReadonlyMap<string, StoredSandboxVerdict>,
): TargetOutcome[] =>
  outcomes.map((outcome) => {
    const integrity = outcomeIntegrity(outcome);
    const stored = integrity === undefined ? undefined : verdicts.get(integrity);
    if (stored === undefined) return outcome;
    if (outcome.status === 'analysed') {
      const analysis = applySandboxVerdict(outcome.analysis, stored);
      return analysis === outcome.analysis ? outcome : { ...outcome, analysis };
    }
    if (stored.verdict !== 'malicious') return outcome;
    return {
      target: outcome.target,
      cached: outcome.cached,
      status: 'analysed',
      analysis: sandboxOnlyAnalysis(stored, staticNote(outcome)),
    };
  });

const staticNote = (outcome: Exclude<TargetOutcome, { status: 'analysed' }>) => {
  switch (outcome.status) {
    case 'time-limit':
      return {
        rule: PROBLEM_IDS['time-limit'],
        message: `static analysis stopped at its ${outcome.limitMs} ms limit`,
      };
    case 'unreadable':
      return { rule: PROBLEM_IDS.unreadable, message: `the archive cannot be read: ${outcome.message}` };
    case 'failed':
      return { rule: PROBLEM_IDS.failed, message: `static analysis failed: ${outcome.message}` };
    case 'integrity-mismatch':
      return {
        rule: PROBLEM_IDS['integrity-mismatch'],
        message: `the downloaded tarball does not match the lockfile's integrity (got ${outcome.actual})`,
      };
    case 'not-analysed':
      return {
        rule: 'analysis-not-fetched',
        message: `static analysis did not run (${outcome.reason}: ${outcome.detail})`,
      };
  }
};
