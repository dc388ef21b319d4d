import { type Command, Option } from 'commander';
import { failsAt, parseFailOn } from '../fail-on.js';
import { writeOutput } from '../output.js';
import { UsageError } from '../usage-error.js';

type ReviewFlags = {
  base?: string;
  format: string;
  output?: string;
  failOn: string;
  offline?: boolean;
  registry?: string;
};

export const registerReview = (program: Command): void => {
  program
    .command('review')
    .description(
      'review a lockfile change: packages added, removed, upgraded and downgraded, each analysed, with a verdict',
    )
    .argument('[base-lockfile]', 'the lockfile before the change (omit with --base)')
    .argument(
      '[head-lockfile]',
      "the lockfile after the change (default with --base: the project's lockfile)",
    )
    .option(
      '--base <git-ref>',
      'read the base lockfile from this git revision (same path as the head lockfile)',
    )
    .addOption(
      new Option('-f, --format <format>', 'report format')
        .choices(['table', 'json', 'markdown'])
        .default('table'),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <verdict>', 'exit 1 at or above: suspicious, malicious, or never', 'malicious')
    .option('--offline', 'no network: registry documents and tarballs must already be in the cache')
    .option('--registry <url>', 'registry to fetch from (default: from .npmrc)')
    .addHelpText(
      'after',
      `
Forms: bulwark review <base-lockfile> <head-lockfile>
       bulwark review --base <git-ref> [head-lockfile]
Lockfiles: package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml, yarn.lock, bun.lock, CycloneDX.
Package code is read in memory and never executed. Exit codes: 0 below --fail-on, 1 at or above,
2 usage or input error.`,
    )
    .action(async (first: string | undefined, second: string | undefined, flags: ReviewFlags) => {
      const failOn = parseFailOn(flags.failOn);
      if (flags.base === undefined && (first === undefined || second === undefined))
        throw new UsageError(
          'review needs two lockfiles (<base-lockfile> <head-lockfile>) or --base <git-ref>',
        );
      if (flags.base !== undefined && second !== undefined)
        throw new UsageError('with --base, give at most one lockfile (the head)');
      const { loadLockfile, loadGitBase } = await import('../../review/load-lockfiles.js');
      let base: ReturnType<typeof loadLockfile>;
      let head: ReturnType<typeof loadLockfile>;
      if (flags.base === undefined) {
        base = loadLockfile(first);
        head = loadLockfile(second);
      } else {
        head = loadLockfile(first);
        base = loadGitBase(flags.base, head.file);
      }
      const { reviewChanges } = await import('../../review/review.js');
      const warnings = new Set<string>();
      const review = await reviewChanges({
        base: base.graph.nodes.values(),
        head: head.graph.nodes.values(),
        projectDir: process.cwd(),
        offline: flags.offline ?? false,
        registry: flags.registry,
        onWarning: (message) => warnings.add(message),
      });
      for (const warning of warnings) process.stderr.write(`bulwark: warning: ${oneLine(warning)}\n`);
      const sources = { base: base.label, head: head.label };
      const { renderReviewJson } = await import('../../review/render-json.js');
      const { renderReviewTable } = await import('../../review/render-table.js');
      const { renderReviewMarkdown } = await import('../../review/render-markdown.js');
      const text =
        flags.format === 'json'
          ? renderReviewJson(review, sources)
          : flags.format === 'markdown'
            ? renderReviewMarkdown(review, sources)
            : renderReviewTable(review, sources);
      writeOutput(text, flags.output);
      if (failsAt(review.verdict, failOn)) process.exitCode = 1;
    });
};

const oneLine = (text: string): string =>
  text
    .replace(/\s+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
