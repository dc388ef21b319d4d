import type { ProxyAgent } from 'undici';
import type { NpmrcConfig } from './npmrc.js';

/**
 * The fetch the registry clients use: Node's own, or — when `.npmrc` (or HTTPS_PROXY/HTTP_PROXY)
 * names a proxy — one that tunnels through it, except for `noproxy` hosts. Node 20's global fetch
 * ignores proxy settings, so this uses undici's fetch with a ProxyAgent.
 */
export const fetchFor = (npmrc: NpmrcConfig): typeof fetch => {
  const httpsProxy = npmrc.httpsProxy ?? npmrc.proxy;
  const httpProxy = npmrc.proxy;
  if (!httpsProxy && !httpProxy) return fetch;
  // undici is loaded only when a proxy is configured: most runs never pay for it.
  let undici: ReturnType<typeof loadUndici> | undefined;
  const agents = new Map<string, ProxyAgent>();
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const proxy = url.protocol === 'https:' ? httpsProxy : httpProxy;
    if (!proxy || bypasses(url.hostname, npmrc.noProxy ?? [])) return fetch(input, init);
    undici ??= loadUndici();
    const { ProxyAgent, fetch: proxiedFetch } = await undici;
    let agent = agents.get(proxy);
    if (!agent) {
      agent = new ProxyAgent(proxy);
      agents.set(proxy, agent);
    }
    return proxiedFetch(url, { ...(init as object), dispatcher: agent } as never);
  }) as typeof fetch;
};

const loadUndici = () => import('undici');

/** Loopback, and `noproxy` entries: `*`, an exact host, or a domain suffix (`.corp.example`). */
export const bypasses = (host: string, noProxy: readonly string[]): boolean => {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  // A proxy cannot reach this machine's own services (and a CI proxy must not see test traffic).
  if (name === 'localhost' || name === '::1' || /^127\./.test(name)) return true;
  return noProxy.some((entry) => {
    if (entry === '*') return true;
    const domain = entry.replace(/^\*?\./, '').replace(/:\d+$/, '');
    return name === domain || name.endsWith(`.${domain}`);
  });
};
