/**
 * Who each traced process is. The supervisor and the package manager are ours; lifecycle scripts
 * (and everything they start) and the import/execute phases are the package's. Attribution is
 * by process subtree, never by what a process says about itself: npm reads ~/.npmrc, and that
 * must not be a finding, while the same read by a postinstall must be.
 */
import type { Actor, PhaseName, RunName, RunRecord, TracedProcess } from '../types.js';

export type ProcessInfo = {
  run: RunName;
  pid: number;
  parent?: number;
  phase?: PhaseName;
  /** argv of the last successful exec (inherited from the parent when the process never exec'd). */
  command: string[];
  /** Path of the last successful exec. */
  execPath?: string;
  /** The package whose script or code this is. */
  package?: string;
  script?: string;
  /** Directory the package's own files and build output belong in. */
  packageRoot?: string;
  /** The pid of the lifecycle script (or phase process) at the top of this package subtree. */
  subtreeRoot?: number;
  ofPackage: boolean;
  /** Runs a package-manager CLI (npm, npx, yarn, pnpm): they read .npmrc as their own config. */
  packageManagerCli: boolean;
  startedAt: number;
  exit?: number | string;
};

export type Attribution = {
  record: RunRecord;
  processes: Map<number, ProcessInfo>;
};

const PACKAGE_MANAGER_BINS = new Set(['npm', 'npx', 'yarn', 'yarnpkg', 'pnpm', 'pnpx', 'corepack']);
const PACKAGE_MANAGER_SCRIPTS = /(?:^|\/)(?:npm-cli|npx-cli|yarn|pnpm)\.c?js$/;

const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export const isPackageManagerCommand = (argv: readonly string[]): boolean => {
  const [first, second] = argv;
  if (first !== undefined && PACKAGE_MANAGER_BINS.has(base(first))) return true;
  return (
    first !== undefined &&
    /^node(?:js)?$/.test(base(first)) &&
    second !== undefined &&
    PACKAGE_MANAGER_SCRIPTS.test(second)
  );
};

const lastExec = (process: TracedProcess) => {
  for (let i = process.execs.length - 1; i >= 0; i--) {
    const exec = process.execs[i];
    if (exec?.result.ok) return exec;
  }
  return undefined;
};

const lifecycleEnv = (process: TracedProcess): Record<string, string> | undefined => {
  for (const exec of process.execs) {
    if (exec.result.ok && exec.env.npm_lifecycle_event !== undefined) return exec.env;
  }
  return undefined;
};

const dirname = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('/'))) || '/';

/** The phase each phase's top process ran; falls back to the supervisor's children by start time. */
const phaseTops = (record: RunRecord): Map<number, PhaseName> => {
  const tops = new Map<number, PhaseName>();
  for (const phase of record.phases) if (phase.pid !== undefined) tops.set(phase.pid, phase.name);
  const all = [...record.trace.processes.values()].sort((a, b) => a.startedAt - b.startedAt);
  for (const phase of record.phases) {
    if (phase.pid !== undefined || phase.status === 'skipped') continue;
    const inWindow = (p: TracedProcess) =>
      !tops.has(p.pid) && p.startedAt >= phase.startedAt && p.startedAt <= phase.endedAt;
    // The supervisor's first child in the phase's window; without a supervisor pid, the first
    // process in the window whose parent predates it (the supervisor, whatever its pid).
    const child =
      record.supervisorPid !== undefined
        ? all.find((p) => p.parent === record.supervisorPid && inWindow(p))
        : all.find((p) => {
            const parent = p.parent === undefined ? undefined : record.trace.processes.get(p.parent);
            return inWindow(p) && parent !== undefined && parent.startedAt < phase.startedAt;
          });
    if (child) tops.set(child.pid, phase.name);
  }
  return tops;
};

/** Where a process sits: its phase, that phase's top process, and the lifecycle script above it. */
type Placement = { phase?: PhaseName; top?: number; script?: TracedProcess };

/**
 * Resolves a value for every process from its parent's, walking up iteratively until a known
 * answer (memoised), so a deep fork chain costs linear time and cannot hide below a depth limit.
 */
