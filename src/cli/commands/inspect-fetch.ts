import { InputError } from '../../core/errors.js';
import { decodeUtf8, parseJsonInput } from '../../core/input.js';
import { TOOL_VERSION } from '../../core/version.js';
import {
  authFor,
  authorizationHeader,
  loadNpmrc,
  type NpmrcConfig,
  registryFor,
} from '../../registry/npmrc.js';
import { resolveRange } from '../../registry/packument.js';
import {
  createPackumentSource,
  DEFAULT_MAX_PACKUMENT_BYTES,
  packumentUrl,
} from '../../registry/packument-client.js';
import { fetchFor } from '../../registry/proxy.js';
import { readBodyLimited } from '../../registry/read-body.js';
import { fetchWithRetries } from '../../registry/retry.js';
import { createTarballClient } from '../../registry/tarball-client.js';

export type FetchedRegistryTarball = {
  version: string;
  bytes: Uint8Array;
  integrity: string;
  /**
   * The full registry document (every version's manifest, publish times, repository), parsed but
   * unvalidated, for the metadata rules. Absent offline or when the registry would not give it:
   * the analysis then runs without registry metadata.
   */
  packument?: unknown;
};

/**
 * Resolves `name@range` on the registry and downloads its tarball, integrity-checked and cached,
 * and the package's full registry document.
 */
export const fetchRegistryTarball = async (
  name: string,
  range: string,
  options: { offline?: boolean; registry?: string },
): Promise<FetchedRegistryTarball> => {
  const projectDir = process.cwd();
  const packuments = createPackumentSource({
    projectDir,
    offline: options.offline,
    registry: options.registry,
  });
  const packument = await packuments.get(name).catch((error: unknown) => {
    throw asInputError(`${name}@${range}`, error);
  });
  if (!packument) throw new InputError(`${name}@${range}`, 'was not found on the registry');
  const version = resolveRange(packument, range);
  if (!version) throw new InputError(`${name}@${range}`, 'matches no published version');
  const npmrc = loadNpmrc({ projectDir });
  if (options.registry)
    npmrc.registry = options.registry.endsWith('/') ? options.registry : `${options.registry}/`;
  const client = createTarballClient({ npmrc, packuments, offline: options.offline ?? false });
  const request = {
    name,
    version: version.version,
    ...(version.integrity ? { integrity: version.integrity } : {}),
  };
  const [fetched, full] = await Promise.all([
    client.fetch(request).catch((error: unknown) => {
      throw asInputError(`${name}@${version.version}`, error);
    }),
    options.offline ? undefined : fetchFullPackument(name, npmrc),
  ]);
  return {
    version: version.version,
    bytes: fetched.bytes,
    integrity: fetched.integrity,
    ...(full === undefined ? {} : { packument: full }),
  };
};

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

/** Registry and integrity failures end the command with one line naming the package. */
const asInputError = (target: string, error: unknown): InputError =>
  error instanceof InputError
    ? error
    : new InputError(target, error instanceof Error ? error.message : String(error));
