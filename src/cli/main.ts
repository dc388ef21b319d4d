import { Command, CommanderError } from 'commander';
import { isInputError } from '../core/errors.js';
import { TOOL_VERSION } from '../core/version.js';
import { registerDb } from './commands/db.js';
import { registerDiff } from './commands/diff.js';
import { registerFirewall } from './commands/firewall.js';
import { registerFix } from './commands/fix.js';
import { registerInspect } from './commands/inspect.js';
import { registerPackageManagers } from './commands/package-manager.js';
import { registerReview } from './commands/review.js';
import { registerSandbox } from './commands/sandbox.js';
import { registerScan } from './commands/scan.js';
import { UsageError } from './usage-error.js';

export const buildProgram = (): Command => {
  const program = new Command('bulwark')
    .description('Defends npm projects against malicious and vulnerable dependencies.')
    .version(TOOL_VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    // Options after a subcommand belong to it: `bulwark npm --version` is npm's --version.
    .enablePositionalOptions();
  registerScan(program);
  registerFix(program);
  registerInspect(program);
  registerDiff(program);
  registerReview(program);
  registerSandbox(program);
  registerDb(program);
  registerFirewall(program);
  registerPackageManagers(program);
  for (const command of program.commands) command.exitOverride().configureOutput({ outputError: () => {} });
  return program;
};

/** Runs the CLI. Every failure ends as one line on stderr and an exit code; no stack traces. */
export const main = async (argv: string[]): Promise<void> => {
  // A reader that stops early (`bulwark scan | head`) is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = handleError(error);
  }
};

const handleError = (error: unknown): number => {
  if (error instanceof CommanderError) {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.exitCode === 0
    ) {
      return 0;
    }
    process.stderr.write(`bulwark: ${error.message.replace(/^error: /, '')}\n`);
    return 2;
  }
  if (isInputError(error) || error instanceof UsageError) {
    process.stderr.write(`bulwark: ${oneLine(error.message)}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`bulwark: internal error: ${oneLine(message)}\n`);
  if (process.env.BULWARK_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 3;
};

/** One terminal-safe line: messages quote file contents, which may hold escape sequences. */
const oneLine = (text: string): string =>
  text
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
