import type { SourceKind } from '../../core/graph.js';

/**
 * Public registries whose tarball URLs count as `registry`. Any other http(s) host is a
 * `tarball` (a risk signal) unless the project's .npmrc names it as a registry: a lockfile can be
 * edited to fetch a "registry" package from anywhere, so the path shape alone proves nothing.
 */
export const PUBLIC_REGISTRY_HOSTS: ReadonlySet<string> = new Set([
  'registry.npmjs.org',
  'registry.npmjs.com',
  'registry.yarnpkg.com',
  'npm.pkg.github.com',
  'registry.npmmirror.com',
  'registry.npm.taobao.org',
]);

const GIT_PREFIXES = ['git+', 'git:', 'git@', 'github:', 'gitlab:', 'bitbucket:', 'gist:', 'ssh:'];
const TARBALL_FILE = /\.(?:tgz|tar\.gz|tar)$/i;

/** Classifies a `resolved` value (v2/v3) or a v1 `version` spec. */
export const sourceOfSpec = (spec: string, registryHosts: ReadonlySet<string>): SourceKind => {
  const lower = spec.toLowerCase();
  if (GIT_PREFIXES.some((prefix) => lower.startsWith(prefix))) return 'git';
  if (lower.startsWith('http://') || lower.startsWith('https://')) {
    const host = hostOf(spec);
    return host !== undefined && registryHosts.has(host) ? 'registry' : 'tarball';
  }
  if (lower.startsWith('file:')) return TARBALL_FILE.test(spec) ? 'tarball' : 'directory';
  // A bare `owner/repo#ref` is GitHub shorthand; anything else path-like is a folder.
  if (/^[\w.-]+\/[\w.-]+#/.test(spec)) return 'git';
  return TARBALL_FILE.test(spec) ? 'tarball' : 'directory';
};

export const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
};

/** Registry hosts a project's .npmrc declares (`registry=` and `@scope:registry=` lines). */
export const npmrcRegistryHosts = (npmrc: string | undefined): string[] => {
  if (npmrc === undefined) return [];
  const hosts: string[] = [];
  for (const line of npmrc.split(/\r?\n/)) {
    const match = /^\s*(?:@[^:\s]+:)?registry\s*=\s*(\S+)\s*$/.exec(line);
    const host = match?.[1] ? hostOf(match[1].replace(/^["']|["']$/g, '')) : undefined;
    if (host) hosts.push(host);
  }
  return hosts;
};

/** A tarball URL shaped like a registry's (`…/name/-/name-1.0.0.tgz`): worth a hint in a warning. */
export const looksLikeRegistryTarball = (url: string, name: string): boolean => {
  const unscoped = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  const path = url.split(/[?#]/, 1)[0] ?? '';
  return path.includes(`/-/${unscoped}-`) && path.endsWith('.tgz');
};
