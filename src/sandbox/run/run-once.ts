import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hostMapper, planHoneytokens, writePlan } from '../honeytokens/plant.js';
import { sshKeyPairAsync } from '../honeytokens/tokens.js';
import { bwrapArgs, CONTROL_DIR, type SandboxLayout } from '../isolation/bwrap-args.js';
import { runGvisorTraced } from '../isolation/gvisor/run-gvisor.js';
import { applyRedirect, createNetns, deleteNetns, netnsName, readFlows } from '../isolation/netns.js';
import type { Primitives } from '../isolation/preflight.js';
import { runTraced, SANDBOX_HOST_ID } from '../isolation/run-traced.js';
import { type SinkholeProcess, startSinkholeProcess } from '../isolation/sinkhole-process.js';
import type { SupervisorLine, SupervisorPhase, SupervisorPlan } from '../isolation/supervisor-protocol.js';
import type { PemPair } from '../sinkhole/certificate-authority.js';
import { createTraceParser } from '../trace/parse-strace.js';
import type { HoneytokenPlan, PhaseName, PhaseOutcome, RunName, RunRecord, TraceLog } from '../types.js';
import { binNames, entrySpecifiers, exerciseSource, loaderSource } from './entry-points.js';
import { linkNpmCache } from './link-npm-cache.js';
import type { SandboxTarget } from './prepare-target.js';
import { baseEnvironment, etcFiles, type RunIdentity } from './sandbox-files.js';
import type { StagedProject } from './stage-project.js';

export type SandboxLimits = { installMs: number; importMs: number; executeMs: number; lingerMs: number };

export type RunOnceOptions = {
  name: RunName;
  identity: RunIdentity;
  /** Extra variables (the CI run's). */
  env?: Record<string, string>;
  target: SandboxTarget;
  staged: StagedProject;
  primitives: Primitives;
  seccompPath: string;
  supervisorEntry: string;
  sinkholeEntry: string;
  /** Host directory for this run (created; removed by the caller). */
  dir: string;
  limits: SandboxLimits;
  execute: boolean;
  /** bubblewrap + strace (default), or gVisor's runsc with its own syscall trace. */
  isolation?: 'bubblewrap' | 'gvisor';
  /** The invocation's certificate authority (the sinkhole reads HTTPS with it). */
  ca: PemPair;
  /** Registers a cleanup to run if Bulwark is interrupted mid-run. */
  onCleanup: (cleanup: () => Promise<void>) => () => void;
};

/** The resolver /etc/resolv.conf names inside the sandbox (any other one is hard-coded by the package). */
export const SANDBOX_RESOLVER = '127.0.0.53';
const SECCOMP_FD = 9;
const IMPORT_SETTLE_MS = 3_000;

