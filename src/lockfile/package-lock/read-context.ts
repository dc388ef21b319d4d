import type { SourceKind } from '../../core/graph.js';
import type { Shape } from '../../core/shape.js';
import { hostOf, looksLikeRegistryTarball, sourceOfSpec } from './source-kind.js';

/** What both readers share while turning a document into entries. */
export type ReadContext = Shape & {
  registryHosts: ReadonlySet<string>;
  /** Entry key → 1-based line, from a scan of the text. */
  lines: Map<string, number>;
  /** Hosts of tarball URLs shaped like registry downloads, with counts, for one warning. */
  registryLikeHosts: Map<string, number>;
};

/** Source kind of a `resolved` value; notes registry-shaped URLs on unknown hosts for a warning. */
export const classifyResolved = (resolved: string | undefined, name: string, rc: ReadContext): SourceKind => {
  if (resolved === undefined) return 'registry';
  const source = sourceOfSpec(resolved, rc.registryHosts);
  if (source === 'tarball' && looksLikeRegistryTarball(resolved, name)) {
    const host = hostOf(resolved);
    if (host) rc.registryLikeHosts.set(host, (rc.registryLikeHosts.get(host) ?? 0) + 1);
  }
  return source;
};
