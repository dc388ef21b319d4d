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

/** Ancestry deeper than this is a broken trace (or a fork bomb); stop walking. */
const MAX_DEPTH = 4096;

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

/** Attributes every traced process of one run. */
export const attributeRun = (record: RunRecord): Attribution => {
  const traced = record.trace.processes;
  const tops = phaseTops(record);
  const commands = new Map<number, { argv: string[]; path?: string }>();

  const commandOf = (pid: number): { argv: string[]; path?: string } => {
    const chain: number[] = [];
    let found: { argv: string[]; path?: string } | undefined;
    for (let at: number | undefined = pid, depth = 0; at !== undefined && depth < MAX_DEPTH; depth++) {
      const known = commands.get(at);
      if (known) {
        found = known;
        break;
      }
      const process = traced.get(at);
      if (!process) break;
      const exec = lastExec(process);
      if (exec) {
        found = { argv: exec.argv, path: exec.path };
        commands.set(at, found);
        break;
      }
      chain.push(at);
      at = process.parent;
    }
    const result = found ?? { argv: [] };
    for (const at of chain) commands.set(at, result);
    return result;
  };

  const processes = new Map<number, ProcessInfo>();
  for (const process of traced.values()) {
    // Ancestors from the process itself up to (not including) its phase's top process.
    const path: TracedProcess[] = [];
    let phase: PhaseName | undefined;
    let top: number | undefined;
    for (
      let at: number | undefined = process.pid, depth = 0;
      at !== undefined && depth < MAX_DEPTH;
      depth++
    ) {
      const name = tops.get(at);
      if (name !== undefined) {
        phase = name;
        top = at;
        break;
      }
      const current = traced.get(at);
      if (!current || at === record.supervisorPid) break;
      path.push(current);
      at = current.parent;
    }
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

    if (phase === 'install') {
      // The top-most lifecycle process below the package manager: npm spawned it, so its env is
      // npm's word. A script can forge npm_package_name for its own children, not for itself.
      for (let i = path.length - 1; i >= 0; i--) {
        const candidate = path[i];
        const env = candidate ? lifecycleEnv(candidate) : undefined;
        if (!candidate || !env) continue;
        info.ofPackage = true;
        info.subtreeRoot = candidate.pid;
        const name = env.npm_package_name;
        if (name) info.package = name;
        if (env.npm_lifecycle_event) info.script = env.npm_lifecycle_event;
        info.packageRoot = env.npm_package_json
          ? dirname(env.npm_package_json)
          : name === undefined || name === record.packageName
            ? record.packageDir
            : `${record.identity.project}/node_modules/${name}`;
        break;
      }
    } else if (phase !== undefined) {
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
