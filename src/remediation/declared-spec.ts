import semver from 'semver';

/** How a declared dependency specifier behaves when the lockfile is refreshed. */
export type DeclaredSpec =
  | { kind: 'range'; range: string }
  /** A dist-tag (`latest`, `next`): re-resolves to whatever the tag points at. */
  | { kind: 'tag'; tag: string }
  /** git, tarball URL, file:, link:, workspace:, patch: … — a refresh never moves it to a registry fix. */
  | { kind: 'pinned'; spec: string };

const TAG = /^[a-z][\w.-]*$/i;

/**
 * Reads a range as declared in a manifest or lockfile edge. Handles npm aliases
 * (`npm:real@^1.2.0`), Yarn 2+ descriptors (`npm:^1.2.0`), and the empty spec (`*`).
 */
export const readDeclaredSpec = (spec: string): DeclaredSpec => {
  let text = spec.trim();
  if (text.startsWith('npm:')) {
    const rest = text.slice(4);
    const at = rest.lastIndexOf('@');
    if (at > 0) text = rest.slice(at + 1);
    else if (rest.startsWith('@') || (semver.validRange(rest) === null && TAG.test(rest))) text = '';
    else text = rest;
  }
  if (text === '' || text === 'latest') {
    return text === '' ? { kind: 'range', range: '*' } : { kind: 'tag', tag: 'latest' };
  }
  if (/^[a-z+]+:/i.test(text) || text.includes('/')) return { kind: 'pinned', spec };
  if (semver.validRange(text) !== null) return { kind: 'range', range: text };
  if (TAG.test(text)) return { kind: 'tag', tag: text };
  return { kind: 'pinned', spec };
};

/** Whether a declared spec lets `version` be chosen. Tags are resolved through `tagVersion` when known. */
export const specAdmits = (
  spec: DeclaredSpec,
  version: string,
  tagVersion?: (tag: string) => string | undefined,
): boolean => {
  if (spec.kind === 'range') return semver.satisfies(version, spec.range);
  if (spec.kind === 'pinned') return false;
  const resolved = tagVersion?.(spec.tag);
  // Without registry data, `latest` is assumed to be at or past any published fix; other tags are not.
  if (resolved === undefined) return spec.tag === 'latest';
  return semver.valid(resolved) !== null && semver.gte(resolved, version);
};
