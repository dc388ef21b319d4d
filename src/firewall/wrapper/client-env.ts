/** The package managers `bulwark <client> …` wraps. */
export type WrappedClient = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** Yarn 1 reads npm-style configuration; Yarn 2+ (Berry) has its own settings. */
export type YarnFlavour = 'classic' | 'berry';

export interface ClientEnvInput {
  client: WrappedClient;
  /** The firewall URL with this run's prefix, ending in `/`. */
  registry: string;
  /** Scopes the user's .npmrc sends elsewhere; pointed at the firewall too, or they would bypass it. */
  scopes?: string[];
  yarn?: YarnFlavour;
}

/**
 * Environment variables that point a client at the firewall for this run only; the user's
 * .npmrc, .yarnrc.yml and bunfig.toml are never edited. Environment configuration outranks
 * project and user files for every one of these clients.
 */
export const clientEnv = ({
  client,
  registry,
  scopes = [],
  yarn = 'classic',
}: ClientEnvInput): Record<string, string> => {
  const env: Record<string, string> = {};
  const npmStyle = () => {
    env.npm_config_registry = registry;
    for (const scope of scopes) env[`npm_config_${scope}:registry`] = registry;
  };
  switch (client) {
    case 'npm':
      npmStyle();
      // The firewall gives npm the upstream's tarball URLs (so the lockfile npm writes keeps
      // them, not this run's port); npm fetches each from the configured registry's host.
      env.npm_config_replace_registry_host = 'always';
      break;
    case 'pnpm':
      npmStyle();
      break;
    case 'yarn':
      if (yarn === 'berry') {
        env.YARN_NPM_REGISTRY_SERVER = registry.replace(/\/$/, '');
        // Berry refuses plain http unless the host is whitelisted; the firewall only listens on loopback.
        env.YARN_UNSAFE_HTTP_WHITELIST = new URL(registry).hostname;
        // Scopes from .yarnrc.yml (npmScopes) win over YARN_NPM_REGISTRY_SERVER; they cannot be
        // overridden per scope from the environment, so their packages would bypass the firewall.
      } else {
        npmStyle();
        env.YARN_REGISTRY = registry;
      }
      break;
    case 'bun':
      env.BUN_CONFIG_REGISTRY = registry;
      env.NPM_CONFIG_REGISTRY = registry;
      for (const scope of scopes) env[`npm_config_${scope}:registry`] = registry;
      break;
  }
  return env;
};
