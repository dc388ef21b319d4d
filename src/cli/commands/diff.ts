import { type Command, Option } from 'commander';
import type { FileFactsStore } from '../../analysis/file-facts-store.js';
import type { DiffSide } from '../../diff/analyze-side.js';
import type { DiffFormat } from '../../diff/render-diff.js';
import { failsAt, parseFailOn } from '../fail-on.js';
import { writeOutput } from '../output.js';
import { UsageError } from '../usage-error.js';

type DiffFlags = {
  format: string;
  output?: string;
  failOn: string;
  offline?: boolean;
  registry?: string;
  cache: boolean;
};

export const registerDiff = (program: Command): void => {
  program
    .command('diff')
    .description(
      'compare two versions of a package: capabilities gained, new threats, and a transition verdict',
    )
    .argument('<from>', 'older version: a .tgz file, a package directory, name@version, or a package name')
    .argument('<to>', 'newer version: same forms as <from>, or a version when <from> is a package name')
    .argument('[version]', 'with `diff <name> <from> <to>`: the newer version')
    .addOption(
      new Option('-f, --format <format>', 'report format').choices(['table', 'json']).default('table'),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <verdict>', 'exit 1 at or above: suspicious, malicious, or never', 'malicious')
    .option('--offline', 'no network: registry packages must already be in the cache')
    .option('--registry <url>', 'registry to fetch from (default: from .npmrc)')
    .option(
      '--no-cache',
      "neither read nor keep per-file analysis results (each side's files are all parsed)",
    )
    .addHelpText(
      'after',
      `
Forms: bulwark diff <a> <b>  (each a .tgz, a directory or name@version)
       bulwark diff <name> <from-version> <to-version>
Both packages are read in memory and never executed. Exit codes: 0 below --fail-on, 1 at or
above, 2 usage or input error.`,
    )
    .action(async (first: string, second: string, third: string | undefined, flags: DiffFlags) => {
      const failOn = parseFailOn(flags.failOn);
      const [fromTarget, toTarget] = third === undefined ? [first, second] : versionsOf(first, second, third);
      const { readTarget } = await import('../../target/read-target.js');
      const { analyzeSide } = await import('../../diff/analyze-side.js');
      const { diffReleases, publishTime } = await import('../../diff/diff-releases.js');
      const { renderDiff } = await import('../../diff/render-diff.js');
      const from = await readTarget(fromTarget, flags);
      const to = await readTarget(toTarget, flags);
      // The older side first: the newer one then parses only the files that changed.
      const store = flags.cache ? await openFactsStore() : undefined;
      let fromSide: DiffSide;
      let toSide: DiffSide;
      try {
        fromSide = analyzeSide(from.files, from.identity, from.context, store?.cache);
        toSide = analyzeSide(to.files, to.identity, to.context, store?.cache);
        saveFacts(store);
      } finally {
        store?.close();
      }
      const diff = await diffReleases(fromSide, toSide, {
        metadata: await metadataOf(to.context.packument, fromSide, toSide),
        dependencies: await dependencySource(from.identity, to.identity, flags),
        ...withReleaseTime(publishTime(to.context.packument, toSide.assessment.version)),
        ...(to.context.packument === undefined ? {} : { packument: to.context.packument }),
      });
      writeOutput(renderDiff(diff, flags.format as DiffFormat), flags.output);
      const verdict = diff.transition.verdict;
      if (failsAt(verdict, failOn)) process.exitCode = 1;
    });
};

/**
 * The per-file facts cache (file-facts-store.ts), or none when it cannot be opened: a diff never
 * fails for want of a cache.
 */
const openFactsStore = async (): Promise<FileFactsStore | undefined> => {
  const { openFileFactsStore } = await import('../../analysis/file-facts-store.js');
  try {
    return openFileFactsStore();
  } catch (error) {
    process.stderr.write(`bulwark: warning: analysis cache not used (${(error as Error).message})\n`);
    return undefined;
  }
};

const saveFacts = (store: FileFactsStore | undefined): void => {
  try {
    store?.save();
  } catch (error) {
    process.stderr.write(`bulwark: warning: analysis cache not written (${(error as Error).message})\n`);
  }
};

/**
 * Registry-metadata transitions from `to`'s registry document (read when `to` came from the
 * registry), for two versions of the same package; none otherwise.
 */
const metadataOf = async (
  packument: unknown,
  from: { assessment: { name: string; version: string } },
  to: { assessment: { name: string; version: string } },
) => {
  if (packument === undefined || from.assessment.name !== to.assessment.name || !from.assessment.version)
    return [];
  const { metadataTransitions } = await import('../../diff/metadata/transitions.js');
  const { gradeTransitions } = await import('../../diff/metadata/grading.js');
  return gradeTransitions(metadataTransitions(packument, from.assessment.version, to.assessment.version));
};

/**
 * Where new dependencies are looked up: the registry, unless `--offline`, or both sides are local
 * files and no `--registry` was given (then nothing says which registry the package lives on).
 */
const dependencySource = async (
  from: { version?: string },
  to: { version?: string },
  flags: DiffFlags,
): Promise<import('../../diff/new-dependencies.js').DependencySource | { skipped: string }> => {
  if (flags.offline) return { skipped: 'offline' };
  if (from.version === undefined && to.version === undefined && flags.registry === undefined)
    return { skipped: 'both sides are local files (give --registry to look them up)' };
  const { registryDependencySource } = await import('../../diff/dependency-source.js');
  return registryDependencySource(flags.registry === undefined ? {} : { registry: flags.registry });
};

const withReleaseTime = (time: string | undefined) => (time === undefined ? {} : { releaseTime: time });

/** `diff <name> <from> <to>`: the versions are bare; a name with `@version` there is a mistake. */
const versionsOf = (name: string, from: string, to: string): [string, string] => {
  if (!/^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name))
    throw new UsageError(`${name}: with three arguments the first is a package name without a version`);
  for (const version of [from, to])
    if (version === '' || /[\s/@]/.test(version))
      throw new UsageError(`${version || '""'}: is not a version or range`);
  return [`${name}@${from}`, `${name}@${to}`];
};
