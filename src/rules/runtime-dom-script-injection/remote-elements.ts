import type { CodeFact, Location } from '../../analysis/types.js';
import { shapesNamed } from '../browser-wallet-clipper/wallet-signals.js';
import { hostOfUrl } from '../fact-queries.js';

export type RemoteElement = { tag: string; url: string; at: Location };

const LOCAL_HOST = /^(?:localhost|127\.\d+\.\d+\.\d+|\[?::1\]?|0\.0\.0\.0)$/;

const isRemote = (url: string): boolean => {
  const host = hostOfUrl(url.startsWith('//') ? `https:${url}` : url);
  return host !== undefined && host !== '' && !LOCAL_HOST.test(host);
};

/**
 * Script and iframe elements one file puts into the page with a remote `src`: HTML carrying
 * `<script src="https://…">`, or an element created as script/iframe in the file plus a remote
 * URL assigned to a `src`.
 */
export const remoteElements = (facts: readonly CodeFact[]): RemoteElement[] => {
  const created = shapesNamed(facts, 'dom-create-element').map((fact) => fact.detail);
  const out: RemoteElement[] = [];
  for (const fact of shapesNamed(facts, 'dom-src-url')) {
    const space = fact.detail.indexOf(' ');
    const kind = fact.detail.slice(0, space);
    const url = fact.detail.slice(space + 1);
    if (!isRemote(url)) continue;
    if (kind !== 'src') out.push({ tag: kind, url, at: fact.at });
    else if (created.length > 0)
      out.push({ tag: created.includes('script') ? 'script' : 'iframe', url, at: fact.at });
  }
  return out;
};
