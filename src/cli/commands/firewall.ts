import type { Command } from 'commander';
import type { DecisionRecord } from '../../firewall/types.js';
import type { FirewallFlags } from '../../firewall/wrapper/firewall-setup.js';
import { registerFirewallLog } from './firewall-log.js';

type Write = (text: string) => void;

export const registerFirewall = (program: Command): Command => {
  const firewall = program
    .command('firewall')
    .description('run a registry proxy that inspects every package before npm, pnpm, Yarn or Bun installs it')
    .option('--port <port>', 'port to listen on; 0 picks a free one', '4873')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option(
      '--upstream <url>',
      "registry to proxy (default: .npmrc's registry, else https://registry.npmjs.org/)",
    )
    .option(
      '--policy <file>',
      'policy file, YAML or JSON (default: ./bulwark-firewall.yml if present, else the built-in policy)',
    )
    .option('--db <path>', 'advisory database (default: $BULWARK_DB or the per-user data directory)')
    .option('--admin-token-env <var>', 'enable the admin API with the token in this environment variable')
    .option('--admin-token-file <file>', 'enable the admin API with the token in this file')
    .option('--no-analysis', 'do not analyse tarballs (the malicious and suspicious rules then never match)')
    .option('--dry-run', 'serve everything; log what the policy would have blocked')
    .addHelpText(
      'after',
      `
Point a client at it with registry=http://127.0.0.1:4873/ (.npmrc), or run bulwark npm|pnpm|yarn|bun …,
which uses this firewall while it runs. Stops on Ctrl-C or SIGTERM.
Exit codes: 0 after a clean stop, 2 usage or input error.`,
    )
    .action(async (flags: FirewallFlags) => {
      await runFirewall(flags);
    });
  // main() turns commander's errors into one line and exit 2 for top-level commands; nested ones need the same.
  registerFirewallLog(firewall)
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  return firewall;
};

export interface RunFirewallOptions {
  projectDir?: string;
  env?: NodeJS.ProcessEnv;
  stdout?: Write;
  stderr?: Write;
  /** Resolves when the firewall should stop; default: the first SIGINT or SIGTERM. */
  stopSignal?: Promise<unknown>;
}

/** Starts the firewall, announces it, records where it runs, and serves until told to stop. */
export const runFirewall = async (flags: FirewallFlags, run: RunFirewallOptions = {}): Promise<void> => {
  const env = run.env ?? process.env;
  const stdout = run.stdout ?? ((text) => process.stdout.write(text));
  const stderr = run.stderr ?? ((text) => process.stderr.write(text));
  const { resolveFirewallSetup } = await import('../../firewall/wrapper/firewall-setup.js');
  const { startLocalFirewall } = await import('../../firewall/wrapper/start-local.js');
  const { removeState, stateFilePath, writeState } = await import('../../firewall/wrapper/state-file.js');
  const { decisionLine } = await import('../../firewall/wrapper/decision-line.js');

  const setup = await resolveFirewallSetup(flags, run.projectDir ?? process.cwd(), env);
  for (const warning of setup.warnings) stderr(`bulwark: warning: ${warning}\n`);
  // Listen for the stop signal before starting, so a signal during start-up is not lost.
  const stop = run.stopSignal ?? untilSignal();
  const local = await startLocalFirewall(setup, env);
  const { firewall } = local;
  const unlisten = firewall.onDecision((decision: DecisionRecord) => {
    const line = decisionLine(decision);
    if (line) stderr(`${line}\n`);
  });
  const stateFile = stateFilePath(env);
  writeState(stateFile, {
    url: firewall.url,
    pid: process.pid,
    policy: setup.policyFile ?? 'defaults',
    startedAt: new Date().toISOString(),
    scopes: Object.keys(setup.options.scopes ?? {}),
  });
  const policy = setup.policyFile ?? 'built-in defaults';
  const mode = setup.options.policy.dryRun ? ', dry run' : '';
  const analysis = setup.options.analysis === false ? ', analysis off' : '';
  stdout(
    `bulwark firewall listening on ${firewall.url} (upstream ${setup.options.upstream}; policy ${policy}${mode}${analysis}; ${setup.intel})\n`,
  );
  stdout(`point clients at it: registry=${firewall.url}/ (or run bulwark npm|pnpm|yarn|bun …)\n`);
  try {
    await stop;
  } finally {
    unlisten();
    removeState(stateFile);
    await local.close();
    stderr('bulwark firewall stopped\n');
  }
};

const untilSignal = (): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