/** One isolated run of every phase, with everything recorded. Always removes its namespace. */
export const runOnce = async (
  options: RunOnceOptions,
): Promise<{ record: RunRecord; cleanedUp: boolean }> => {
  const started = Date.now();
  const { identity, target, primitives } = options;
  // BULWARK_DEBUG=1: where a run's time goes, on stderr.
  let last = started;
  const mark = (step: string) => {
    if (!process.env.BULWARK_DEBUG) return;
    const now = Date.now();
    process.stderr.write(`sandbox ${options.name}: ${step} +${now - last} ms (${now - started} ms)\n`);
    last = now;
  };
  const hostHome = join(options.dir, 'home');
  const hostEtc = join(options.dir, 'etc');
  const hostControl = join(options.dir, 'control');
  // The home is the one read-write mount the run prepares: sandbox paths under it → host paths.
  const toHost = hostMapper([{ sandbox: identity.home, host: hostHome }]);
  const hostPath = (sandboxPath: string): string => {
    const host = toHost(sandboxPath);
    if (host === undefined) throw new Error(`${sandboxPath} is outside the sandbox home`);
    return host;
  };
  mkdirSync(options.dir, { recursive: true, mode: 0o711 });
  for (const dir of [hostHome, hostEtc, hostControl]) mkdirSync(dir, { recursive: true, mode: 0o755 });

  // The run's certificate authority: trusted inside (the system bundle, and Node through
  // NODE_EXTRA_CA_CERTS at that standard path), so the sinkhole can read HTTPS; its key stays outside.
  const ca = options.ca;
  const caDir = join(options.dir, 'ca');
  mkdirSync(caDir, { recursive: true, mode: 0o700 });
  const caFiles = { certFile: join(caDir, 'ca.pem'), keyFile: join(caDir, 'ca.key') };
  writeFileSync(caFiles.certFile, ca.certPem, { mode: 0o600 });
  writeFileSync(caFiles.keyFile, ca.keyPem, { mode: 0o600 });
  writeFileSync(join(hostEtc, 'ca-certificates.crt'), `${systemBundle()}${ca.certPem}`);

  const netns = netnsName();
  let killRun: (() => void) | undefined;
  let sinkholeStop: (() => Promise<void>) | undefined;
  const cleanup = async () => {
    killRun?.();
    await sinkholeStop?.().catch(() => {});
    await deleteNetns(primitives.ip, netns);
  };
  const unregister = options.onCleanup(cleanup);
  const parser = createTraceParser({ rootCwd: '/' });
  const lines: SupervisorLine[] = [];
  let trace: TraceLog;
  let flows: RunRecord['flows'] = [];
  let sinkholeEvents: RunRecord['sinkhole'] = [];
  let cleanedUp = false;
  let gvisorTrace: TraceLog | undefined;
  let gvisorCleanedUp = true;
  let network: Promise<SinkholeProcess> | undefined;
  let honeytokens: HoneytokenPlan;
  try {
    // The namespace and the sinkhole start while the home is written.
    network = (async () => {
      await createNetns(primitives.ip, netns);
      mark('namespace');
      const sinkhole = await startSinkholeProcess(
        primitives.ip,
        netns,
        primitives.node,
        options.sinkholeEntry,
        caFiles,
      );
      mark('sinkhole ready');
      sinkholeStop = sinkhole.stop;
      await applyRedirect(primitives.ip, primitives.nft, netns, sinkhole.ports);
      mark('nftables');
      return sinkhole;
    })();
    network.catch(() => {});
    // The project: what the host resolved, plus an app entry that loads the package.
    const hostProject = hostPath(identity.project);
    mkdirSync(hostProject, { recursive: true });
    for (const [file, content] of options.staged.files) {
      mkdirSync(dirname(join(hostProject, file)), { recursive: true });
      writeFileSync(join(hostProject, file), content);
    }
    writeFileSync(
      join(hostProject, 'index.js'),
      loaderSource(entrySpecifiers(target.name, target.manifest), IMPORT_SETTLE_MS),
    );

    const sshKey = await sshKeyPairAsync(`${identity.user}@${identity.hostname}`);
    honeytokens = planHoneytokens(identity, { sshKey });
    mark('honeytokens planned');
    await writePlan(honeytokens, toHost, {
      owner: { uid: SANDBOX_HOST_ID, gid: SANDBOX_HOST_ID },
    });
    mark('home written');
    appendNpmrc(hostPath(`${identity.home}/.npmrc`), primitives.node, target.registry);
    for (const [file, content] of Object.entries(etcFiles(identity, SANDBOX_RESOLVER)))
      writeFileSync(join(hostEtc, file), content);
    execFileSync('chown', ['-R', `${SANDBOX_HOST_ID}:${SANDBOX_HOST_ID}`, hostHome]);

    const env = {
      ...baseEnvironment(identity),
      NODE_EXTRA_CA_CERTS: SYSTEM_BUNDLE,
      ...honeytokens.env,
      ...(options.env ?? {}),
    };
    const phases: SupervisorPhase[] = [
      {
        name: 'install',
        argv: [
          primitives.node,
          primitives.npmCli,
          'install',
          '--offline',
          '--no-audit',
          '--no-fund',
          '--no-update-notifier',
          '--foreground-scripts',
        ],
        cwd: identity.project,
        env,
        timeoutMs: options.limits.installMs,
      },
      {
        name: 'import',
        argv: [primitives.node, 'index.js'],
        cwd: identity.project,
        env,
        timeoutMs: options.limits.importMs,
      },
    ];
    if (options.execute) {
      writeFileSync(
        join(hostProject, 'smoke.js'),
        exerciseSource(entrySpecifiers(target.name, target.manifest), IMPORT_SETTLE_MS),
      );
      phases.push({
        name: 'execute',
        argv: [primitives.node, 'smoke.js'],
        cwd: identity.project,
        env,
        timeoutMs: options.limits.executeMs,
      });
    }
    if (options.execute)
      for (const bin of binNames(target.name, target.manifest))
        phases.push({
          name: 'execute',
          argv: [`${identity.project}/node_modules/.bin/${bin}`, '--help'],
          cwd: identity.project,
          env,
          timeoutMs: options.limits.executeMs,
        });
    const totalMs =
      options.limits.installMs +
      options.limits.importMs +
      (phases.length - 2) * options.limits.executeMs +
      phases.length * (options.limits.lingerMs + 2_000);
    const plan: SupervisorPlan = { phases, lingerMs: options.limits.lingerMs, totalMs };
    writeFileSync(join(hostControl, 'plan.json'), JSON.stringify(plan));
    copyFileSync(options.supervisorEntry, join(hostControl, 'session.mjs'));

    const layout: SandboxLayout = {
      hostname: identity.hostname,
      user: identity.user,
      home: identity.home,
      hostHome,
      hostEtc,
      hostControl,
      controlDir: CONTROL_DIR,
      ...runNpmCache(
        join(options.staged.npmCache, '_cacache'),
        join(options.dir, 'npm-cache'),
        options.staged,
      ),
      cwd: identity.project,
    };

    const sinkhole = await network;
    const command = [primitives.node, `${CONTROL_DIR}/session.mjs`, `${CONTROL_DIR}/plan.json`];
    let result: { exitCode: number | null; signal: string | null; stderr: string };
    if (options.isolation === 'gvisor') {
      const run = await runGvisorTraced({
        runsc: primitives.runsc!,
        ip: primitives.ip,
        netns,
        layout,
        command,
        workDir: join(options.dir, 'gvisor'),
        timeoutMs: totalMs + 15_000,
        onSupervisorLine: (line) => lines.push(line),
        onSpawn: (kill) => {
          killRun = kill;
          mark('started');
        },
      });
      result = run.result;
      gvisorTrace = run.trace;
      gvisorCleanedUp = run.result.cleanedUp;
    } else
      result = await runTraced({
        primitives,
        netns,
        bwrap: bwrapArgs(layout, SECCOMP_FD),
        seccompPath: options.seccompPath,
        seccompFd: SECCOMP_FD,
        command,
        fifo: join(options.dir, 'trace.fifo'),
        timeoutMs: totalMs + 15_000,
        onTraceLine: (line) => parser.push(line),
        onSupervisorLine: (line) => lines.push(line),
        onSpawn: (kill) => {
          killRun = kill;
          mark('started');
        },
      });
    mark('traced run ended');
    trace = gvisorTrace ?? parser.finish();
    flows = await readFlows(primitives.ip, primitives.nft, netns).catch(() => []);
    mark('flows read');
    await sinkhole.stop();
    sinkholeStop = undefined;
    mark('sinkhole stopped');
    sinkholeEvents = sinkhole.events;
    if (lines.length === 0)
      throw new Error(
        `the sandbox did not start (${result.stderr.trim().split('\n').slice(-2).join(' ') || `exit ${result.exitCode ?? result.signal}`})`,
      );
  } finally {
    // A setup still under way must finish (or fail) before its namespace goes.
    await network?.catch(() => undefined);
    await sinkholeStop?.().catch(() => {});
    cleanedUp = await deleteNetns(primitives.ip, netns);
    mark('namespace deleted');
    unregister();
  }

  const supervisorPid = findSupervisor(trace, `${CONTROL_DIR}/session.mjs`);
  const record: RunRecord = {
    name: options.name,
    identity: {
      user: identity.user,
      hostname: identity.hostname,
      home: identity.home,
      project: identity.project,
    },
    packageDir: `${identity.project}/node_modules/${target.name}`,
    packageName: target.name,
    ...(supervisorPid === undefined ? {} : { supervisorPid }),
    phases: phaseOutcomes(lines, trace, supervisorPid),
    trace,
    sinkhole: sinkholeEvents,
    flows,
    honeytokens,
    resolver: SANDBOX_RESOLVER,
    durationMs: Date.now() - started,
  };
  return { record, cleanedUp: cleanedUp && gvisorCleanedUp && !existsSync(join('/run/netns', netns)) };
};