const inherit = <T>(
  traced: ReadonlyMap<number, TracedProcess>,
  own: (process: TracedProcess, parent: T | undefined) => T | 'from-parent',
  root: (pid: number) => T | undefined,
  fallback: T,
): ((pid: number) => T) => {
  const memo = new Map<number, T>();
  return (pid) => {
    const chain: TracedProcess[] = [];
    const seen = new Set<number>();
    let base: T | undefined;
    for (let at: number | undefined = pid; at !== undefined && !seen.has(at); ) {
      seen.add(at);
      const known = memo.get(at) ?? root(at);
      if (known !== undefined) {
        base = known;
        memo.set(at, known);
        break;
      }
      const process = traced.get(at);
      if (!process) break;
      chain.push(process);
      at = process.parent;
    }
    let current = base;
    for (let i = chain.length - 1; i >= 0; i--) {
      const process = chain[i] as TracedProcess;
      const value = own(process, current);
      current = value === 'from-parent' ? (current ?? fallback) : value;
      memo.set(process.pid, current);
    }
    return memo.get(pid) ?? base ?? fallback;
  };
};

/** Attributes every traced process of one run. */
export const attributeRun = (record: RunRecord): Attribution => {
  const traced = record.trace.processes;
  const tops = phaseTops(record);

  type Command = { argv: string[]; path?: string };
  const commandOf = inherit<Command>(
    traced,
    (process) => {
      const exec = lastExec(process);
      return exec ? { argv: exec.argv, path: exec.path } : 'from-parent';
    },
    () => undefined,
    { argv: [] },
  );

  const placementOf = inherit<Placement>(
    traced,
    (process, parent) => {
      // The top-most lifecycle process below the package manager: npm spawned it, so its env is
      // npm's word. A script can forge npm_package_name for its own children, not for itself.
      if (parent?.phase === 'install' && parent.script === undefined && lifecycleEnv(process))
        return { ...parent, script: process };
      return 'from-parent';
    },
    (pid) => {
      const phase = tops.get(pid);
      if (phase !== undefined) return { phase, top: pid };
      // Above the phases: ours.
      return pid === record.supervisorPid ? {} : undefined;
    },
    {},
  );

  const processes = new Map<number, ProcessInfo>();
  for (const process of traced.values()) {
    const { phase, top, script } = placementOf(process.pid);
    const command = commandOf(process.pid);
    const info: ProcessInfo = {
      run: record.name,
      pid: process.pid,
      command: command.argv,
      ofPackage: false,
      packageManagerCli: isPackageManagerCommand(command.argv),
      startedAt: process.startedAt,
    };
    if (process.parent !== undefined) info.parent = process.parent;
    if (command.path !== undefined) info.execPath = command.path;
    if (process.exit !== undefined) info.exit = process.exit;
    if (phase !== undefined) info.phase = phase;

    const env = script ? lifecycleEnv(script) : undefined;
    if (phase === 'install' && script && env) {
      info.ofPackage = true;
      info.subtreeRoot = script.pid;
      const name = env.npm_package_name;
      if (name) info.package = name;
      if (env.npm_lifecycle_event) info.script = env.npm_lifecycle_event;
      info.packageRoot = env.npm_package_json
        ? dirname(env.npm_package_json)
        : name === undefined || name === record.packageName
          ? record.packageDir
          : `${record.identity.project}/node_modules/${name}`;
    } else if (phase !== undefined && phase !== 'install') {
      info.ofPackage = true;
      info.package = record.packageName;
      info.packageRoot = record.packageDir;
      if (top !== undefined) info.subtreeRoot = top;
    }
    processes.set(process.pid, info);
  }
  return { record, processes };
};

/** The actor a report names for a package process; undefined for our own and the package manager's. */
export const actorOf = (info: ProcessInfo | undefined): Actor | undefined => {
  if (!info?.ofPackage || info.phase === undefined) return undefined;
  const actor: Actor = { run: info.run, phase: info.phase, pid: info.pid, command: info.command };
  if (info.package !== undefined) actor.package = info.package;
  if (info.script !== undefined) actor.script = info.script;
  return actor;
};

/** Same package subtree of the same run: what chains (read here, send there) join on. */
export const sameSubject = (a: Actor | undefined, b: Actor | undefined): boolean =>
  a !== undefined && b !== undefined && a.run === b.run && a.package === b.package;
