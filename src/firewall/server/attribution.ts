import type { IncomingMessage } from 'node:http';
import type { Requester } from '../types.js';
import { createLru } from './lru.js';
import { clientFromUserAgent, type PrefixedPath } from './requester.js';

type Marks = Pick<PrefixedPath, 'project' | 'session' | 'client'>;

/**
 * Who is asking. The User-Agent names the client; a wrapper run's `/-/bulwark/p/<id>/` prefix
 * names the project, the run and the client it ran (Yarn Berry sends got's User-Agent). npm
 * fetches tarballs by their upstream URL with only the host replaced, so without the prefix: its
 * `npm-session` header, the same on every request of one npm command, carries the marks over.
 */
export const createAttribution = (entries = 4096) => {
  const byNpmSession = createLru<string, Marks>(entries);
  return (req: IncomingMessage, stripped: PrefixedPath): Requester => {
    const header = req.headers['npm-session'];
    const npmSession = typeof header === 'string' && header.length <= 128 ? header : undefined;
    let marks: Marks = stripped;
    if (npmSession !== undefined) {
      if (stripped.session !== undefined) byNpmSession.set(npmSession, marks);
      else marks = byNpmSession.get(npmSession) ?? marks;
    }
    const fromAgent = clientFromUserAgent(
      typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : undefined,
    );
    return {
      ...fromAgent,
      ...(fromAgent.client === 'other' && marks.client !== undefined ? { client: marks.client } : {}),
      ...(marks.project === undefined ? {} : { project: marks.project }),
      ...(marks.session === undefined ? {} : { session: marks.session }),
    };
  };
};

/**
 * Where served documents point tarballs. Normally at the firewall (with the run's prefix). For npm
 * in a wrapper run, at the upstream's own URLs: the wrapper sets `replace-registry-host=always`, so
 * npm still fetches them from the firewall, and the lockfile it writes keeps the URLs it would have
 * without the firewall instead of a temporary port. `undefined` means "leave `dist.tarball` as is".
 */
export const tarballBaseFor = (requester: Requester, origin: string, prefix: string): string | undefined =>
  requester.client === 'npm' && prefix !== '' ? undefined : `${origin}${prefix}`;
