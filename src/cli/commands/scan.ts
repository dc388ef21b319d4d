import type { Command } from 'commander';

// Placeholder registration; the scan orchestration fills this in.
export const registerScan = (program: Command): void => {
  program
    .command('scan')
    .description('inventory every dependency and match it against advisories and known malware')
    .argument('[dir]', 'project directory', '.')
    .action(() => {
      throw new Error('scan is not implemented yet');
    });
};
