import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readInputFile } from '../core/input.js';

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

/** Credentials for one registry, keyed in `.npmrc` by its "nerf dart" (`//host/path/`). */
export type RegistryAuth = { token?: string; basic?: string };

/** The part of npm's configuration that decides where packuments come from and how to log in. */
export type NpmrcConfig = {
  registry?: string;
  /** `@scope` → registry URL. */
  scopes: Map<string, string>;
  /** Nerf dart (`//host[:port]/path/`) → credentials. */
  auth: Map<string, RegistryAuth>;
  /** `proxy`: for http:// URLs (and https:// when `httpsProxy` is unset), as npm uses it. */
  proxy?: string;
  /** `https-proxy`: for https:// URLs. */
  httpsProxy?: string;
  /** `noproxy`: host names (and domain suffixes) reached directly. */
  noProxy?: string[];
};

export const emptyNpmrc = (): NpmrcConfig => ({ scopes: new Map(), auth: new Map() });

/**
 * npm's `${VAR}` expansion: an unset variable leaves the text as written, `${VAR?}` becomes
 * empty when unset, and a backslash escapes the expansion.
 */
export const expandEnv = (value: string, env: NodeJS.ProcessEnv): string =>
  value.replace(/(?<!\\)(\\*)\$\{([^${}?]+)(\?)?\}/g, (whole, escapes: string, name: string, optional) => {
    if (escapes.length % 2 === 1) return whole.slice((escapes.length + 1) / 2);
    const fallback = optional ? '' : `\${${name}}`;
    return `${escapes.slice(escapes.length / 2)}${env[name] ?? fallback}`;
  });

/** Parses `.npmrc` (ini) text into `base`; later files override earlier keys. */
export const parseNpmrc = (
  text: string,
  env: NodeJS.ProcessEnv = process.env,
  base: NpmrcConfig = emptyNpmrc(),
): NpmrcConfig => {
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#') || line.startsWith('[')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = expandEnv(line.slice(0, eq).trim(), env);
    const value = expandEnv(unquote(line.slice(eq + 1).trim()), env);
    applyEntry(base, key, value);
  }
  return base;
};

const unquote = (value: string): string => {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'string') return parsed;
    } catch {
      // not JSON-quoted; keep as written
    }
  }
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  return value;
};

const applyEntry = (config: NpmrcConfig, key: string, value: string): void => {
  if (key === 'proxy' || key === 'https-proxy') {
    // npm writes `proxy=false` / `proxy=null` to switch a proxy off.
    const url = value === '' || value === 'false' || value === 'null' ? undefined : value;
    if (key === 'proxy') config.proxy = url;
    else config.httpsProxy = url;
    return;
  }
  if (key === 'noproxy' || key === 'no-proxy') {
    config.noProxy = splitHosts(value);
    return;
  }
  if (key === 'registry') {
    config.registry = withSlash(value);
    return;
  }
  const scoped = /^(@[^:/\s]+):registry$/.exec(key);
  if (scoped) {
    config.scopes.set(scoped[1]!, withSlash(value));
    return;
  }
  const auth = /^(\/\/.+?):(_authToken|_auth)$/.exec(key);
  if (auth) {
    const dart = withSlash(auth[1]!);
    const entry = config.auth.get(dart) ?? {};
    if (auth[2] === '_authToken') entry.token = value;
    else entry.basic = value;
    config.auth.set(dart, entry);
  }
};

const splitHosts = (value: string): string[] =>
  value
    .split(/[,\s]+/)
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);

const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

export type NpmrcLocations = { projectDir: string; home?: string; env?: NodeJS.ProcessEnv };

/**
 * Reads the user `~/.npmrc`, then the project `.npmrc` over it, then `npm_config_registry`
 * from the environment over both — npm's own precedence for these keys.
 */
export const loadNpmrc = ({
  projectDir,
  home = homedir(),
  env = process.env,
}: NpmrcLocations): NpmrcConfig => {
  const config = emptyNpmrc();
  for (const file of [join(home, '.npmrc'), join(projectDir, '.npmrc')]) {
    if (existsSync(file)) parseNpmrc(readInputFile(file, 1024 * 1024), env, config);
  }
  const envRegistry = env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY;
  if (envRegistry) config.registry = withSlash(envRegistry);
  // npm's fallbacks when .npmrc sets no proxy: the usual environment variables.
  config.httpsProxy ??= env.npm_config_https_proxy ?? env.HTTPS_PROXY ?? env.https_proxy;
  config.proxy ??= env.npm_config_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  const noProxy = env.npm_config_noproxy ?? env.NO_PROXY ?? env.no_proxy;
  if (config.noProxy === undefined && noProxy) config.noProxy = splitHosts(noProxy);
  return config;
};

/** The registry a package name is fetched from: its scope's registry, else the default one. */
export const registryFor = (config: NpmrcConfig, name: string): string => {
  if (name.startsWith('@')) {
    const scope = name.slice(0, name.indexOf('/'));
    const scoped = config.scopes.get(scope);
    if (scoped) return scoped;
  }
  return config.registry ?? DEFAULT_REGISTRY;
};

/** `https://host:port/path/` → `//host:port/path/`, the key `.npmrc` credentials use. */
export const nerfDart = (url: string): string => {
  const parsed = new URL(url);
  return withSlash(`//${parsed.host}${parsed.pathname}`);
};

/**
 * Credentials for a registry URL. Like npm, tries the full path, then each parent path down to
 * the host; never hands credentials configured for one host to another.
 */
export const authFor = (config: NpmrcConfig, registryUrl: string): RegistryAuth | undefined => {
  let dart = nerfDart(registryUrl);
  for (;;) {
    const found = config.auth.get(dart);
    if (found && (found.token || found.basic)) return found;
    const trimmed = dart.replace(/[^/]+\/$/, '');
    if (trimmed === dart || trimmed === '//') return undefined;
    dart = trimmed;
  }
};

export const authorizationHeader = (auth: RegistryAuth | undefined): string | undefined => {
  if (auth?.token) return `Bearer ${auth.token}`;
  if (auth?.basic) return `Basic ${auth.basic}`;
  return undefined;
};
