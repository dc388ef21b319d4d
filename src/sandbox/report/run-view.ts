/**
 * One run as the report builder and the rules see it: the record, who each process is, and the
 * package's own trace events and execs with their actor. Trusted processes (the supervisor, the
 * package manager) are left out of `events` and `execs`.
 */
import type { Actor, NetworkAttempt, RunRecord, SandboxReport, TracedExec, TraceEvent } from '../types.js';
import { type Attribution, actorOf, attributeRun, type ProcessInfo } from './attribute.js';

export type PackageEvent = { event: TraceEvent; info: ProcessInfo; actor: Actor };
export type PackageExec = { exec: TracedExec; info: ProcessInfo; actor: Actor };

export type RunView = Attribution & {
  events: PackageEvent[];
  /** Every exec attempt (failed ones too) by package processes, in time order. */
  execs: PackageExec[];
  /** This run's part of the report's network and DNS lists (filled by the report builder). */
  network: NetworkAttempt[];
  dns: SandboxReport['dns'];
};

export const viewRun = (record: RunRecord): RunView => {
  const attribution = attributeRun(record);
  const events: PackageEvent[] = [];
  for (const event of record.trace.events) {
    const info = attribution.processes.get(event.pid);
    const actor = actorOf(info);
    if (info && actor) events.push({ event, info, actor });
  }
  const execs: PackageExec[] = [];
  for (const process of record.trace.processes.values()) {
    const info = attribution.processes.get(process.pid);
    const actor = actorOf(info);
    if (!info || !actor) continue;
    for (const exec of process.execs) {
      // The actor of an exec is the process as it was when it called execve: show that argv.
      execs.push({ exec, info, actor: { ...actor, command: exec.argv } });
    }
  }
  execs.sort((a, b) => a.exec.at - b.exec.at);
  return { ...attribution, events, execs, network: [], dns: [] };
};
