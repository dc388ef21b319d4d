import { InputError } from '../core/errors.js';
import { fetchFullPackument } from '../registry/full-packument.js';
import { loadNpmrc } from '../registry/npmrc.js';
import { resolveRange } from '../registry/packument.js';
import { createPackumentSource } from '../registry/packument-client.js';
import { createTarballClient } from '../registry/tarball-client.js';

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
  options: { offline?: boolean; registry?: string; withPackument?: boolean },
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
    options.offline || options.withPackument === false ? undefined : fetchFullPackument(name, npmrc),
  ]);
  return {
    version: version.version,
    bytes: fetched.bytes,
    integrity: fetched.integrity,
    ...(full === undefined ? {} : { packument: full }),
  };
};

/** Registry and integrity failures end the command with one line naming the package. */
const asInputError = (target: string, error: unknown): InputError =>
  error instanceof InputError
    ? error
    : new InputError(target, error instanceof Error ? error.message : String(error));
