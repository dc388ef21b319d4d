import { describe, expect, it } from 'vitest';
import { clientEnv } from './client-env.js';

const registry = 'http://127.0.0.1:4873/-/bulwark/p/abc/';

describe('clientEnv', () => {
  it('points npm and pnpm at the firewall, scopes included', () => {
    expect(clientEnv({ client: 'pnpm', registry, scopes: ['@corp'] })).toEqual({
      npm_config_registry: registry,
      'npm_config_@corp:registry': registry,
    });
    // npm gets upstream tarball URLs (kept in its lockfile) and fetches them from the firewall's host.
    expect(clientEnv({ client: 'npm', registry, scopes: ['@corp'] })).toEqual({
      npm_config_registry: registry,
      'npm_config_@corp:registry': registry,
      npm_config_replace_registry_host: 'always',
    });
  });

  it('gives Yarn classic the npm variables and YARN_REGISTRY', () => {
    expect(clientEnv({ client: 'yarn', registry, yarn: 'classic', scopes: ['@corp'] })).toEqual({
      npm_config_registry: registry,
      'npm_config_@corp:registry': registry,
      YARN_REGISTRY: registry,
    });
  });

  it('gives Yarn Berry its own server setting and allows plain http to the loopback host only', () => {
    expect(clientEnv({ client: 'yarn', registry, yarn: 'berry' })).toEqual({
      YARN_NPM_REGISTRY_SERVER: 'http://127.0.0.1:4873/-/bulwark/p/abc',
      YARN_UNSAFE_HTTP_WHITELIST: '127.0.0.1',
    });
  });

  it('gives Bun its registry variable and the npm one it also reads', () => {
    expect(clientEnv({ client: 'bun', registry })).toEqual({
      BUN_CONFIG_REGISTRY: registry,
      NPM_CONFIG_REGISTRY: registry,
    });
  });
});
