import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { InputError } from '../../core/errors.js';
import type { InspectionFormat } from '../../report/inspection-report.js';
import { writeOutput } from '../output.js';
import { UsageError } from '../usage-error.js';

type InspectFlags = { format: string; output?: string; failOn: string; offline?: boolean; registry?: string };

/** Bounds for reading a package directory (same order as the tarball limits). */
const MAX_DIR_FILES = 20_000;
const MAX_DIR_BYTES = 256 * 1024 * 1024;

export const registerInspect = (program: Command): void => {
  program
    .command('inspect')
    .description(
      "read one package's code and metadata and say what it does: verdict, score, capabilities, findings",
    )
    .argument('<target>', 'name[@version] from the registry, a .tgz file, or a package directory')
    .addOption(
      new Option('-f, --format <format>', 'report format')
        .choices(['table', 'json', 'sarif', 'markdown'])
        .default('table'),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <verdict>', 'exit 1 at or above: suspicious, malicious, or never', 'malicious')
    .option('--offline', 'no network: registry packages must already be in the cache')
    .option('--registry <url>', 'registry to fetch from (default: from .npmrc)')
    .addHelpText(
      'after',
      `
The package is read in memory and never executed. Exit codes: 0 below --fail-on, 1 at or above,
2 usage or input error.`,
    )
    .action(async (target: string, flags: InspectFlags) => {
      if (!['suspicious', 'malicious', 'never'].includes(flags.failOn))
        throw new UsageError(`--fail-on: "${flags.failOn}" is not one of suspicious, malicious, never`);
      const { analyzeFiles, analyzeTarball } = await import('../../analysis/analyze.js');
      const analysis = await inspectTarget(target, flags, { analyzeFiles, analyzeTarball });
      const { renderInspectionReport } = await import('../../report/inspection-report.js');
      writeOutput(renderInspectionReport(analysis, flags.format as InspectionFormat), flags.output);
      const failing =
        flags.failOn !== 'never' &&
        (analysis.verdict === 'malicious' ||
          (flags.failOn === 'suspicious' && analysis.verdict === 'suspicious'));
      if (failing) process.exitCode = 1;
    });
};

type Analyzers = typeof import('../../analysis/analyze.js');

const inspectTarget = async (
  target: string,
  flags: InspectFlags,
  { analyzeFiles, analyzeTarball }: Pick<Analyzers, 'analyzeFiles' | 'analyzeTarball'>,
) => {
  const path = resolve(target);
  const kind = statKind(path);
  if (kind === 'directory') {
    return { ...analyzeFiles(readPackageDirectory(path)), problems: [], complete: true };
  }
  if (kind === 'file') {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new InputError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
    return analyzeTarball(bytes, path).catch((error: unknown) => {
      // A broken archive is bad input: one line naming the file.
      throw error instanceof Error && error.name === 'TarballError'
        ? new InputError(
            path,
            `is not a readable package tarball (${error.message.replace(`${path}: `, '')})`,
          )
        : error;
    });
  }
  if (target.startsWith('.') || target.startsWith('/') || target.endsWith('.tgz'))
    throw new InputError(target, 'does not exist');
  const { name, range } = parseSpec(target);
  const { fetchRegistryTarball } = await import('./inspect-fetch.js');
  const fetched = await fetchRegistryTarball(name, range, flags);
  return analyzeTarball(
    fetched.bytes,
    `${name}@${fetched.version}`,
    { name, version: fetched.version, integrity: fetched.integrity },
    fetched.packument === undefined ? {} : { packument: fetched.packument },
  );
};

const statKind = (path: string): 'file' | 'directory' | 'missing' => {
  try {
    const stat = lstatSync(path);
    if (stat.isDirectory()) return 'directory';
    return stat.isFile() ? 'file' : 'missing';
  } catch {
    return 'missing';
  }
};

/** `name`, `name@1.2.3`, `name@^1`, `@scope/name@latest`. */
export const parseSpec = (spec: string): { name: string; range: string } => {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  const name = at === -1 ? spec : spec.slice(0, at);
  const range = at === -1 ? 'latest' : spec.slice(at + 1) || 'latest';
  if (!/^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name))
    throw new InputError(spec, 'is not a path, a .tgz file or a package name[@version]');
  return { name, range };
};

/**
 * A package directory's files, read from disk without following links and without
 * node_modules or .git, within fixed bounds. Nothing in it is executed.
 */
const readPackageDirectory = (root: string): Map<string, { bytes: Uint8Array }> => {
  const files = new Map<string, { bytes: Uint8Array }>();
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') stack.push(path);
      } else if (entry.isFile()) {
        const bytes = readFileSync(path);
        total += bytes.length;
        if (files.size >= MAX_DIR_FILES || total > MAX_DIR_BYTES)
          throw new InputError(root, `holds more than ${MAX_DIR_FILES} files or ${MAX_DIR_BYTES >> 20} MiB`);
        files.set(relative(root, path).split('\\').join('/'), { bytes });
      }
    }
  }
  return files;
};
