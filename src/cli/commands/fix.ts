import type { Command } from 'commander';

// Placeholder registration; the remediation work fills this in.
export const registerFix = (program: Command): void => {
  program
    .command('fix')
    .description('apply the fixes `scan` proposes to package.json')
    .argument('[dir]', 'project directory', '.')
    .option('--dry-run', 'print the change without writing it')
    .action(() => {
      throw new Error('fix is not implemented yet');
    });
};
