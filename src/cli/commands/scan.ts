import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { defaultDbPath } from '../../core/paths.js';
import { parseSeverity, type Severity } from '../../core/severity.js';
import { REPORT_FORMATS, type ReportFormat, renderReport } from '../../report/index.js';
import { runScan } from '../../scan/scan.js';
import { useColor, writeOutput } from '../output.js';
import { countLabel, createProgress, silentProgress } from '../progress.js';
import { UsageError } from '../usage-error.js';

type ScanFlags = {
  lockfile?: string;
  sbom?: string;
  db?: string;
  format: string;
  output?: string;
  failOn: string;
  omit: string[];
  prod?: boolean;
  offline?: boolean;
  registry?: string;
  color?: boolean;
  suppressions: boolean;
  analysis: boolean;
  analysisTimeLimit?: string;
  upgradeCheck: boolean;
  upgradeCheckDepth?: string;
  upgradeCheckScope: 'direct' | 'all';
  progress: boolean;
};

export const registerScan = (program: Command): void => {
  program
    .command('scan')
    .description('inventory every dependency and match it against advisories and known malware, with fixes')
    .argument(
      '[dir]',
      'project directory (the lockfile is found there, or in a workspace root above it)',
      '.',
    )
    .option(
      '--lockfile <file>',
      'read this lockfile (or package.json, or CycloneDX SBOM) instead of discovering one',
    )
    .option('--sbom <file>', 'read a CycloneDX JSON SBOM as the inventory')
    .option('--db <path>', 'advisory database (default: $BULWARK_DB or the per-user data directory)')
    .addOption(
      new Option('-f, --format <format>', 'report format').choices([...REPORT_FORMATS]).default('table'),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option(
      '--fail-on <severity>',
      'exit 1 when an unsuppressed finding is at or above: critical, high, medium (moderate), low, or never',
      'high',
    )
    .option('--omit <type>', 'leave out a dependency type; only "dev" is supported', collect, [])
    .option('--prod', 'scan only what ships (same as --omit dev)')
    .option(
      '--offline',
      'no network: remediation uses cached registry data; analysis uses cached results and tarballs only',
    )
    .option('--registry <url>', 'registry for tarballs and remediation look-ups (default: from .npmrc)')
    .option('--no-analysis', "match advisories only; do not read the packages' code")
    .option(
      '--analysis-time-limit <seconds>',
      'wall-clock limit per package, at most 10; a package past it yields an analysis-time-limit finding (default 10)',
    )
    .option(
      '--no-upgrade-check',
      'do not check the newer releases of each package for a turn (on only with analysis, never offline)',
    )
    .addOption(
      new Option(
        '--upgrade-check-scope <scope>',
        'whose newer releases are checked: direct dependencies, or all packages',
      )
        .choices(['direct', 'all'])
        .default('direct'),
    )
    .option(
      '--upgrade-check-depth <n>',
      'newer releases checked per package besides latest, 0 to 10 (default 3)',
    )
    .option('--no-progress', 'no progress line on stderr (it is shown only on a terminal anyway)')
    .option('--no-suppressions', 'ignore bulwark.yaml accepted-risk entries')
    .option('--color', 'force colour in the table report')
    .option('--no-color', 'never use colour')
    .addHelpText(
      'after',
      `
Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 usage or input error.
Known malware and a "malicious" behaviour verdict always fail the scan unless --fail-on never.`,
    )
    .action(async (dir: string, flags: ScanFlags) => {
      const format = flags.format as ReportFormat;
      const failOn = parseFailOn(flags.failOn);
      const omitDev = flags.prod === true || parseOmit(flags.omit);
      if (flags.lockfile && flags.sbom)
        throw new UsageError('--lockfile and --sbom name the same input; give one');
      const limitMs = parseTimeLimit(flags.analysisTimeLimit);
      const depth = parseDepth(flags.upgradeCheckDepth);
      const progress = flags.progress ? createProgress() : silentProgress;
      const since = { at: 0, done: 0 };
      const upgradeSince = { at: 0, done: 0 };
      const onProgress = (counts: { done: number; total: number; cached: number }) => {
        if (since.at === 0) Object.assign(since, { at: Date.now(), done: counts.done });
        progress.update(countLabel('analysing packages', counts, since, Date.now()));
      };
      try {
        const result = await runScan({
          dir: resolve(dir),
          lockfile: flags.sbom ?? flags.lockfile,
          dbPath: flags.db ?? defaultDbPath(),
          omitDev,
          failOn,
          offline: flags.offline === true,
          registry: flags.registry,
          useSuppressions: flags.suppressions,
          analysis: flags.analysis && {
            onProgress,
            ...(limitMs !== undefined ? { limitMs } : {}),
            upgradeCheck: flags.upgradeCheck && {
              ...(depth !== undefined ? { depth } : {}),
              scope: flags.upgradeCheckScope,
              onProgress: (counts) => {
                if (upgradeSince.at === 0) Object.assign(upgradeSince, { at: Date.now(), done: counts.done });
                progress.update(countLabel('checking newer releases', counts, upgradeSince, Date.now()));
              },
            },
          },
          onPhase: progress.phase,
        });
        progress.done();
        for (const warning of result.warnings) process.stderr.write(`bulwark: warning: ${warning}\n`);
        const color = format === 'table' && !flags.output && useColor(process.stdout, flags.color);
        writeOutput(renderReport(result, format, { color }), flags.output);
        if (result.summary.failing > 0) process.exitCode = 1;
      } finally {
        progress.done();
      }
    });
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const parseFailOn = (value: string): Severity | 'never' => {
  if (value === 'never') return 'never';
  const severity = parseSeverity(value);
  if (!severity || severity === 'none' || severity === 'unknown') {
    throw new UsageError(`--fail-on: "${value}" is not one of critical, high, medium, moderate, low, never`);
  }
  return severity;
};

/** The bound: no package holds a scan longer than this (also the default). */
const MAX_TIME_LIMIT_SECONDS = 10;

/** Seconds, decimals allowed (tests use fractions); never above the 10 s default. */
const parseTimeLimit = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(seconds > 0) || seconds > MAX_TIME_LIMIT_SECONDS)
    throw new UsageError(
      `--analysis-time-limit: "${value}" is not a number of seconds above 0 and at most 10`,
    );
  return Math.round(seconds * 1000);
};

const MAX_UPGRADE_DEPTH = 10;

const parseDepth = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const depth = Number(value);
  if (!/^\d+$/.test(value.trim()) || depth > MAX_UPGRADE_DEPTH)
    throw new UsageError(`--upgrade-check-depth: "${value}" is not a whole number from 0 to 10`);
  return depth;
};

const parseOmit = (values: string[]): boolean => {
  for (const value of values) {
    for (const part of value.split(',')) {
      if (part.trim() !== 'dev') throw new UsageError(`--omit: "${part}" is not supported; use --omit dev`);
    }
  }
  return values.length > 0;
};
