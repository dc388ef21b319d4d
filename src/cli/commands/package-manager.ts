import type { Command } from 'commander';
import type { WrappedClient } from '../../firewall/wrapper/client-env.js';

export const WRAPPED_CLIENTS: readonly WrappedClient[] = ['npm', 'pnpm', 'yarn', 'bun'];

/** `bulwark npm|pnpm|yarn|bun <args…>`: every argument after the client's name goes to it untouched. */
export const registerPackageManagers = (program: Command): void => {
  for (const client of WRAPPED_CLIENTS) {
    program
      .command(client)
      .description(`run ${client} through the bulwark firewall (started for this run unless one is running)`)
      .argument('[args...]', `arguments for ${client}, passed through unchanged`)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .passThroughOptions()
      .action(async (_args: string[], _flags: unknown, command: Command) => {
        const { runWrapped } = await import('../../firewall/wrapper/run-wrapped.js');
        process.exitCode = await runWrapped(client, argsAfter(command, client), {
          cwd: process.cwd(),
          env: process.env,
        });
      });
  }
};

/**
 * The raw arguments after the client's name. Commander drops a leading `--`, which the
 * client must see (`bulwark npm -- …` is rare, but `bulwark npm run x -- --flag` is not).
 */
export const argsAfter = (command: Command, client: string): string[] => {
  // rawArgs is commander's public field (documented), missing from its typings.
  const raw = (command.parent as { rawArgs?: string[] } | null)?.rawArgs ?? [];
  const at = raw.indexOf(client, 2);
  return at === -1 ? command.args : raw.slice(at + 1);
};
