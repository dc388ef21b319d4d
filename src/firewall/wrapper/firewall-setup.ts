import { existsSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { defaultDbPath } from '../../core/paths.js';
import { databaseAgeDays, databaseWarnings } from '../../intel/database-age.js';
import { defaultPolicy, loadFirewallPolicy } from '../../policy/firewall/load.js';
import type { FirewallPolicy } from '../../policy/firewall/types.js';
import { authFor, authorizationHeader, DEFAULT_REGISTRY, loadNpmrc } from '../../registry/npmrc.js';
import type { AdvisoryStore } from '../../store/store.js';
import type { FirewallOptions } from '../types.js';

/** The flags `bulwark firewall` takes; `bulwark npm …` uses none of them (all defaults). */
export interface FirewallFlags {
  port?: string;
  host?: string;
  upstream?: string;
  policy?: string;
  db?: string;
  adminTokenEnv?: string;
  adminTokenFile?: string;
  /** commander's `--no-analysis`: false when given. */
  analysis?: boolean;
  dryRun?: boolean;
}

export const DEFAULT_PORT = 4873;
export const DEFAULT_HOST = '127.0.0.1';
/** Looked for in the project directory, in this order. */
export const POLICY_FILE_NAMES = ['bulwark-firewall.yml', 'bulwark-firewall.yaml', 'bulwark-firewall.json'];
const MIN_ADMIN_TOKEN_LENGTH = 16;

/** Everything decided before the server starts: options for startFirewall and what to tell the user. */
export interface FirewallSetup {
  options: FirewallOptions;
  /** The policy file in force, or undefined for the built-in defaults. */
  policyFile?: string;
  /** `intel: 1234 advisories, 12 malware, 2 days old` or `intel: none`. */
  intel: string;
  warnings: string[];
  dbPath: string;
  store?: AdvisoryStore;
}

export const parsePort = (text: string): number => {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535)
    throw new InputError('--port', `"${text}" is not a port number (0 to 65535; 0 picks a free one)`);
  return Number(text);
};

export const parseHost = (text: string): string => {
  const host = text.trim();
  if (host === 'localhost' || isIP(host) !== 0) return host;
  throw new InputError('--host', `"${text}" is not an IP address or localhost`);
};

export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** An http(s) registry base URL, normalised to end in `/`. */
export const parseUpstream = (text: string, label = '--upstream'): string => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(label, `"${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InputError(label, `"${text}" is not an http or https URL`);
  if (url.username || url.password)
    throw new InputError(label, 'credentials in the URL are not accepted; put them in .npmrc (_authToken)');
  if (url.search || url.hash) throw new InputError(label, `"${text}" has a query or fragment`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
};

/** `--policy`, else the first bulwark-firewall.{yml,yaml,json} in the project, else none (defaults). */
export const findPolicyFile = (projectDir: string, flag?: string): string | undefined => {
  if (flag !== undefined) return resolve(projectDir, flag);
  return POLICY_FILE_NAMES.map((name) => join(projectDir, name)).find((file) => existsSync(file));
};

export const loadPolicy = (file: string | undefined, dryRun: boolean): FirewallPolicy => {
  const policy = file === undefined ? defaultPolicy() : loadFirewallPolicy(file);
  return dryRun ? { ...policy, dryRun: true } : policy;
};

/** The admin token from an environment variable or a file; never from the command line (ps would show it). */
export const readAdminToken = (flags: FirewallFlags, env: NodeJS.ProcessEnv): string | undefined => {
  if (flags.adminTokenEnv !== undefined && flags.adminTokenFile !== undefined)
    throw new InputError('--admin-token-env', 'give --admin-token-env or --admin-token-file, not both');
  let token: string | undefined;
  let label: string;
  if (flags.adminTokenEnv !== undefined) {
    label = `--admin-token-env ${flags.adminTokenEnv}`;
    token = env[flags.adminTokenEnv];
    if (token === undefined || token.trim() === '')
      throw new InputError(label, 'the variable is not set or empty');
  } else if (flags.adminTokenFile !== undefined) {
    label = flags.adminTokenFile;
    try {
      if (statSync(flags.adminTokenFile).size > 4096)
        throw new InputError(label, 'is over 4 KiB; expected one token');
      token = readFileSync(flags.adminTokenFile, 'utf8');
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(
        label,
        `cannot read the admin token (${(error as NodeJS.ErrnoException).code ?? error})`,
      );
    }
  } else {
    return undefined;
  }
  token = token.trim();
  if (token.length < MIN_ADMIN_TOKEN_LENGTH || /\s/.test(token))
    throw new InputError(
      label,
      `the admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters without spaces`,
    );
  return token;
};

/**
 * Reads flags, .npmrc, the policy and the intel database into startFirewall's options. Every
 * problem with what the user gave is an InputError (one line, exit 2) before anything listens.
 */
export const resolveFirewallSetup = async (
  flags: FirewallFlags,
  projectDir: string,
  env: NodeJS.ProcessEnv = process.env,
  now: Date = new Date(),
): Promise<FirewallSetup> => {
  const port = flags.port === undefined ? DEFAULT_PORT : parsePort(flags.port);
  const host = flags.host === undefined ? DEFAULT_HOST : parseHost(flags.host);
  const warnings: string[] = [];
  if (!isLoopback(host))
    warnings.push(
      `listening on ${host}: other machines can reach the firewall (and its admin API when enabled)`,
    );
  const npmrc = loadNpmrc({ projectDir, env });
  const upstream =
    flags.upstream !== undefined
      ? parseUpstream(flags.upstream)
      : parseUpstream(npmrc.registry ?? DEFAULT_REGISTRY, '.npmrc registry');
  const scopes: Record<string, string> = {};
  for (const [scope, url] of npmrc.scopes) scopes[scope] = parseUpstream(url, `.npmrc ${scope}:registry`);
  const upstreamAuth: Record<string, string> = {};
  for (const url of new Set([upstream, ...Object.values(scopes)])) {
    const header = authorizationHeader(authFor(npmrc, url));
    if (header) upstreamAuth[url] = header;
  }
  const policyFile = findPolicyFile(projectDir, flags.policy);
  const policy = loadPolicy(policyFile, flags.dryRun === true);
  const adminToken = readAdminToken(flags, env);

  const dbPath = flags.db === undefined ? defaultDbPath(env) : resolve(projectDir, flags.db);
  if (flags.db !== undefined && !existsSync(dbPath))
    throw new InputError(flags.db, 'no such advisory database');
  let store: AdvisoryStore | undefined;
  let intel = 'intel: none';
  if (existsSync(dbPath)) {
    const { openStore } = await import('../../store/open-store.js');
    store = await openStore(dbPath, { readonly: true });
    const status = await store.status();
    warnings.push(...databaseWarnings(dbPath, status, now));
    const age = databaseAgeDays(status, now);
    intel = `intel: ${status.advisories} advisories, ${status.malware} malware${age === undefined ? '' : `, ${age} days old`}`;
  } else {
    warnings.push(...databaseWarnings(dbPath, undefined, now));
  }

  const options: FirewallOptions = { upstream, policy, host, port };
  if (Object.keys(scopes).length > 0) options.scopes = scopes;
  if (Object.keys(upstreamAuth).length > 0) options.upstreamAuth = upstreamAuth;
  if (store) options.store = store;
  if (adminToken) options.adminToken = adminToken;
  if (flags.analysis === false) options.analysis = false;
  const setup: FirewallSetup = { options, intel, warnings, dbPath };
  if (policyFile !== undefined) setup.policyFile = policyFile;
  if (store) setup.store = store;
  return setup;
};
