import { type Command, Option } from 'commander';
import type { InspectionFormat } from '../../report/inspection-report.js';
import { failsAt, parseFailOn } from '../fail-on.js';
import { writeOutput } from '../output.js';

type InspectFlags = { format: string; output?: string; failOn: string; offline?: boolean; registry?: string };

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
      const failOn = parseFailOn(flags.failOn);
      const { analyzeFiles } = await import('../../analysis/analyze.js');
      const { readTarget } = await import('../../target/read-target.js');
      const read = await readTarget(target, flags);
      const analysis = {
        ...analyzeFiles(read.files, read.identity, read.context),
        problems: read.problems,
        complete: read.complete,
      };
      const { renderInspectionReport } = await import('../../report/inspection-report.js');
      writeOutput(renderInspectionReport(analysis, flags.format as InspectionFormat), flags.output);
      if (failsAt(analysis.verdict, failOn)) process.exitCode = 1;
    });
};
