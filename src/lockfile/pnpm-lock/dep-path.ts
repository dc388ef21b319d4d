/**
 * pnpm "dependency paths": the keys of `packages`/`snapshots` and the version references that
 * point at them. Their spelling changed with the lockfile version:
 *   v5  `/name/1.0.0_peer@2.0.0`, `/@scope/name/1.0.0`
 *   v6  `/name@1.0.0(peer@2.0.0)`
 *   v9  `name@1.0.0(peer@2.0.0)`
 * Non-registry entries (git, tarballs, `file:`) keep other spellings and carry `name`/`version`
 * fields of their own.
 */
export type LockfileGeneration = 5 | 6 | 9;

/** Splits `name@rest` where the name may be scoped. Returns undefined when there is no `@`. */
export const splitNameAt = (spec: string): { name: string; rest: string } | undefined => {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  if (at <= 0) return undefined;
  return { name: spec.slice(0, at), rest: spec.slice(at + 1) };
};

/** Removes a v6/v9 peer suffix: `1.0.0(react@18.2.0)(…)` → `1.0.0`. */
export const stripPeerSuffix = (ref: string): string => {
  const paren = ref.indexOf('(');
  return paren === -1 ? ref : ref.slice(0, paren);
};

/**
 * Removes a v5 peer suffix (`_react@18.2.0+…`) or a v6 hashed one. `_` cannot occur in a semver
 * version, so it always ends the version.
 */
const stripUnderscoreSuffix = (version: string): string => {
  const underscore = version.indexOf('_');
  return underscore === -1 ? version : version.slice(0, underscore);
};

export type ParsedKey = {
  /** The key without its peer suffix: several peer variants share it. */
  base: string;
  /** Package name when the key spells it (registry-shaped keys and v9 keys). */
  name?: string;
  /** The reference after the name (a version for registry packages), peer suffix removed. */
  ref?: string;
};

/** Parses a `packages`/`snapshots` key of the given lockfile generation. */
export const parsePackageKey = (key: string, generation: LockfileGeneration): ParsedKey => {
  if (generation === 9) {
    const split = splitNameAt(key);
    if (!split) return { base: stripPeerSuffix(key) };
    const ref = stripPeerSuffix(split.rest);
    return { base: `${split.name}@${ref}`, name: split.name, ref };
  }
  if (!key.startsWith('/')) return { base: stripPeerSuffix(key) };
  const body = key.slice(1);
  if (generation === 6) {
    const split = splitNameAt(body);
    if (!split) return { base: stripPeerSuffix(key) };
    const ref = stripUnderscoreSuffix(stripPeerSuffix(split.rest));
    return { base: `/${split.name}@${ref}`, name: split.name, ref };
  }
  const parts = body.split('/');
  const scoped = parts[0]?.startsWith('@') ?? false;
  const nameParts = scoped ? 2 : 1;
  if (parts.length <= nameParts) return { base: key };
  const name = parts.slice(0, nameParts).join('/');
  const ref = stripUnderscoreSuffix(stripPeerSuffix(parts.slice(nameParts).join('/')));
  return { base: `/${name}/${ref}`, name, ref };
};

/**
 * Turns a version reference found under a dependency name into the `packages` key it points at
 * (pnpm's own `refToRelative`), or undefined for `link:` references, which point at folders.
 */
export const refToKey = (name: string, ref: string, generation: LockfileGeneration): string | undefined => {
  if (ref.startsWith('link:')) return undefined;
  if (generation === 9) {
    if (ref.startsWith('@')) return ref;
    const at = ref.indexOf('@');
    if (at === -1) return `${name}@${ref}`;
    const colon = ref.indexOf(':');
    const paren = ref.indexOf('(');
    if ((colon === -1 || at < colon) && (paren === -1 || at < paren)) return ref;
    return `${name}@${ref}`;
  }
  if (ref.startsWith('file:')) return ref;
  const bare = generation === 6 ? stripPeerSuffix(ref) : ref;
  if (bare.includes('/')) return ref;
  return generation === 6 ? `/${name}@${ref}` : `/${name}/${ref}`;
};
