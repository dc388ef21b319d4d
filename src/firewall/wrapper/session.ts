import { randomBytes } from 'node:crypto';

/** What a wrapper run tells the firewall about itself, carried in the registry URL's path. */
export interface SessionMarker {
  project: string;
  session: string;
  /** The client this run wraps: the firewall records it where the User-Agent does not say (Yarn Berry). */
  client?: string;
  /** npm run with `replace-registry-host=always` takes the upstream's tarball URLs (client-env.ts). */
  upstreamTarballs?: boolean;
}

/** A short random id naming one `bulwark npm …` run. */
export const newSessionId = (): string => randomBytes(9).toString('base64url');

/** `/-/bulwark/p/<base64url(JSON)>/`: the prefix the firewall strips and records as project and session. */
export const sessionPrefix = (marker: SessionMarker): string =>
  `/-/bulwark/p/${Buffer.from(JSON.stringify({ project: marker.project, session: marker.session, ...(marker.client ? { client: marker.client } : {}), ...(marker.upstreamTarballs ? { tarballs: 'upstream' } : {}) })).toString('base64url')}/`;

/** The registry URL a client is given: the firewall's origin plus this run's prefix, ending in `/`. */
export const sessionRegistryUrl = (firewallUrl: string, marker: SessionMarker): string =>
  `${firewallUrl.replace(/\/+$/, '')}${sessionPrefix(marker)}`;
