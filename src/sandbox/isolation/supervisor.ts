/**
 * Runs inside the sandbox, as the parent of every phase: starts each phase command with its time
 * limit, waits for processes the phase left running (a detached payload) up to the linger time,
 * then kills everything in the sandbox's pid namespace before the next phase. Reports each phase
 * as one JSON line on stdout. Node built-ins only: it is bundled as a file on its own.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { SupervisorLine, SupervisorPhase, SupervisorPlan } from './supervisor-protocol.js';

const OUTPUT_TAIL = 8 * 1024;
const POLL_MS = 50;

const emit = (line: SupervisorLine): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

/** Processes in this pid namespace other than its init (1), this supervisor, and zombies. */
const others = (): number[] => {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === 1 || pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z' && state !== 'X') pids.push(pid);
    } catch {}
  }
  return pids;
};

const killAll = (): void => {
  try {
    process.kill(-1, 'SIGKILL');
  } catch {}
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const tail = (chunks: Buffer[], size: number): string => {
  const all = Buffer.concat(chunks);
  return all.subarray(Math.max(0, all.length - size)).toString('utf8');
};

const runPhase = async (
  phase: SupervisorPhase,
  deadline: number,
  lingerMs: number,
): Promise<Extract<SupervisorLine, { type: 'phase-end' }>> => {
  const startedAt = Date.now();
  emit({ type: 'phase-start', name: phase.name, at: startedAt });
  const limit = Math.max(0, Math.min(phase.timeoutMs, deadline - startedAt));
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let outBytes = 0;
  let errBytes = 0;
  const keep = (chunks: Buffer[], chunk: Buffer, held: number): number => {
    chunks.push(chunk);
    let total = held + chunk.length;
    while (total > OUTPUT_TAIL * 2 && chunks.length > 1) total -= chunks.shift()!.length;
    return total;
  };
  const child = spawn(phase.argv[0]!, phase.argv.slice(1), {
    cwd: phase.cwd,
    env: phase.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => {
    outBytes = keep(out, chunk, outBytes);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    errBytes = keep(err, chunk, errBytes);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killAll();
  }, limit);
  const exit = await new Promise<{ code: number | null; signal: string | null; error?: string }>(
    (resolve) => {
      child.on('error', (error) => resolve({ code: null, signal: null, error: error.message }));
      // 'exit', not 'close': a payload that detached keeps the output pipes open.
      child.on('exit', (code, signal) => resolve({ code, signal }));
    },
  );
  clearTimeout(timer);
  // A payload that detached from the phase keeps running: watch it until it ends or the linger
  // time is up, so what it does is recorded, then end it.
  let lingering = 0;
  const lingerUntil = Math.min(Date.now() + lingerMs, deadline);
  while (!timedOut && others().length > 0 && Date.now() < lingerUntil) await sleep(POLL_MS);
  lingering = others().length;
  if (lingering > 0) {
    killAll();
    while (others().length > 0 && Date.now() < lingerUntil + 2_000) await sleep(POLL_MS);
  }
  const endedAt = Date.now();
  const status = timedOut ? 'time-limit' : exit.code === 0 ? 'ok' : 'failed';
  return {
    type: 'phase-end',
    name: phase.name,
    status,
    startedAt,
    endedAt,
    ...(exit.code === null ? {} : { exitCode: exit.code }),
    ...(exit.signal ? { signal: exit.signal } : {}),
    stdout: tail(out, OUTPUT_TAIL),
    stderr: tail(err, OUTPUT_TAIL),
    lingering,
    ...(exit.error ? { note: exit.error } : {}),
  };
};

/**
 * kill(-1) ends every process this uid can signal: only ever inside the sandbox's own pid
 * namespace, whose init is bubblewrap's (or this process, under gVisor).
 */
const insideSandbox = (): boolean => {
  // Under gVisor the supervisor is the container's first process: the namespace's init itself.
  if (process.pid === 1) return true;
  try {
    return readFileSync('/proc/1/comm', 'utf8').trim() === 'bwrap';
  } catch {
    return false;
  }
};

const main = async (): Promise<void> => {
  if (!insideSandbox()) throw new Error('refusing to run outside a bubblewrap pid namespace');
  const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as SupervisorPlan;
  const deadline = Date.now() + plan.totalMs;
  let failed: string | undefined;
  for (const phase of plan.phases) {
    if ((failed && !phase.always) || Date.now() >= deadline) {
      const now = Date.now();
      emit({
        type: 'phase-end',
        name: phase.name,
        status: 'skipped',
        startedAt: now,
        endedAt: now,
        stdout: '',
        stderr: '',
        lingering: 0,
        note: failed ? `the ${failed} phase did not succeed` : 'the run reached its total time limit',
      });
      continue;
    }
    const result = await runPhase(phase, deadline, plan.lingerMs);
    emit(result);
    if (result.status !== 'ok' && phase.name === 'install') failed = phase.name;
  }
  killAll();
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`supervisor: ${error instanceof Error ? error.message : String(error)}\n`);
    if (insideSandbox()) killAll();
    process.exit(70);
  },
);
