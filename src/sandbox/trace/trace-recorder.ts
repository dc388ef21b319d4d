/**
 * The bounded TraceLog both trace parsers (strace, gVisor) fill: the process table, the event list
 * and the unparsed lines, each capped by the options, with what the caps cut counted in `dropped`.
 * How processes are born and end is the front end's business; this only keeps the records.
 */
import type { TracedExec, TracedProcess, TraceEvent, TraceLog } from '../types.js';

export type TraceLimits = {
  /** Events kept; later ones are counted in `dropped`. */
  maxEvents?: number;
  /** Unparsed lines kept (each cut to 1000 characters). */
  maxUnparsed?: number;
  /** Processes kept; events of later ones are still recorded, their process records are not. */
  maxProcesses?: number;
};

export type TraceRecorder = {
  readonly processes: Map<number, TracedProcess>;
  /** Keeps the event unless the limit is reached (then counts it dropped); true when kept. */
  emit(event: TraceEvent): boolean;
  /** Records (or replaces) a process unless the table is full; the record, when kept. */
  addProcess(proc: TracedProcess): TracedProcess | undefined;
  /** Appends an exec to a known process (past the cap, a success replaces the last one); false when unknown. */
  addExec(pid: number, exec: TracedExec): boolean;
  noteUnparsed(line: string): void;
  /** The parent of a process that `creator` clones with these flags: the creator, or its parent (CLONE_PARENT). */
  parentOfClone(creator: number, flags: string): number | undefined;
  /** Counts something the front end had to leave out. */
  drop(): void;
  finish(): TraceLog;
};

/** Longer lines are not parsed (noted as unparsed). */
export const MAX_LINE_CHARS = 4 * 1024 * 1024;
const MAX_UNPARSED_CHARS = 1000;
const MAX_EXECS_PER_PROCESS = 64;
/** Clone results kept while their child has not shown up. */
export const MAX_AWAITING = 1024;

export function createTraceRecorder(limits: TraceLimits = {}): TraceRecorder {
  const maxEvents = limits.maxEvents ?? 200_000;
  const maxUnparsed = limits.maxUnparsed ?? 50;
  const maxProcesses = limits.maxProcesses ?? 50_000;

  const processes = new Map<number, TracedProcess>();
  const events: TraceEvent[] = [];
  const unparsed: string[] = [];
  let dropped = 0;

  return {
    processes,
    emit(event) {
      if (events.length >= maxEvents) {
        dropped++;
        return false;
      }
      events.push(event);
      return true;
    },
    addProcess(proc) {
      if (!processes.has(proc.pid) && processes.size >= maxProcesses) {
        dropped++;
        return undefined;
      }
      processes.set(proc.pid, proc);
      return proc;
    },
    addExec(pid, exec) {
      const proc = processes.get(pid);
      if (!proc) return false;
      if (proc.execs.length < MAX_EXECS_PER_PROCESS) proc.execs.push(exec);
      else if (exec.result.ok) proc.execs[proc.execs.length - 1] = exec;
      else dropped++;
      return true;
    },
    noteUnparsed(line) {
      if (unparsed.length < maxUnparsed) unparsed.push(line.slice(0, MAX_UNPARSED_CHARS));
    },
    parentOfClone(creator, flags) {
      return /\bCLONE_PARENT\b/.test(flags) ? processes.get(creator)?.parent : creator;
    },
    drop() {
      dropped++;
    },
    finish() {
      return { processes, events, dropped, unparsed };
    },
  };
}

/**
 * Adds a clone result to those awaiting their child (oldest first, at most MAX_AWAITING). An older one
 * with the same number never showed up and is gone: a number is live only once.
 */
export function awaitBirth<B extends { value: number }>(awaiting: B[], birth: B): void {
  const older = awaiting.findIndex((b) => b.value === birth.value);
  if (older >= 0) awaiting.splice(older, 1);
  awaiting.push(birth);
  if (awaiting.length > MAX_AWAITING) awaiting.shift();
}

/** `["HOME=/home/alex", …]` → record (first occurrence wins, like getenv); no prototype to pollute. */
export function envOf(entries: readonly string[]): Record<string, string> {
  const env: Record<string, string> = Object.create(null);
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const key = eq < 0 ? entry : entry.slice(0, eq);
    if (!Object.hasOwn(env, key)) env[key] = eq < 0 ? '' : entry.slice(eq + 1);
  }
  return env;
}
