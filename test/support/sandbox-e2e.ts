import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SandboxFinding, SandboxReport } from '../../src/sandbox/types.js';
import { createRunCgroup, type RunCgroup } from './sandbox-cgroup.js';
import { findLeftovers, snapshotHost } from './sandbox-leftovers.js';
import { acquireSandboxLock } from './sandbox-lock.js';
import { ensureSandboxPrimitives } from './sandbox-primitives.js';
import { installTripwire, readTripwire, removeTripwire } from './sandbox-tripwire.js';

export const repoRoot = join(import.meta.dirname, '../..');
export const sandboxFixtures = join(repoRoot, 'test/e2e/sandbox/fixtures');
const bin = join(repoRoot, 'bin/bulwark.js');

/** Per test file: waiting for the other sandbox files, and one sandbox run with its two runs. */
export const LOCK_WAIT_MS = 20 * 60_000;
export const RUN_TIMEOUT_MS = 240_000;

export type CliResult = {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  pid: number;
};

/** Runs the compiled CLI without blocking (a sandbox run takes seconds) and keeps its pid. */
export const runBulwark = (
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    /** Runs node through this prefix (`setpriv … node`). */
    command?: string[];
    timeoutMs?: number;
    /** A `cgroup.procs` file the CLI enters before it starts (so everything it starts is in there). */
    cgroupProcs?: string;
  } = {},
): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NO_COLOR: '1',
      // The host side must not look anything up either (npm's update check on a CI machine).
      npm_config_update_notifier: 'false',
      NO_UPDATE_NOTIFIER: '1',
      ...options.env,
    };
    delete env.BULWARK_DB;
    delete env.FORCE_COLOR;
    const node = options.command ?? [process.execPath];
    // `exec` keeps the pid: the CLI's pid is the one its namespaces and temp dirs are named after.
    const argv = options.cgroupProcs
      ? ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', options.cgroupProcs, ...node, bin, ...args]
      : [...node, bin, ...args];
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    // SIGTERM first: the CLI's own interrupt handling must clean up, which the tests then check.
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    }, options.timeoutMs ?? RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, pid: child.pid ?? 0 });
    });
  });

/** SIGKILLed processes take a moment to leave their cgroup: what is still there after 1 s outlived the run. */
const settledPids = async (cgroup: RunCgroup): Promise<number[]> => {
  for (let waited = 0; ; waited += 100) {
    const pids = cgroup.pids();
    if (pids.length === 0 || waited >= 1_000) return pids;
    await sleep(100);
  }
};

let holders = 0;
let release: (() => void) | undefined;
let cgroup: RunCgroup | undefined;

/**
 * The machine-wide part of a sandbox test file: the lock, the primitives, the file's cgroup (every
 * CLI run of the file starts in it) and the tripwire counting that cgroup's traffic.
 */
const enterSession = async (): Promise<void> => {
  if (holders++ > 0) return;
  release = await acquireSandboxLock(LOCK_WAIT_MS);
  try {
    ensureSandboxPrimitives();
    cgroup = createRunCgroup(`bulwark-e2e-${process.pid}`);
    installTripwire(cgroup?.nft);
  } catch (error) {
    await leaveSession();
    throw error;
  }
};