/** The run's own linked cache (writable), or the shared one read-only when links cannot be made. */
const runNpmCache = (
  shared: string,
  copy: string,
  staged: StagedProject,
): { hostNpmCache: string; npmCacheWritable?: boolean } => {
  let lock: Parameters<typeof linkNpmCache>[2];
  try {
    lock = JSON.parse(String(staged.files.get('package-lock.json') ?? '{}'));
  } catch {
    return { hostNpmCache: shared };
  }
  return linkNpmCache(shared, copy, lock, SANDBOX_HOST_ID)
    ? { hostNpmCache: copy, npmCacheWritable: true }
    : { hostNpmCache: shared };
};

const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** The host's CA bundle (Debian's path), to which the run's CA is appended. */
const systemBundle = (): string => {
  try {
    const text = readFileSync(SYSTEM_BUNDLE, 'utf8');
    return text.endsWith('\n') || text === '' ? text : `${text}\n`;
  } catch {
    return '';
  }
};

/** Settings a developer's ~/.npmrc has for this machine: local Node headers for native builds. */
const appendNpmrc = (file: string, node: string, registry: string | undefined): void => {
  const prefix = dirname(dirname(node));
  const lines: string[] = [];
  if (existsSync(join(prefix, 'include', 'node', 'node.h'))) lines.push(`nodedir=${prefix}`);
  if (registry) lines.push(`registry=${registry}`);
  if (lines.length > 0) appendFileSync(file, `${lines.join('\n')}\n`);
};

