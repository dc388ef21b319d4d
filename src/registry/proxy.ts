import { ProxyAgent, fetch as undiciFetch } from 'undici';
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
  const agents = new Map<string, ProxyAgent>();
  const agentFor = (proxy: string): ProxyAgent => {
    let agent = agents.get(proxy);
    if (!agent) {
      agent = new ProxyAgent(proxy);
      agents.set(proxy, agent);
    }
    return agent;
  };
  return ((input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const proxy = url.protocol === 'https:' ? httpsProxy : httpProxy;
    if (!proxy || bypasses(url.hostname, npmrc.noProxy ?? [])) return fetch(input, init);
    return undiciFetch(url, { ...(init as object), dispatcher: agentFor(proxy) } as never);
  }) as typeof fetch;
};

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