const leaveSession = async (): Promise<void> => {
  if (holders === 0 || --holders > 0) return;
  removeTripwire();
  if (cgroup) {
    for (const pid of await settledPids(cgroup)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
    await settledPids(cgroup);
    cgroup.remove();
    cgroup = undefined;
  }
  release?.();
  release = undefined;
};

export type SandboxOutcome = {
  cli: CliResult;
  /** The parsed `--format json` report (undefined when stdout was not JSON). */
  report?: SandboxReport;
  /** Tripwire counters that are not 0 after the run. */
  leaked: string[];
  /** What the run left on the host. */
  leftovers: string[];
  /** The BULWARK_HOME the run used. */
  home: string;
  wallMs: number;
  /** The run had a cgroup of its own (cgroup v2): leftovers and the tripwire are exact. */
  tracked: boolean;
  /** Most processes the run's cgroup held at once. */
  peakProcesses: number;
};

export type FixtureOptions = {
  /** Extra CLI arguments. */
  args?: string[];
  /** Command-line fragments of processes the package starts (must not outlive the run). */
  markers?: string[];
  /** Host paths the package would create if it escaped (must not exist afterwards). */
  hostPaths?: string[];
};

/**
 * Sandboxes one fixture once in a beforeAll (under the machine-wide lock, with the tripwire armed)
 * and hands the outcome to the file's `it`s; the result getter throws if the run did not happen.
 */
export type FixtureRun = {
  /** The run, whatever its report (for the host checks). */
  outcome: () => SandboxOutcome;
  /** The JSON report; throws with the CLI's stderr when there is none. */
  report: () => SandboxReport;
};

export const sandboxFixture = (fixture: string, options: FixtureOptions = {}): FixtureRun => {
  let outcome: SandboxOutcome | undefined;
  let failure: unknown;
  const home = mkdtempSync(join(tmpdir(), 'bulwark-e2e-'));
  beforeAll(async () => {
    await enterSession();
    try {
      const before = snapshotHost();
      const started = Date.now();
      // Proof the cgroup sees the run: the most processes it held at once while the CLI ran.
      let peak = 0;
      const watch = setInterval(() => {
        peak = Math.max(peak, cgroup?.pids().length ?? 0);
      }, 100);
      const cli = await runBulwark(
        [
          'sandbox',
          join(sandboxFixtures, fixture),
          '--format',
          'json',
          '--no-progress',
          ...(options.args ?? []),
        ],
        { env: { BULWARK_HOME: home }, ...(cgroup ? { cgroupProcs: cgroup.procsFile } : {}) },
      );
      clearInterval(watch);
      const wallMs = Date.now() - started;
      const cgroupPids = cgroup ? await settledPids(cgroup) : undefined;
      const counts = readTripwire();
      const leaked = Object.entries(counts)
        .filter(([, count]) => count.packets > 0)
        .map(([name, count]) => `${name}: ${count.packets} packets, ${count.bytes} bytes`);
      const leftovers = findLeftovers({
        cliPid: cli.pid,
        before,
        markers: options.markers ?? [],
        hostPaths: options.hostPaths ?? [],
        ...(cgroupPids ? { cgroupPids } : {}),
      });
      // Recorded; now clean up after a failing run so the next file starts from a quiet machine.
      for (const pid of cgroupPids ?? []) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
      let report: SandboxReport | undefined;
      try {
        report = JSON.parse(cli.stdout) as SandboxReport;
      } catch {}
      outcome = {
        cli,
        leaked,
        leftovers,
        home,
        wallMs,
        tracked: cgroup !== undefined,
        peakProcesses: peak,
        ...(report ? { report } : {}),
      };
    } catch (error) {
      failure = error;
      throw error;
    }
  }, LOCK_WAIT_MS + RUN_TIMEOUT_MS);
  afterAll(async () => {
    await leaveSession();
    rmSync(home, { recursive: true, force: true });
  });
  const get = (): SandboxOutcome => {
    if (!outcome) throw failure ?? new Error(`the sandbox run of ${fixture} did not happen`);
    return outcome;
  };
  return {
    outcome: get,
    report: () => {
      const { report, cli } = get();
      if (!report)
        throw new Error(
          `bulwark sandbox ${fixture} printed no JSON report (exit ${cli.status ?? cli.signal}): ${cli.stderr.trim().slice(-2000)}`,
        );
      return report;
    },
  };
};

/** The host checks every sandbox test file makes after its run. */
export const itLeavesNoTrace = (run: FixtureRun): void => {
  it('sent nothing off the machine (every host tripwire counter is 0)', () => {
    expect(run.outcome().leaked).toEqual([]);
  });
  it('left nothing behind (namespaces, temp dirs, processes, the real home)', () => {
    expect(run.outcome().leftovers).toEqual([]);
    // The process check watched the run's processes (the CLI, the sinkhole, strace, bwrap, …).
    if (run.outcome().tracked) expect(run.outcome().peakProcesses).toBeGreaterThan(3);
    expect(run.report().sandbox.cleanedUp).toBe(true);
  });
};

/** The trace kept every exec with its own process (a wrong command misattributes everything below it). */
export const itTracedEveryProcess = (run: FixtureRun): void => {
  it('traced every process with its own command (the phase tops are npm and the loader)', () => {
    expectPhaseProcesses(run.report());
  });
};

/** Findings of one rule. */
export const findingsOf = (report: SandboxReport, rule: string): SandboxFinding[] =>
  report.findings.filter((finding) => finding.rule === rule);

/** Both runs (developer and CI) happened, every phase that ran ended ok. */
export const expectBothRuns = (report: SandboxReport): void => {
  expect(report.runs.map((run) => run.name).sort()).toEqual(['ci', 'default']);
  for (const run of report.runs) {
    expect(run.phases.map((phase) => phase.name)).toEqual(['install', 'import']);
    for (const phase of run.phases)
      expect(phase.status, `${run.name} ${phase.name}: ${phase.stderr}`).toBe('ok');
  }
};

/**
 * Each phase's top process runs what the phase runs (npm for install, the loader for import): the
 * trace kept every exec with its own process.
 */
export const expectPhaseProcesses = (report: SandboxReport): void => {
  for (const run of report.runs) {
    for (const phase of run.phases) {
      const top = report.processes.find((p) => p.run === run.name && p.pid === phase.pid);
      const wanted = phase.name === 'install' ? /\/npm-cli\.js install\b/ : / index\.js$/;
      expect(top?.command.join(' '), `${run.name} ${phase.name} (pid ${phase.pid})`).toMatch(wanted);
      expect(top?.phase).toBe(phase.name);
    }
  }
  const nameless = report.processes.filter((p) => p.command.length === 0).map((p) => `${p.run} ${p.pid}`);
  expect(nameless, 'processes without a command').toEqual([]);
};

/** Every operation on the paths matching `test`, across actors and runs. */
export const operationsOn = (report: SandboxReport, test: (path: string) => boolean): string[] => [
  ...new Set(report.files.filter((file) => test(file.path)).flatMap((file) => file.operations)),
];
