import { type Command, Option } from 'commander';
import { failsAt, parseFailOn } from '../fail-on.js';
import { writeOutput } from '../output.js';
import { createProgress } from '../progress.js';
import { UsageError } from '../usage-error.js';

type SandboxFlags = {
  format: string;
  output?: string;
  failOn: string;
  offline?: boolean;
  registry?: string;
  execute?: boolean;
  gvisor?: boolean;
  ci: boolean;
  store: boolean;
  installTimeout: string;
  importTimeout: string;
  executeTimeout: string;
  linger: string;
  progress: boolean;
};

const seconds = (flag: string, value: string, max: number): number => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0 || parsed > max)
    throw new UsageError(`${flag}: "${value}" is not a number of seconds between 0 and ${max}`);
  return Math.round(parsed * 1000);
};

export const registerSandbox = (program: Command): void => {
  program
    .command('sandbox')
    .description(
      'install and load one package in isolation and report what it really does: processes, files, network, stolen secrets',
    )
    .argument('<target>', 'name[@version] from the registry, a .tgz file, or a package directory')
    .addOption(
      new Option('-f, --format <format>', 'report format')
        .choices(['table', 'json', 'markdown'])
        .default('table'),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <verdict>', 'exit 1 at or above: suspicious, malicious, or never', 'malicious')
    .option('--offline', 'no network on the host: the package and its dependencies must be in the cache')
    .option('--registry <url>', 'registry to resolve from (default: from .npmrc)')
    .option(
      '--execute',
      "also call the package's exported functions and run its executables (bin) with --help",
    )
    .option(
      '--gvisor',
      "stronger isolation: run the package under gVisor's runsc (its own kernel) instead of bubblewrap",
    )
    .option('--no-ci', 'skip the second run with a CI-like environment')
    .option('--no-store', 'do not record the verdict for scan and the firewall')
    .option('--install-timeout <seconds>', 'wall-clock limit of the install phase', '120')
    .option('--import-timeout <seconds>', 'wall-clock limit of the import phase', '30')
    .option('--execute-timeout <seconds>', 'wall-clock limit of each executable', '20')
    .option('--linger <seconds>', 'how long to watch processes a phase leaves running', '5')
    .option('--no-progress', 'no progress line on stderr')
    .addHelpText(
      'after',
      `
Needs Linux, root, bubblewrap, strace, nftables, util-linux and python3-seccomp (runsc for
--gvisor); never runs the package without them. Nothing the package does leaves the machine: every connection ends at a local
sinkhole. Exit codes: 0 below --fail-on, 1 at or above, 2 usage or input error, or the sandbox
cannot run here.`,
    )
    .action(async (target: string, flags: SandboxFlags) => {
      const failOn = parseFailOn(flags.failOn);
      const limits = {
        installMs: seconds('--install-timeout', flags.installTimeout, 3600),
        importMs: seconds('--import-timeout', flags.importTimeout, 3600),
        executeMs: seconds('--execute-timeout', flags.executeTimeout, 3600),
        lingerMs: seconds('--linger', flags.linger, 600),
      };
      const { runSandbox } = await import('../../sandbox/run/run-sandbox.js');
      const { SandboxUnavailableError } = await import('../../sandbox/isolation/preflight.js');
      const progress = flags.progress ? createProgress() : undefined;
      let run: Awaited<ReturnType<typeof runSandbox>>;
      try {
        run = await runSandbox({
          target,
          limits,
          ci: flags.ci,
          ...(flags.execute ? { execute: true } : {}),
          ...(flags.gvisor ? { gvisor: true } : {}),
          ...(flags.offline ? { offline: true } : {}),
          ...(flags.registry ? { registry: flags.registry } : {}),
          ...(progress ? { onProgress: (message: string) => progress.phase(message) } : {}),
        });
      } catch (error) {
        if (error instanceof SandboxUnavailableError) throw new UsageError(error.message);
        throw error;
      } finally {
        progress?.done();
      }
      const { buildSandboxReport } = await import('../../sandbox/report/build-report.js');
      const report = buildSandboxReport(run.runs, {
        package: {
          name: run.target.name,
          version: run.target.version,
          ...(run.target.integrity ? { integrity: run.target.integrity } : {}),
          source: run.target.source,
        },
        mode: flags.gvisor ? 'gvisor' : 'bubblewrap',
        limits: run.limits,
        durationMs: run.durationMs,
        cleanedUp: run.cleanedUp,
      });
      if (flags.store && run.target.integrity) {
        const { recordSandboxVerdict } = await import('../../sandbox/store/record-verdict.js');
        recordSandboxVerdict(report, run.target.integrity, (message) =>
          process.stderr.write(`bulwark: ${message}\n`),
        );
      }
      const { renderSandboxReport } = await import('../../sandbox/report/render.js');
      writeOutput(renderSandboxReport(report, flags.format as 'table' | 'json' | 'markdown'), flags.output);
      if (failsAt(report.verdict, failOn)) process.exitCode = 1;
    });
};
