import { validRange } from 'semver';

/** `name@range` as yarn writes it in lockfile keys and `resolution` fields. */
export type Descriptor = { name: string; range: string };

/** Splits `name@range`, `@scope/name@range`; undefined when there is no name or no `@range`. */
export const parseDescriptor = (text: string): Descriptor | undefined => {
  const at = text.startsWith('@') ? text.indexOf('@', text.indexOf('/') + 1) : text.indexOf('@');
  if (at <= 0 || (text.startsWith('@') && text.indexOf('/') <= 1)) return undefined;
  const name = text.slice(0, at);
  if (name.endsWith('/')) return undefined;
  return { name, range: text.slice(at + 1) };
};

/** Lockfile keys list several descriptors separated by commas (`foo@^1, foo@^1.2`). */
export const splitDescriptors = (key: string): string[] =>
  key
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');

const TAG = /^(?!v)[a-z0-9._-]+$/i;

/**
 * Berry's default protocol: a bare semver range or dist-tag means `npm:` (yarn's
 * Configuration.normalizeDependency), so `foo@^1` and `foo@npm:^1` are the same descriptor.
 */
export const normalizeBerryRange = (range: string): string => {
  if (protocolOf(range) !== undefined) return range;
  return TAG.test(range) || validRange(range) !== null ? `npm:${range}` : range;
};

/** The protocol of a range (`npm`, `patch`, `workspace`, `git+https` …), if it has one. */
export const protocolOf = (range: string): string | undefined => {
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(range);
  return match ? match[1]!.toLowerCase() : undefined;
};

/** `npm:real@^1` names the real package of an alias; undefined for a plain range. */
export const aliasTarget = (range: string): Descriptor | undefined => {
  if (!range.startsWith('npm:')) return undefined;
  const inner = parseDescriptor(range.slice(4));
  return inner && inner.name !== '' ? inner : undefined;
};

/**
 * `patch:foo@npm%3A1.0.0#path::version=1.0.0&hash=…` → the patched descriptor `foo@npm:1.0.0`.
 * The source of a patched package is the source of what it patches.
 */
export const patchTarget = (range: string): Descriptor | undefined => {
  if (!range.startsWith('patch:')) return undefined;
  const body = range.slice(6);
  const hash = body.indexOf('#');
  let inner = hash === -1 ? body : body.slice(0, hash);
  try {
    inner = decodeURIComponent(inner);
  } catch {
    return undefined;
  }
  return parseDescriptor(inner);
};

/** Removes Berry's `::key=value` binding parameters (`::locator=…`, `::__archiveUrl=…`). */
export const stripBindings = (range: string): string => {
  const at = range.indexOf('::');
  return at === -1 ? range : range.slice(0, at);
};

/** The value of one `::key=value` binding parameter, decoded. */
export const bindingValue = (range: string, key: string): string | undefined => {
  const at = range.indexOf('::');
  if (at === -1) return undefined;
  const params = new URLSearchParams(range.slice(at + 2));
  return params.get(key) ?? undefined;
};
