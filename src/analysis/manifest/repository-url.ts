const HOST_SHORTCUTS: ReadonlyMap<string, string> = new Map([
  ['github', 'github.com'],
  ['gitlab', 'gitlab.com'],
  ['bitbucket', 'bitbucket.org'],
]);

/**
 * A repository field as one comparable URL: `https://<host>/<owner>/<repo>`, lowercased host,
 * no `git+`, no credentials, no `.git`, no `#ref`. Accepts the forms npm accepts: `owner/repo`,
 * `github:owner/repo`, `git@host:owner/repo.git`, `git+https://…`, `git://…`, `ssh://git@…`.
 * Undefined when the text is not a recognisable repository address.
 */
export const normaliseRepositoryUrl = (raw: string): string | undefined => {
  const value = raw.trim().replace(/#.*$/, '');
  if (value === '' || value.length > 2048) return undefined;
  const shortcut = /^(github|gitlab|bitbucket):([\w.-]+)\/([\w.-]+)$/i.exec(value);
  if (shortcut) return join(HOST_SHORTCUTS.get(shortcut[1]!.toLowerCase())!, shortcut[2]!, shortcut[3]!);
  const shorthand = /^([\w-][\w.-]*)\/([\w.-]+)$/.exec(value);
  if (shorthand) return join('github.com', shorthand[1]!, shorthand[2]!);
  const scp = /^(?:[\w.-]+@)?([\w.-]+\.[a-z]{2,}):\/?([^/\s]+)\/([^/\s]+?)\/?$/i.exec(value);
  if (scp && !value.includes('://')) return join(scp[1]!, scp[2]!, scp[3]!);
  let url: URL;
  try {
    url = new URL(value.replace(/^git\+/i, ''));
  } catch {
    return undefined;
  }
  if (!['https:', 'http:', 'git:', 'ssh:', 'git+ssh:'].includes(url.protocol) || url.hostname === '')
    return undefined;
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  if (segments.length < 2) return `https://${url.hostname.toLowerCase()}${url.pathname.replace(/\/$/, '')}`;
  return join(url.hostname, segments[0]!, segments[1]!);
};

const join = (host: string, owner: string, repo: string): string =>
  `https://${host.toLowerCase()}/${owner}/${repo.replace(/\.git$/i, '')}`;

/** The last path segment of a normalised repository URL, lowercased: `https://github.com/facebook/react` → `react`. */
export const repositoryName = (url: string): string | undefined => {
  const match = /^https:\/\/[^/]+\/[^/]+\/([^/]+)$/.exec(url);
  return match?.[1]?.toLowerCase();
};
