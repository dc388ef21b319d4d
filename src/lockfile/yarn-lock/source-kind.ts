import type { SourceKind } from '../../core/graph.js';
import { patchTarget, protocolOf } from './descriptor.js';

const GIT_PROTOCOLS = new Set([
  'git',
  'git+ssh',
  'git+https',
  'git+http',
  'git+file',
  'ssh',
  'github',
  'gitlab',
  'bitbucket',
]);
const GIT_ARCHIVE_HOSTS = /^https?:\/\/(?:codeload\.github\.com|github\.com|gitlab\.com|bitbucket\.org)\//i;
/** The registry tarball layout `/<name>/-/<basename>-<version>.tgz`, on any registry host. */
const REGISTRY_TARBALL = /^https?:\/\/[^/]+\/.*\/-\/[^/]+-[^/]+\.tgz(?:[#?].*)?$/i;
const LOCAL_ARCHIVE = /\.(?:tgz|tar\.gz|tar)$/i;
/** `user/repo` GitHub shorthand, optionally with `#ref`. */
const GITHUB_SHORTHAND = /^[\w.-]+\/[\w.-]+(?:#.*)?$/;

const isGitUrl = (value: string): boolean =>
  /^(?:git\+|git:\/\/|ssh:\/\/|git@)/i.test(value) ||
  /\.git(?:#.*)?$/i.test(value) ||
  /#commit=/.test(value) ||
  GIT_ARCHIVE_HOSTS.test(value);

/** Source of a Berry resolution range (the part after `name@` in `resolution:`). */
export const berrySourceKind = (range: string): SourceKind => {
  const protocol = protocolOf(range);
  switch (protocol) {
    case 'npm':
      return 'registry';
    case 'workspace':
      return 'workspace';
    case 'patch': {
      const target = patchTarget(range);
      return target ? berrySourceKind(target.range) : 'tarball';
    }
    case 'portal':
    case 'link':
      return 'link';
    case 'file':
    case 'exec':
      return LOCAL_ARCHIVE.test(range.split('::')[0]!.split('#')[0]!) ? 'tarball' : 'directory';
    case 'http':
    case 'https':
      return isGitUrl(range) ? 'git' : 'tarball';
    default:
      return protocol !== undefined && GIT_PROTOCOLS.has(protocol)
        ? 'git'
        : isGitUrl(range)
          ? 'git'
          : 'tarball';
  }
};

/**
 * Source of a classic entry. `resolved` is where yarn actually fetched from, so it decides when
 * present: a `resolutions` override can point a plain `foo@^1` key at any URL.
 */
export const classicSourceKind = (range: string, resolved: string | undefined): SourceKind => {
  if (resolved !== undefined && resolved !== '') {
    if (resolved.startsWith('file:'))
      return LOCAL_ARCHIVE.test(resolved.split('#')[0]!) ? 'tarball' : 'directory';
    if (isGitUrl(resolved)) return 'git';
    if (REGISTRY_TARBALL.test(resolved)) return 'registry';
    return 'tarball';
  }
  const protocol = protocolOf(range);
  if (protocol === 'file') return LOCAL_ARCHIVE.test(range) ? 'tarball' : 'directory';
  if (protocol === 'link' || protocol === 'portal') return 'link';
  if (protocol === 'workspace') return 'workspace';
  if (protocol === 'http' || protocol === 'https') return isGitUrl(range) ? 'git' : 'tarball';
  if ((protocol !== undefined && GIT_PROTOCOLS.has(protocol)) || isGitUrl(range)) return 'git';
  if (protocol === undefined && GITHUB_SHORTHAND.test(range)) return 'git';
  return 'registry';
};
