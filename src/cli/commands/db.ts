import type { Command } from 'commander';

// Placeholder registration; the intel work fills this in.
export const registerDb = (program: Command): void => {
  program.command('db').description('manage the local advisory database');
};
