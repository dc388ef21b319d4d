import type { SourceKind } from '../../core/graph.js';

export type ClassifiedSpecifier = {
  /** The real package name (the `npm:` target for aliases). */
  name: string;
  /** What is left of the specifier once an alias prefix is removed. */
  range: string;
  source: SourceKind;
  /** The install name when it differs from `name`. */
  alias?: string;
};

const GIT_PREFIX = /^(?:git\+[a-z]+:|git:|github:|gitlab:|bitbucket:|gist:|git@|ssh:\/\/)/i;
const HTTP = /^https?:\/\//i;
const TARBALL_FILE = /\.(?:tgz|tar\.gz|tar)$/i;
const LOCAL_PATH = /^(?:\.{1,2}\/|\/|~\/|[A-Za-z]:[\\/])/;
const GITHUB_SHORTHAND = /^[^@./\s:#][^/\s:]*\/[^/\s:]+(?:#.*)?$/;

/** Classifies a package.json dependency specifier the way npm-package-arg would, without I/O. */
export const classifySpecifier = (key: string, specifier: string): ClassifiedSpecifier => {
  const spec = specifier.trim();
  if (spec.startsWith('npm:')) {
    const target = spec.slice(4);
    const at = target.indexOf('@', 1);
    const name = at === -1 ? target : target.slice(0, at);
    const range = at === -1 ? '*' : target.slice(at + 1);
    return name === key
      ? { name, range, source: 'registry' }
      : { name, range, source: 'registry', alias: key };
  }
  return { name: key, range: spec, source: sourceOf(spec) };
};

const sourceOf = (spec: string): SourceKind => {
  if (spec.startsWith('workspace:')) return 'workspace';
  if (spec.startsWith('link:') || spec.startsWith('portal:')) return 'link';
  if (spec.startsWith('file:')) return TARBALL_FILE.test(spec) ? 'tarball' : 'directory';
  if (GIT_PREFIX.test(spec)) return 'git';
  if (HTTP.test(spec)) return /\.git(?:#.*)?$/i.test(spec) ? 'git' : 'tarball';
  if (LOCAL_PATH.test(spec)) return TARBALL_FILE.test(spec) ? 'tarball' : 'directory';
  if (GITHUB_SHORTHAND.test(spec)) return 'git';
  return 'registry';
};
