/** Questions about the process tree of a TraceLog: who descends from whom, and what each one ran. */
import type { TracedExec, TracedProcess, TraceLog } from '../types.js';

/** Every process below `pid` (children, grandchildren, …), not `pid` itself. */
export function descendantsOf(log: TraceLog, pid: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const proc of log.processes.values()) {
    if (proc.parent === undefined) continue;
    const list = children.get(proc.parent);
    if (list) list.push(proc.pid);
    else children.set(proc.parent, [proc.pid]);
  }
  const out = new Set<number>();
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (next === pid || out.has(next)) continue;
    out.add(next);
    queue.push(...(children.get(next) ?? []));
  }
  return out;
}

/** `pid`, its parent, its grandparent, … up to the traced root (stops on a cycle from a reused pid). */
export function ancestry(log: TraceLog, pid: number): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  let current: number | undefined = pid;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    out.push(current);
    current = log.processes.get(current)?.parent;
  }
  return out;
}

/** The last successful exec: what the process ran. */
export function lastExec(proc: TracedProcess): TracedExec | undefined {
  for (let i = proc.execs.length - 1; i >= 0; i--) {
    const exec = proc.execs[i]!;
    if (exec.result.ok) return exec;
  }
  return undefined;
}

/** argv of the last successful exec; empty for a fork that never exec'd (see effectiveCommandLine). */
export function commandLine(proc: TracedProcess): string[] {
  return lastExec(proc)?.argv ?? [];
}

/** The environment of the last successful exec. */
export function lastExecEnv(proc: TracedProcess): Record<string, string> | undefined {
  return lastExec(proc)?.env;
}

/** argv of the nearest process, from `pid` upwards, that exec'd: a forked worker runs its parent's program. */
export function effectiveCommandLine(log: TraceLog, pid: number): string[] {
  for (const id of ancestry(log, pid)) {
    const proc = log.processes.get(id);
    const exec = proc ? lastExec(proc) : undefined;
    if (exec) return exec.argv;
  }
  return [];
}
