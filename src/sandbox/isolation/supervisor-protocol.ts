/** What the lead process and the supervisor inside the sandbox exchange (src/sandbox/isolation/supervisor.ts). */

export type SupervisorPhase = {
  name: 'install' | 'import' | 'execute';
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
  | {
      type: 'phase-end';
      name: string;
      status: 'ok' | 'failed' | 'time-limit' | 'skipped';
      startedAt: number;
      endedAt: number;
      exitCode?: number;
      signal?: string;
      stdout: string;
      stderr: string;
      lingering: number;
      note?: string;
    };

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
