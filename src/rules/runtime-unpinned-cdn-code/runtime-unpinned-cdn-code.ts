import type { Location } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { factsByFile, hostOfUrl } from '../fact-queries.js';
import { remoteElements } from '../runtime-dom-script-injection/remote-elements.js';

/** npm CDNs and where the package spec starts in their paths. */
const NPM_CDNS: readonly [string, RegExp][] = [
  ['cdn.jsdelivr.net', /^\/npm\//],
  ['fastly.jsdelivr.net', /^\/npm\//],
  ['unpkg.com', /^\//],
  ['esm.sh', /^\/(?:v\d+\/)?/],
  ['esm.run', /^\//],
  ['cdn.skypack.dev', /^\//],
  ['ga.jspm.io', /^\/npm:/],
];

/** `name@1`, `name@^1.2`, `name@latest`, bare `name`: anything but an exact version. */
const EXACT = /^\d+\.\d+\.\d+(?:-[\w.]+)?$/;
/** Versions that name a line rather than a release: `1`, `1.2`, `^1`, `~1.2`, `latest`, `next`. */
const FLOATING = /^(?:\d+(?:\.\d+)?|[\^~]\d[\w.]*|latest|next|beta|canary|\*)$/;

/** The package spec a CDN URL loads and whether its version floats; undefined for other URLs. */
export const floatingCdnSpec = (url: string): string | undefined => {
  let parsed: URL;
  try {
    parsed = new URL(url.startsWith('//') ? `https:${url}` : url);
  } catch {
    return undefined;
  }
  const host = hostOfUrl(parsed.href);
  const cdn = NPM_CDNS.find(([name]) => host === name);
  if (!cdn) {
    // Another host serving npm-style `/<name>@<version>/` paths (a mirror, a private CDN): only an
    // explicit floating version tells it apart from an ordinary path.
    const other = /\/((?:@[\w.-]+\/)?[\w.-]+)@([^/]+)(?:\/|$)/.exec(decodeURIComponent(parsed.pathname));
    if (!other?.[1] || !other[2] || EXACT.test(other[2]) || !FLOATING.test(other[2])) return undefined;
    return `${other[1]}@${other[2]}`;
  }
  const prefix = cdn[1].exec(parsed.pathname);
  if (!prefix) return undefined;
  const rest = decodeURIComponent(parsed.pathname.slice(prefix[0].length));
  const match = /^((?:@[^/@]+\/)?[^/@]+)(?:@([^/]+))?/.exec(rest);
  if (!match?.[1]) return undefined;
  const version = match[2];
  if (version !== undefined && EXACT.test(version)) return undefined;
  return `${match[1]}@${version ?? '(none)'}`;
};

export const runtimeUnpinnedCdnCode = defineRule({
  id: 'runtime-unpinned-cdn-code',
  meta: {
    kind: 'threat',
    category: 'runtime',
    severity: 'high',
    confidence: 'medium',
    description:
      'Loads code at run time from an npm CDN with a floating version (@1, @latest, none): whatever is published next runs',
    references: [
      'https://github.com/LedgerHQ/connect-kit/issues/29',
      'https://www.jsdelivr.com/documentation#id-use-a-version-range-instead-of-a-specific-version',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const loads: { how: string; url: string; at: Location }[] = [];
      for (const element of remoteElements(fileFacts))
        if (element.tag === 'script') loads.push({ how: '<script>', ...element });
      for (const fact of fileFacts)
        if (fact.kind === 'import' && fact.dynamic && /^(?:https?:)?\/\//i.test(fact.module))
          loads.push({ how: 'import()', url: fact.module, at: fact.at });
      for (const load of loads) {
        const spec = floatingCdnSpec(load.url);
        if (spec)
          report({
            message: `${file} runs ${spec} from a CDN via ${load.how}: ${load.url.slice(0, 100)}`,
            at: load.at,
          });
      }
    }
  },
});
