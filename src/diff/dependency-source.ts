import { fetchFullPackument } from '../registry/full-packument.js';
import { loadNpmrc } from '../registry/npmrc.js';
import { fetchFor } from '../registry/proxy.js';
import { createTarballClient } from '../registry/tarball-client.js';
import type { DependencySource } from './new-dependencies.js';

export type RegistrySourceOptions = {
  /** Whose `.npmrc` applies (default: the working directory). */
  projectDir?: string;
  /** A registry URL that overrides `.npmrc` (`--registry`). */
  registry?: string;
  fetch?: typeof fetch;
};

/**
 * New dependencies looked up on the configured registry: the full document (publish times,
 * repository) and the resolved version's tarball, integrity-checked and cached like any other.
 */
export const registryDependencySource = (options: RegistrySourceOptions = {}): DependencySource => {
  const npmrc = loadNpmrc({ projectDir: options.projectDir ?? process.cwd() });
  if (options.registry)
    npmrc.registry = options.registry.endsWith('/') ? options.registry : `${options.registry}/`;
  const fetchImpl = options.fetch ?? fetchFor(npmrc);
  const tarballs = createTarballClient({ npmrc, fetch: fetchImpl });
  return {
    packument: (name) => fetchFullPackument(name, npmrc, fetchImpl),
    tarball: async (request) => (await tarballs.fetch(request)).bytes,
  };
};
