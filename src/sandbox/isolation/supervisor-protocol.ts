/** What Bulwark (run-once.ts) and the supervisor inside the sandbox exchange (src/sandbox/isolation/supervisor.ts). */
import type { PhaseName, PhaseOutcome } from '../types.js';

export type SupervisorPhase = {
  name: PhaseName;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Run even when an earlier phase failed (the execute phase needs no successful import). */
  always?: boolean;
};

export type SupervisorPlan = { phases: SupervisorPhase[]; lingerMs: number; totalMs: number };

export type SupervisorLine =
  | { type: 'phase-start'; name: string; at: number }
  /** A phase's outcome as the supervisor sees it: no host pid (run-once.ts joins that from the trace). */
  | ({ type: 'phase-end'; name: string } & Omit<PhaseOutcome, 'name' | 'pid'>);

/** One line of the supervisor's stdout, or undefined when it is not one of ours. */
export const parseSupervisorLine = (line: string): SupervisorLine | undefined => {
  try {
    const value = JSON.parse(line) as SupervisorLine;
    if (value?.type === 'phase-start' && typeof value.name === 'string') return value;
    if (value?.type === 'phase-end' && typeof value.name === 'string' && typeof value.status === 'string')
      return value;
  } catch {}
  return undefined;
};
