/**
 * Matches folder paths against a root manifest's `workspaces` globs (`packages/*`, `docs`,
 * `tools/**`, `!packages/skip`). Covers the glob forms npm documents; braces are not expanded.
 */
export const workspaceMatcher = (patterns: readonly string[]): ((folder: string) => boolean) => {
  const include: RegExp[] = [];
  const exclude: RegExp[] = [];
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const regex = globToRegExp(normalize(negated ? raw.slice(1) : raw));
    (negated ? exclude : include).push(regex);
  }
  return (folder) => {
    const path = normalize(folder);
    return include.some((r) => r.test(path)) && !exclude.some((r) => r.test(path));
  };
};

const normalize = (path: string): string => path.replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');

const globToRegExp = (glob: string): RegExp => {
  // A trailing `/**` matches the folder itself and everything below it.
  const below = glob.endsWith('/**');
  if (below) glob = glob.slice(0, -3);
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // `a/**/b` also matches `a/b`.
      const slashAfter = glob[i + 2] === '/';
      out += slashAfter ? '(?:[^/]+/)*' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}${below ? '(?:/.*)?' : ''}$`);
};
