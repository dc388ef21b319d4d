/** Where a dependency specifier makes npm fetch from. Everything but `registry` bypasses the registry. */
export type RemoteSpecKind = 'registry' | 'git' | 'git-host' | 'github' | 'url' | 'file' | 'link';

/**
 * Classifies a dependency specifier as npm-package-arg would route it: `git+ssh://…`, `github:u/r`,
 * `u/r` (GitHub shorthand), `https://…/x.tgz`, `file:../x`, `link:../x`; semver ranges, dist-tags
 * and `npm:` aliases go to the registry.
 */
export const classifySpec = (spec: string): RemoteSpecKind => {
  const value = spec.trim();
  const lower = value.toLowerCase();
  if (lower.startsWith('npm:') || lower.startsWith('workspace:') || lower.startsWith('catalog:'))
    return 'registry';
  if (/^git(?:\+[a-z]+)?:/.test(lower) || /^[\w.-]+@[\w.-]+:/.test(lower)) return 'git';
  if (/^(?:github|gitlab|bitbucket|gist):/.test(lower)) return 'git-host';
  if (/^https?:/.test(lower)) return 'url';
  if (lower.startsWith('link:')) return 'link';
  if (lower.startsWith('file:') || /^(?:\.{1,2}[/\\]|[/\\]|~[/\\]|[a-z]:[/\\])/.test(lower)) return 'file';
  if (/^[\w-][\w.-]*\/[\w.-]+(?:#.*)?$/.test(value)) return 'github';
  return 'registry';
};
