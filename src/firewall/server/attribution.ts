import type { IncomingMessage } from 'node:http';
import type { Requester } from '../types.js';
import { createLru } from './lru.js';
import { clientFromUserAgent, type PrefixedPath } from './requester.js';

type Marks = Pick<PrefixedPath, 'project' | 'session' | 'client' | 'upstreamTarballs'>;

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
 * 9 or later in a wrapper run that asks for it, at the upstream's own URLs: the wrapper sets
 * `replace-registry-host=always` (npm 8.16+), so npm still fetches them from the firewall's host,
 * and the lockfile it writes keeps the URLs it would have without the firewall instead of a
 * temporary port. Without both, a client would fetch those URLs past the firewall. `undefined`
 * means "leave `dist.tarball` as is".
 */
export const tarballBaseFor = (
  requester: Requester,
  stripped: Pick<PrefixedPath, 'prefix' | 'upstreamTarballs'>,
  origin: string,
): string | undefined => {
  const npmMajor = /^npm\/(\d+)\./.exec(requester.clientVersion ?? '')?.[1];
  const upstream =
    stripped.upstreamTarballs === true &&
    requester.client === 'npm' &&
    npmMajor !== undefined &&
    Number(npmMajor) >= 9;
  return upstream ? undefined : `${origin}${stripped.prefix}`;
};
