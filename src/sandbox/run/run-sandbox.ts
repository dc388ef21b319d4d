import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDir } from '../../core/paths.js';
import { pickIdentity } from '../honeytokens/identity.js';
import { sandboxEntry } from '../isolation/entry-path.js';
import { sweepStaleNetns } from '../isolation/netns.js';
import { checkPrimitives } from '../isolation/preflight.js';
import { seccompFilter } from '../isolation/seccomp.js';
import { createRunCa } from '../sinkhole/certificate-authority.js';
import type { RunName, RunRecord } from '../types.js';
import { prepareTarget, type SandboxTarget } from './prepare-target.js';
import { runOnce, type SandboxLimits } from './run-once.js';
import { ciEnvironment, ciIdentity, type RunIdentity } from './sandbox-files.js';
import { forgetStaging, stageProject } from './stage-project.js';

export const DEFAULT_LIMITS: SandboxLimits = {
  installMs: 120_000,
  importMs: 30_000,
  executeMs: 20_000,
  lingerMs: 5_000,
};

export type SandboxOptions = {
  target: string;
  offline?: boolean;
  registry?: string;
  limits?: Partial<SandboxLimits>;
  /** Run the package's bins (`--help`) after importing it. */
  execute?: boolean;
  /** gVisor (runsc) instead of bubblewrap + strace: a second kernel between the package and the host. */
  gvisor?: boolean;
  /** Also run with a CI-like environment (default true). */
  ci?: boolean;
  onProgress?: (message: string) => void;
};

export type SandboxRun = {
  target: SandboxTarget;
  runs: RunRecord[];
  limits: SandboxLimits;
  durationMs: number;
  /** Every namespace and temporary directory of the runs was removed. */
  cleanedUp: boolean;
};

const TEMP_PREFIX = 'bulwark-sandbox-';

/**
 * The npm cache sandbox installs read from. Outside the user's data directory on purpose: the
 * sandbox runs as an unprivileged uid that must reach it, and root's home is closed to it.
 */
export const sandboxNpmCache = (env: NodeJS.ProcessEnv = process.env): string =>
  env.BULWARK_SANDBOX_NPM_CACHE || '/var/cache/bulwark/sandbox-npm';

/**
 * Installs and loads a package in isolation, twice in parallel (a developer machine and a CI
 * runner), and returns what each run recorded. Nothing runs unless every primitive is present.
 */
export const runSandbox = async (options: SandboxOptions): Promise<SandboxRun> => {
  const started = Date.now();
  const progress = options.onProgress ?? (() => {});
  const primitives = checkPrimitives({ gvisor: options.gvisor ?? false });
  await sweepStaleNetns(primitives.ip);
  sweepStaleDirs();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const cache = join(dataDir(), 'cache');
  const seccompPath = seccompFilter(primitives.python3, join(cache, 'sandbox'));
  const supervisorEntry = sandboxEntry('supervisor');
  const sinkholeEntry = sandboxEntry('sinkhole');

  progress(`resolving ${options.target}`);
  const target = await prepareTarget(options.target, {
    ...(options.offline ? { offline: true } : {}),
    ...(options.registry ? { registry: options.registry } : {}),
    npmCli: primitives.npmCli,
    node: primitives.node,
  });
  const ca = createRunCa();
  ca.catch(() => {}); // awaited below; a failure before then must not go unhandled
  const base = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
  // The sandbox runs as an unprivileged uid: it may pass through, not list.
  chmodSync(base, 0o711);
  const cleanups = new Set<() => Promise<void>>();
  const interrupt = (signal: NodeJS.Signals) => {
    void Promise.allSettled([...cleanups].map((cleanup) => cleanup())).finally(() => {
      rmSync(base, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let results: Array<{ record: RunRecord; cleanedUp: boolean }>;
  try {
    const developer = pickIdentity();
    const appName = developer.project.split('/').pop() ?? 'app';
    progress(`staging ${target.source} (dependencies resolved on the host, nothing run)`);
    const staged = await stageProject(target, {
      node: primitives.node,
      npmCli: primitives.npmCli,
      npmCache: sandboxNpmCache(),
      dir: join(base, 'stage'),
      appName,
      lockCache: join(cache, 'sandbox', 'staged'),
      ...(options.offline ? { offline: true } : {}),
      ...(options.registry ? { registry: options.registry } : {}),
    });
    const runners: Array<{ name: RunName; identity: RunIdentity; env: Record<string, string> }> = [
      { name: 'default', identity: developer, env: {} },
    ];
    if (options.ci !== false) {
      const ci = ciIdentity(appName, developer.githubLogin);
      runners.push({ name: 'ci', identity: ci, env: ciEnvironment(ci, appName, developer.githubLogin) });
    }
    const runCa = await ca;
    progress(`running ${target.source} in the sandbox (${runners.map((r) => r.name).join(' and ')})`);
    // Settle both before cleaning up: one failing run must not pull the directory from under the other.
    const settled = await Promise.allSettled(
      runners.map((runner) =>
        runOnce({
          ...runner,
          target,
          staged,
          primitives,
          seccompPath,
          supervisorEntry,
          sinkholeEntry,
          dir: join(base, runner.name),
          limits,
          ca: runCa,
          execute: options.execute ?? false,
          isolation: options.gvisor ? ('gvisor' as const) : ('bubblewrap' as const),
          onCleanup: (cleanup) => {
            cleanups.add(cleanup);
            return () => cleanups.delete(cleanup);
          },
        }),
      ),
    );
    // A lockfile remembered from an earlier run whose tarballs have since left the cache: stage afresh.
    if (
      staged.reused &&
      settled.some((result) => result.status === 'fulfilled' && notCached(result.value.record))
    ) {
      progress('the npm cache lost tarballs of an earlier staging; resolving again');
      forgetStaging(staged);
      return await runSandbox(options);
    }
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    results = settled.map((result) => (result as PromiseFulfilledResult<(typeof results)[number]>).value);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    rmSync(base, { recursive: true, force: true });
  }
  return {
    target,
    runs: results.map((result) => result.record),
    limits,
    durationMs: Date.now() - started,
    cleanedUp: results.every((result) => result.cleanedUp) && !existsSync(base),
  };
};

/** Removes the temporary directories of runs whose process is gone (killed before it could clean up). */
const sweepStaleDirs = (): void => {
  let entries: string[];
  try {
    entries = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const entry of entries) {
    const owner = Number(/^bulwark-sandbox-(\d+)-/.exec(entry)?.[1]);
    if (!owner || owner === process.pid) continue;
    try {
      process.kill(owner, 0);
      continue;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EPERM') continue;
    }
    rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
};

const notCached = (record: RunRecord): boolean =>
  record.phases.some(
    (phase) => phase.name === 'install' && phase.status === 'failed' && phase.stderr.includes('ENOTCACHED'),
  );
