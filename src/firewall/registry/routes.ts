import semver from 'semver';
import { isValidPackageName, unscopedName } from './document.js';

/** What a request to the firewall asks for, in registry terms. */
export type RegistryRoute =
  | { kind: 'packument'; name: string }
  /** `GET /<name>/<version-or-tag>`: one version object. */
  | { kind: 'version'; name: string; spec: string; specKind: 'version' | 'tag' }
  | { kind: 'tarball'; name: string; version: string; filename: string }
  | { kind: 'dist-tags'; name: string; tag?: string }
  | { kind: 'keys' }
  | { kind: 'ping' }
  | { kind: 'audit-bulk' }
  /** npm 6's `POST /-/npm/v1/security/audits[/quick]`, which pnpm 10 still sends. */
  | { kind: 'audit-legacy' }
  | { kind: 'search' }
  | { kind: 'whoami' }
  | { kind: 'login' }
  /** Any other `/-/` endpoint: passed through to the upstream unchanged. */
  | { kind: 'other-dash'; path: string }
  /** Not something the firewall serves or forwards; `reason` says why (for the log and a 400/404). */
  | { kind: 'unknown'; reason: string };

const READ_METHODS = new Set(['GET', 'HEAD']);
const MAX_PATH_LENGTH = 4096;
const MAX_TAG_LENGTH = 256;

/**
 * Classifies a request by method and raw path (the request-target as received, still
 * percent-encoded; a query string is ignored). Scoped names are accepted in both shapes,
 * `/@scope%2fname` (`%2F` too) and `/@scope/name`. Anything that decodes to a path walk
 * (`.`/`..` segments, backslashes, NUL, stray slashes inside a name) is `unknown`, never
 * a package.
 */
