/** Which upstream registry serves a package, and the credentials for a URL. */
export type Upstreams = {
  /** The default registry base, with a trailing slash. */
  base: string;
  /** The registry base for a package: its scope's, else the default. */
  baseFor: (name: string) => string;
  /** The packument URL of a package on its registry (`@scope%2fname`, as npm asks). */
  packumentUrl: (name: string) => string;
  /** The Authorization header value configured for a URL (longest matching base), if any. */
  authFor: (url: string) => string | undefined;
};

export const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

export const createUpstreams = (
  upstream: string,
  scopes: Record<string, string> = {},
  auth: Record<string, string> = {},
): Upstreams => {
  const base = withSlash(upstream);
  const scoped = new Map(Object.entries(scopes).map(([scope, url]) => [scope.toLowerCase(), withSlash(url)]));
  // Longest base first, so `https://r.example/private/` wins over `https://r.example/`.
  const credentials = Object.entries(auth)
    .map(([url, value]) => [withSlash(url), value] as const)
    .sort((a, b) => b[0].length - a[0].length);
  const baseFor = (name: string): string => {
    if (!name.startsWith('@')) return base;
    return scoped.get(name.slice(0, name.indexOf('/')).toLowerCase()) ?? base;
  };
  return {
    base,
    baseFor,
    packumentUrl: (name) => `${baseFor(name)}${name.replace('/', '%2f')}`,
    authFor: (url) => credentials.find(([prefix]) => sameRegistry(url, prefix))?.[1],
  };
};

/** Whether `url` is under the registry base `prefix` (same origin, path within it). */
const sameRegistry = (url: string, prefix: string): boolean => {
  try {
    const target = new URL(url);
    const base = new URL(prefix);
    return target.origin === base.origin && target.pathname.startsWith(base.pathname);
  } catch {
    return false;
  }
};
