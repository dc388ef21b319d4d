import { InputError } from '../../core/errors.js';
import { loadNpmrc } from '../../registry/npmrc.js';
import type { DecisionRecord } from '../types.js';
import { clientEnv, type WrappedClient } from './client-env.js';
import { findRunningFirewall } from './discover.js';
import { findExecutable } from './find-executable.js';
import { lockedTarballsBypassing, preflightTarballs } from './lockfile-preflight.js';
import { childEnv, runClient } from './run-client.js';
import { newSessionId, sessionRegistryUrl } from './session.js';
import { stateFilePath } from './state-file.js';
import { renderSummary, summarise, terminalSafe, wrapperExitCode } from './summary.js';
import { berryRegistry, detectYarnFlavour } from './yarn-flavour.js';

export interface WrapOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stderr?: (text: string) => void;
}

/** Where this run's decisions come from once the client has exited. */
interface DecisionSource {
  url: string;
  policyFile?: string;
  decisions: () => Promise<DecisionRecord[]>;
  close: () => Promise<void>;
}

/**
 * Runs a package manager through the firewall: the running `bulwark firewall` if there is one,
 * else one started here on a free loopback port for this run. Returns the exit code.
 */
export const runWrapped = async (
  client: WrappedClient,
  args: string[],
  options: WrapOptions,
): Promise<number> => {
  const { cwd, env } = options;
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  const executable = findExecutable(client, env);
  if (!executable) throw new InputError(client, 'not found on PATH');
  const npmrc = loadNpmrc({ projectDir: cwd, env });
  const session = newSessionId();

  const yarn = client === 'yarn' ? detectYarnFlavour(cwd) : undefined;
  if (client === 'bun' && npmrc.scopes.size > 0)
    stderr(
      `bulwark: warning: Bun takes no environment override for scoped registries; ${[...npmrc.scopes.keys()].join(', ')} from .npmrc are fetched directly, not through the firewall\n`,
    );
  // A Berry project names its registry in .yarnrc.yml, which .npmrc readers do not see.
  const upstream =
    yarn === 'berry' && npmrc.registry === undefined ? berryRegistry(cwd, env.HOME) : undefined;
  const source = await connect(cwd, env, session, stderr, upstream);
  let result: Awaited<ReturnType<typeof runClient>>;
  let decisions: DecisionRecord[];
  try {
    const registry = sessionRegistryUrl(source.url, {
      project: cwd,
      session,
      client,
      upstreamTarballs: client === 'npm',
    });
    const overrides = clientEnv({
      client,
      registry,
      scopes: [...npmrc.scopes.keys()],
      ...(yarn ? { yarn } : {}),
    });
    const refused = yarn === 'classic' ? await preflightYarnLock(cwd, source.url, registry, stderr) : 0;
    try {
      result =
        refused > 0
          ? { code: 1, signal: null }
          : await runClient(executable, args, { cwd, env: childEnv(env, overrides) });
    } catch (error) {
      throw new InputError(
        client,
        `could not start ${executable} (${(error as NodeJS.ErrnoException).code ?? error})`,
      );
    }
    decisions = (await source.decisions()).filter((d) => d.session === undefined || d.session === session);
  } finally {
    await source.close();
  }
  const summary = summarise(decisions);
  for (const line of renderSummary(summary, source.policyFile)) stderr(`${line}\n`);
  return wrapperExitCode(result.code, result.signal, summary.denied.length);
};

/**
 * Yarn classic fetches the tarball URLs in yarn.lock as written, past any registry setting, so
 * those pinned elsewhere are asked of the firewall before Yarn runs. Returns how many it refused;
 * Yarn is not started then.
 */
const preflightYarnLock = async (
  cwd: string,
  firewallUrl: string,
  registry: string,
  stderr: (text: string) => void,
): Promise<number> => {
  const pinned = lockedTarballsBypassing(cwd, firewallUrl);
  if (pinned.length === 0) return 0;
  stderr(
    `bulwark: yarn.lock pins ${pinned.length} tarballs on other hosts, which Yarn classic fetches directly; checking them through the firewall first\n`,
  );
  const outcome = await preflightTarballs(registry, pinned, { userAgent: 'yarn/1 (bulwark preflight)' });
  // A 403 is a decision, listed in the summary; anything else (502, unreachable) only here.
  for (const r of outcome.refused.filter((x) => x.status !== 403))
    stderr(
      `bulwark: ${terminalSafe(`${r.name}@${r.version}`)} refused${r.status ? ` (${r.status})` : ''}: ${terminalSafe(r.message)}\n`,
    );
  if (outcome.refused.length > 0) stderr('bulwark: yarn was not run\n');
  return outcome.refused.length;
};

const connect = async (
  cwd: string,
  env: NodeJS.ProcessEnv,
  session: string,
  stderr: (text: string) => void,
  upstream: string | undefined,
): Promise<DecisionSource> => {
  const running = await findRunningFirewall(stateFilePath(env));
  if (running) {
    const unproxied = [...loadNpmrc({ projectDir: cwd, env }).scopes.keys()].filter(
      (scope) => !(running.scopes ?? []).includes(scope),
    );
    if (unproxied.length > 0)
      stderr(
        `bulwark: warning: the running firewall (${running.url}) was not started with this project's registries for ${unproxied.join(', ')}; their packages come from its default upstream\n`,
      );
    stderr(`bulwark: using the firewall at ${running.url} (policy ${terminalSafe(running.policy)})\n`);
    const source: DecisionSource = {
      url: running.url,
      // The running firewall's decision log is in the same data directory as its state file.
      decisions: async () => {
        const { defaultDecisionLogPath, openDecisionLog } = await import('../decision-log.js');
        try {
          const log = openDecisionLog(defaultDecisionLogPath(env), { readonly: true });
          try {
            return log.query({ session, limit: 10_000 });
          } finally {
            log.close();
          }
        } catch (error) {
          stderr(
            `bulwark: warning: cannot read the firewall's decision log (${terminalSafe(String(error))})\n`,
          );
          return [];
        }
      },
      close: async () => {},
    };
    if (running.policy !== 'defaults') source.policyFile = running.policy;
    return source;
  }
  const { resolveFirewallSetup } = await import('./firewall-setup.js');
  const { startLocalFirewall } = await import('./start-local.js');
  const setup = await resolveFirewallSetup(
    upstream === undefined ? { port: '0' } : { port: '0', upstream },
    cwd,
    env,
  );
  for (const warning of setup.warnings) stderr(`bulwark: warning: ${warning}\n`);
  const local = await startLocalFirewall(setup, env);
  stderr(
    `bulwark: firewall for this run at ${local.firewall.url} (upstream ${setup.options.upstream}; policy ${setup.policyFile ?? 'built-in defaults'}; ${setup.intel})\n`,
  );
  const seen: DecisionRecord[] = [];
  const unlisten = local.firewall.onDecision((decision) => seen.push(decision));
  const source: DecisionSource = {
    url: local.firewall.url,
    decisions: async () => seen,
    close: async () => {
      unlisten();
      await local.close();
    },
  };
  if (setup.policyFile) source.policyFile = setup.policyFile;
  return source;
};
