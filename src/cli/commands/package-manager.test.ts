import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../main.js';
import { argsAfter, WRAPPED_CLIENTS } from './package-manager.js';

/** The arguments `bulwark <client> …` would hand to the client, with the real program's parsing. */
const passed = async (argv: string[]): Promise<string[]> => {
  const program = buildProgram();
  let captured: string[] | undefined;
  for (const client of WRAPPED_CLIENTS) {
    const command = program.commands.find((c) => c.name() === client)!;
    command.action((_args: string[], _flags: unknown, self: Command) => {
      captured = argsAfter(self, client);
    });
  }
  await program.parseAsync(['node', 'bulwark', ...argv]);
  if (!captured) throw new Error('no client command ran');
  return captured;
};

describe('bulwark npm|pnpm|yarn|bun argument pass-through', () => {
  it('passes every argument after the client name untouched, options and -- included', async () => {
    expect(await passed(['npm', 'install', '--save-dev', 'left-pad@1', '-E'])).toEqual([
      'install',
      '--save-dev',
      'left-pad@1',
      '-E',
    ]);
    expect(await passed(['npm', 'run', 'build', '--', '--watch'])).toEqual(['run', 'build', '--', '--watch']);
    expect(await passed(['pnpm', '--', 'x'])).toEqual(['--', 'x']);
    expect(await passed(['yarn'])).toEqual([]);
  });

  it("leaves bulwark's own -h and -V to the client", async () => {
    expect(await passed(['npm', '--version'])).toEqual(['--version']);
    expect(await passed(['bun', '-h'])).toEqual(['-h']);
    expect(await passed(['npm', 'npm'])).toEqual(['npm']);
  });

  it('registers bulwark firewall log under bulwark firewall', () => {
    const firewall = buildProgram().commands.find((c) => c.name() === 'firewall')!;
    expect(firewall.commands.map((c) => c.name())).toEqual(['log']);
  });
});
