import { decodeUtf8, parseJsonInput } from '../core/input.js';
import { TOOL_VERSION } from '../core/version.js';
import { authFor, authorizationHeader, type NpmrcConfig, registryFor } from './npmrc.js';
import { DEFAULT_MAX_PACKUMENT_BYTES, packumentUrl } from './packument-client.js';
import { fetchFor } from './proxy.js';
import { readBodyLimited } from './read-body.js';
import { fetchWithRetries } from './retry.js';

/**
 * The full (not abbreviated) document of `name`: the abbreviated one the resolver uses has no
 * scripts, repository or publish times, which manifest-confusion and version-jump checks need.
 * Metadata is extra evidence, so any failure yields `undefined` rather than failing the command.
 */
export const fetchFullPackument = async (
  name: string,
  npmrc: NpmrcConfig,
  fetchImpl: typeof fetch = fetchFor(npmrc),
): Promise<unknown> => {
  try {
    const registry = registryFor(npmrc, name);
    const url = packumentUrl(registry, name);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': `bulwark/${TOOL_VERSION}`,
    };
    const authorization = authorizationHeader(authFor(npmrc, registry));
    if (authorization) headers.authorization = authorization;
    const policy = { fetch: fetchImpl, retries: 1, backoffMs: 250, timeoutMs: 20_000 };
    const body = await fetchWithRetries(policy, url, { headers, redirect: 'follow' }, async (response) => {
      if (response.status !== 200) {
        await response.body?.cancel();
        return undefined;
      }
      return decodeUtf8(await readBodyLimited(response, DEFAULT_MAX_PACKUMENT_BYTES, 'document'), url);
    });
    return body === undefined ? undefined : parseJsonInput(body, url);
  } catch {
    return undefined;
  }
};
