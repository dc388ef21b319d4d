import type { Packument } from '../registry/packument.js';
import type { PackumentSource } from '../registry/packument-client.js';

/**
 * Registry access for remediation: never throws. A failure is remembered so the plan can say it
 * fell back to advisory data, and later look-ups of the same name are not retried.
 */
export type RegistryView = {
  available: boolean;
  get: (name: string) => Promise<Packument | undefined>;
  /** The first failure, as one line, when any look-up failed. */
  failure: () => string | undefined;
};

export const createRegistryView = (source: PackumentSource | undefined): RegistryView => {
  let failure: string | undefined;
  const cache = new Map<string, Promise<Packument | undefined>>();
  return {
    available: source !== undefined,
    get: (name) => {
      if (!source) return Promise.resolve(undefined);
      let pending = cache.get(name);
      if (!pending) {
        pending = source.get(name).catch((error: unknown) => {
          failure ??= error instanceof Error ? error.message : String(error);
          return undefined;
        });
        cache.set(name, pending);
      }
      return pending;
    },
    failure: () => failure,
  };
};
