import type { ClientName, Requester } from '../types.js';

/** The path prefix a wrapper run puts in front of registry paths: `/-/bulwark/p/<id>/`. */
export const PROJECT_PREFIX = '/-/bulwark/p/';

const CLIENTS: readonly ClientName[] = ['npm', 'pnpm', 'yarn', 'bun'];
const MAX_ID_LENGTH = 2048;

/** `npm/11.6.2 node/v20…` → npm 11.6.2. The first product token names the client. */
export const clientFromUserAgent = (
  userAgent: string | undefined,
): Pick<Requester, 'client' | 'clientVersion'> => {
  const match = /^\s*([A-Za-z0-9._-]+)\/([^\s;()]+)/.exec(userAgent ?? '');
  const product = match?.[1]?.toLowerCase();
  const client = CLIENTS.find((name) => name === product) ?? 'other';
  if (match === null) return { client };
  return { client, clientVersion: `${match[1]}/${match[2]}`.slice(0, 100) };
};

/** The id of a wrapper run: base64url of `{"project": "/dir", "session": "id", "client": "npm"}`. */
export const encodeProjectId = (project: {
  project?: string;
  session?: string;
  client?: ClientName;
  tarballs?: 'upstream';
}): string => Buffer.from(JSON.stringify(project), 'utf8').toString('base64url');

export type PrefixedPath = {
  /** The registry path without the prefix. */
  path: string;
  /** The prefix as received (`/-/bulwark/p/<id>`), to keep in rewritten tarball URLs. */
  prefix: string;
  project?: string;
  session?: string;
  /** The client the wrapper ran: Yarn Berry's requests carry got's User-Agent, not Yarn's. */
  client?: ClientName;
  /**
   * The wrapper asks for the upstream's tarball URLs: it runs npm with
   * `replace-registry-host=always`, which fetches them from the firewall's host anyway.
   */
  upstreamTarballs?: true;
};

/**
 * Strips a `/-/bulwark/p/<id>/` prefix. A malformed id is ignored (the request is still served,
 * unattributed) rather than refused: attribution is a convenience, not a control.
 */
export const stripProjectPrefix = (rawPath: string): PrefixedPath => {
  if (!rawPath.startsWith(PROJECT_PREFIX)) return { path: rawPath, prefix: '' };
  const end = rawPath.indexOf('/', PROJECT_PREFIX.length);
  if (end < 0) return { path: rawPath, prefix: '' };
  const id = rawPath.slice(PROJECT_PREFIX.length, end);
  const out: PrefixedPath = { path: rawPath.slice(end), prefix: rawPath.slice(0, end) };
  if (id.length === 0 || id.length > MAX_ID_LENGTH || !/^[A-Za-z0-9_-]+$/.test(id))
    return { ...out, prefix: '' };
  try {
    const value = JSON.parse(Buffer.from(id, 'base64url').toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null) {
      const { project, session, client, tarballs } = value as Record<string, unknown>;
      if (tarballs === 'upstream') out.upstreamTarballs = true;
      if (typeof project === 'string' && project.length <= 4096) out.project = project;
      if (typeof session === 'string' && session.length <= 256) out.session = session;
      const named = CLIENTS.find((name) => name === client);
      if (named !== undefined) out.client = named;
    }
  } catch {
    // unattributed
  }
  return out;
};