export const classifyRequest = (method: string, rawPath: string): RegistryRoute => {
  const verb = method.toUpperCase();
  const pathOnly = rawPath.split(/[?#]/, 1)[0] ?? '';
  if (pathOnly.length > MAX_PATH_LENGTH) return unknown('path too long');
  if (!pathOnly.startsWith('/')) return unknown('path does not start with /');
  const segments = decodeSegments(pathOnly);
  if (typeof segments === 'string') return unknown(segments);
  if (segments.length === 0) return unknown('empty path');
  if (segments[0] === '-') return classifyDash(verb, segments, pathOnly);
  if (!READ_METHODS.has(verb)) return unknown(`${verb} on a package path is not supported`);
  return classifyPackagePath(segments);
};

/** `/-/…` endpoints. `segments` are decoded, with the leading `-`; `path` is the raw path, forwarded as is. */
const classifyDash = (verb: string, segments: string[], path: string): RegistryRoute => {
  const rest = segments.slice(1).join('/');
  if (rest === 'npm/v1/keys' && READ_METHODS.has(verb)) return { kind: 'keys' };
  if (rest === 'ping') return { kind: 'ping' };
  if (rest === 'npm/v1/security/advisories/bulk' && verb === 'POST') return { kind: 'audit-bulk' };
  if ((rest === 'npm/v1/security/audits' || rest === 'npm/v1/security/audits/quick') && verb === 'POST')
    return { kind: 'audit-legacy' };
  if (rest === 'v1/search' && READ_METHODS.has(verb)) return { kind: 'search' };
  if (rest === 'whoami' && READ_METHODS.has(verb)) return { kind: 'whoami' };
  if (rest === 'v1/login' || rest.startsWith('v1/login/') || /^user\/org\.couchdb\.user:[^/]+$/.test(rest)) {
    return { kind: 'login' };
  }
  if (segments[1] === 'package') {
    // /-/package/<name>/dist-tags[/<tag>], name in either scoped shape.
    // The name takes at least one segment, so the marker is searched for after it.
    const tagsAt = segments.indexOf('dist-tags', 3);
    if (tagsAt > 0) {
      const name = segments.slice(2, tagsAt).join('/');
      const tagSegments = segments.slice(tagsAt + 1);
      if (
        !isValidPackageName(name) ||
        tagsAt - 2 !== (name.startsWith('@') && !segments[2]!.includes('/') ? 2 : 1)
      ) {
        return unknown('invalid package name in dist-tags path');
      }
      if (tagSegments.length === 0) return { kind: 'dist-tags', name };
      if (tagSegments.length === 1 && isValidTag(tagSegments[0]!))
        return { kind: 'dist-tags', name, tag: tagSegments[0]! };
      return unknown('invalid dist-tag in path');
    }
  }
  return { kind: 'other-dash', path };
};

const classifyPackagePath = (segments: string[]): RegistryRoute => {
  // The name takes one segment (`pkg`, `@scope%2fpkg` decoded to `@scope/pkg`) or two (`@scope`, `pkg`).
  const first = segments[0]!;
  let nameLength = 1;
  let name = first;
  if (first.startsWith('@') && !first.includes('/')) {
    if (segments.length < 2) return unknown('scope without a package name');
    name = `${first}/${segments[1]}`;
    nameLength = 2;
  }
  if (!isValidPackageName(name)) return unknown('invalid package name');
  const rest = segments.slice(nameLength);
  if (rest.length === 0) return { kind: 'packument', name };
  if (rest.length === 1) {
    const spec = rest[0]!;
    if (semver.valid(spec) !== null) return { kind: 'version', name, spec, specKind: 'version' };
    if (isValidTag(spec)) return { kind: 'version', name, spec, specKind: 'tag' };
    return unknown('invalid version or tag');
  }
  if (rest.length === 2 && rest[0] === '-') {
    const filename = rest[1]!;
    const version = tarballVersion(name, filename);
    if (version === undefined) return unknown(`tarball ${filename} does not match ${name}`);
    return { kind: 'tarball', name, version, filename };
  }
  return unknown('unrecognised package path');
};

/**
 * The version in a tarball filename, when the filename is exactly `<unscoped name>-<semver>.tgz`
 * as every registry publishes it. A filename for another package is refused rather than
 * guessed at: the policy decision is made on the name in the path, so the two must agree.
 */
export const tarballVersion = (name: string, filename: string): string | undefined => {
  const prefix = `${unscopedName(name)}-`;
  if (!filename.startsWith(prefix) || !filename.endsWith('.tgz')) return undefined;
  const version = filename.slice(prefix.length, -'.tgz'.length);
  return semver.valid(version) === version ? version : undefined;
};

/** Decodes each segment; returns a reason string when the path is unsafe or malformed. */
const decodeSegments = (path: string): string[] | string => {
  const raw = path.slice(1).split('/');
  // A trailing slash (`/pkg/`) is tolerated; empty segments elsewhere are not.
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  if (raw.length === 1 && raw[0] === '') return [];
  const out: string[] = [];
  for (const segment of raw) {
    if (segment === '') return 'empty path segment';
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return 'malformed percent-encoding';
    }
    if (decoded === '.' || decoded === '..') return 'path traversal';
    if (/[\\\0]/.test(decoded) || /[\u0000-\u001f\u007f]/.test(decoded))
      return 'control character or backslash in path';
    // Only a scoped name may carry an encoded slash, and only one, after `@scope`.
    if (decoded.includes('/') && !/^@[^/]+\/[^/]+$/.test(decoded))
      return 'encoded slash outside a scoped name';
    if (decoded.split('/').some((part) => part === '.' || part === '..')) return 'path traversal';
    out.push(decoded);
  }
  return out;
};

const isValidTag = (tag: string): boolean =>
  tag.length > 0 &&
  tag.length <= MAX_TAG_LENGTH &&
  !tag.startsWith('.') &&
  encodeURIComponent(tag) === tag &&
  // A tag that is a valid range would be ambiguous with a version spec.
  semver.validRange(tag) === null;

const unknown = (reason: string): RegistryRoute => ({ kind: 'unknown', reason });

/** Registry hosts whose tarball URLs appear in lockfiles and are mapped onto the upstream. */
export const KNOWN_REGISTRY_HOSTS = [
  'registry.npmjs.org',
  'registry.npmjs.com',
  'registry.yarnpkg.com',
  'registry.npmmirror.com',
  'registry.npm.taobao.org',
] as const;

export type LockfileTarball = { name: string; version: string; filename: string; host: string };

/**
 * Parses a tarball URL from a lockfile (`resolved`) that points at a public registry or at one
 * of `extraBases` (full registry base URLs, possibly with a path prefix, such as the upstream or
 * the firewall itself). Returns undefined for git, file and other non-registry URLs.
 */
export const parseLockfileTarballUrl = (
  url: string,
  extraBases: readonly string[] = [],
): LockfileTarball | undefined => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  let path: string | undefined;
  if ((KNOWN_REGISTRY_HOSTS as readonly string[]).includes(parsed.hostname) && parsed.port === '') {
    path = parsed.pathname;
  } else {
    for (const base of extraBases) {
      const prefix = basePrefix(base);
      if (prefix === undefined) continue;
      if (parsed.origin !== prefix.origin) continue;
      if (parsed.pathname.startsWith(prefix.path)) {
        path = parsed.pathname.slice(prefix.path.length - 1);
        break;
      }
    }
  }
  if (path === undefined) return undefined;
  const route = classifyRequest('GET', path);
  if (route.kind !== 'tarball') return undefined;
  return { name: route.name, version: route.version, filename: route.filename, host: parsed.host };
};

/** Origin and path prefix (always ending in `/`) of a registry base URL. */
const basePrefix = (base: string): { origin: string; path: string } | undefined => {
  try {
    const url = new URL(base);
    return { origin: url.origin, path: url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/` };
  } catch {
    return undefined;
  }
};