const findSupervisor = (trace: TraceLog, script: string): number | undefined => {
  for (const process of trace.processes.values())
    if (process.execs.some((exec) => exec.result.ok && exec.argv[1] === script)) return process.pid;
  return undefined;
};

/** Supervisor reports joined with the trace: phase i ran in the supervisor's i-th child process. */
const phaseOutcomes = (
  lines: SupervisorLine[],
  trace: TraceLog,
  supervisorPid: number | undefined,
): PhaseOutcome[] => {
  const children =
    supervisorPid === undefined
      ? []
      : [...trace.processes.values()]
          .filter((process) => process.parent === supervisorPid)
          .sort((a, b) => a.startedAt - b.startedAt);
  const outcomes: PhaseOutcome[] = [];
  let child = 0;
  for (const line of lines) {
    if (line.type !== 'phase-end') continue;
    const pid = line.status === 'skipped' ? undefined : children[child++]?.pid;
    outcomes.push({
      name: line.name as PhaseName,
      status: line.status,
      ...(pid === undefined ? {} : { pid }),
      startedAt: line.startedAt,
      endedAt: line.endedAt,
      ...(line.exitCode === undefined ? {} : { exitCode: line.exitCode }),
      ...(line.signal ? { signal: line.signal } : {}),
      stdout: line.stdout,
      stderr: line.stderr,
      lingering: line.lingering,
      ...(line.note ? { note: line.note } : {}),
    });
  }
  return outcomes;
};
