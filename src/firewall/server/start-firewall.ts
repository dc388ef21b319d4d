import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { dataDir as defaultDataDir } from '../../core/paths.js';
import { TOOL_VERSION } from '../../core/version.js';
import type { FirewallPolicy } from '../../policy/firewall/types.js';
import { defaultWorkerUrl } from '../../scan/analysis/pool.js';
import { adminPathOf, handleAdminRequest } from '../admin-api.js';
import { handleAuditBulk } from '../audit-bulk.js';
import { handleLegacyAudit } from '../audit-legacy.js';
import { classifyRequest, parseLockfileTarballUrl, type RegistryRoute } from '../registry/routes.js';
import type { Firewall, FirewallLimits, FirewallOptions } from '../types.js';
import { createTarballAnalyser, type TarballAnalyser } from './analyser.js';
import { createAttribution, tarballBaseFor } from './attribution.js';
import type { RequestInfo, ServerContext } from './context.js';
import { sendUpstreamFailure, serveDistTags, servePackument, serveVersion } from './documents.js';
import { createIntel } from './intel.js';
import { createPackumentCache } from './packuments.js';
import { passThrough } from './passthrough.js';
import { createRecorder } from './recorder.js';
import { PROJECT_PREFIX, stripProjectPrefix } from './requester.js';
import { sendError, sendJson } from './respond.js';
import { createSemaphore } from './semaphore.js';
import { serveTarball } from './tarball.js';
import { createTarballStore } from './tarball-store.js';
import { createUpstreamClient } from './upstream.js';
import { createUpstreams } from './upstreams.js';
import { createViewCache } from './view-cache.js';

export const DEFAULT_LIMITS: FirewallLimits = {
  maxDocumentBytes: 64 * 1024 * 1024,
  maxTarballBytes: 256 * 1024 * 1024,
  upstreamConcurrency: 16,
  upstreamTimeoutMs: 30_000,
  documentCacheEntries: 1000,
  documentMaxAgeMs: 5 * 60_000,
};

export const DEFAULT_PORT = 4873;
export const STATUS_PATH = '/-/bulwark/status';

/** Knobs for tests and the bench, not part of the command's options. */
export type FirewallInternals = {
  /** The analysis worker (tests bundle one; the CLI finds it beside its own chunk). */
  workerUrl?: URL;
  /** Bound on the tarball cache directory; default 2 GiB. */
  maxTarballCacheBytes?: number;
  onWarning?: (message: string) => void;
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read; default process.env. */
  env?: NodeJS.ProcessEnv;
};

/**
 * Starts the registry firewall: a drop-in npm registry on `host:port` that fetches from the
 * upstream, decides every version with the policy, and serves only what the policy allows.
 * Resolves once listening; `close()` stops accepting, lets requests in flight finish, and
 * releases the upstream pool, the analysis workers and the caches.
 */
export const startFirewall = async (
  options: FirewallOptions,
  internals: FirewallInternals = {},
): Promise<Firewall> => {
  const limits: FirewallLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const home = options.dataDir ?? defaultDataDir();
  const warn =
    internals.onWarning ?? ((message: string) => process.stderr.write(`bulwark firewall: ${message}\n`));
  let upstreams: ReturnType<typeof createUpstreams>;
  try {
    upstreams = createUpstreams(options.upstream, options.scopes, options.upstreamAuth);
    if (!/^https?:$/.test(new URL(upstreams.base).protocol)) throw new Error('not http(s)');
  } catch {
    throw new InputError(`--upstream ${options.upstream}`, 'not a registry URL (http:// or https://)');
  }
  // Marks our upstream requests, so a request that comes back to us (the upstream is this
  // firewall, or a chain of proxies leads back here) is refused instead of looping.
  const via = `1.1 bulwark-${randomBytes(6).toString('hex')}`;
  const upstream = createUpstreamClient({
    concurrency: Math.max(1, limits.upstreamConcurrency),
    timeoutMs: limits.upstreamTimeoutMs,
    via,
    ...(internals.env === undefined ? {} : { env: internals.env }),
  });
  let analyser: TarballAnalyser | undefined;
  if (options.analysis !== false) {
    let workerUrl: URL;
    try {
      workerUrl = internals.workerUrl ?? defaultWorkerUrl();
    } catch (error) {
      await upstream.close();
      throw new InputError('analysis', (error as Error).message);
    }
    analyser = await createTarballAnalyser({
      cachePath: join(home, 'cache', 'assessments.db'),
      workers: options.analysis?.workers ?? Math.max(1, availableParallelism() - 1),
      ...(options.analysis?.limitMs === undefined ? {} : { limitMs: options.analysis.limitMs }),
      workerUrl,
      onWarning: warn,
    });
  }

  const ctx: ServerContext = {
    options,
    limits,
    policy: policySource(options),
    now: options.now ?? (() => new Date()),
    upstream,
    upstreams,
    packuments: createPackumentCache({
      upstream,
      upstreams,
      entries: limits.documentCacheEntries,
      maxAgeMs: limits.documentMaxAgeMs,
      maxBytes: limits.maxDocumentBytes,
      maxCacheBytes: Math.max(256 * 1024 * 1024, limits.maxDocumentBytes * 4),
      onWarning: warn,
    }),
    intel: createIntel(options.store),
    tarballs: createTarballStore({
      dir: join(home, 'cache', 'firewall-tarballs'),
      upstream,
      maxBytes: limits.maxTarballBytes,
      maxCacheBytes: internals.maxTarballCacheBytes ?? 2 * 1024 * 1024 * 1024,
      maxMemoryBytes: 128 * 1024 * 1024,
      onWarning: warn,
    }),
    coldTarballs: createSemaphore(Math.max(2, limits.upstreamConcurrency * 2)),
    analyser,
    recorder: createRecorder(options.decisionLog, warn),
    warn,
  };
  const views = createViewCache(ctx);
  const attribute = createAttribution();
  const startedAt = new Date().toISOString();
  let requests = 0;
  const statusBody = () => ({
    name: 'bulwark',
    service: 'bulwark-firewall',
    version: TOOL_VERSION,
    pid: process.pid,
    upstream: upstreams.base,
    policy: options.policy.file ?? null,
    dryRun: options.policy.dryRun,
    failMode: options.policy.failMode,
    analysis: analyser !== undefined,
    startedAt,
    requests,
    decisions: { ...ctx.recorder.counts },
    upstreamRequestsActive: upstream.active,
    packumentsCached: ctx.packuments.size,
  });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = req.url ?? '/';
    const method = (req.method ?? 'GET').toUpperCase();
    if (headerValue(req, 'via')?.includes(via.slice(4))) {
      sendError(
        req,
        res,
        508,
        'bulwark firewall: this request came back to the firewall (the upstream leads here)',
      );
      return;
    }
    const path = raw.split('?', 1)[0]!;
    // The firewall's own endpoints are answered here, never proxied (an admin token must not
    // reach the upstream).
    if ((path === '/-/bulwark' || path.startsWith('/-/bulwark/')) && !path.startsWith(PROJECT_PREFIX)) {
      if (path === STATUS_PATH && (method === 'GET' || method === 'HEAD')) {
        sendJson(req, res, 200, statusBody(), { 'cache-control': 'no-store' });
        return;
      }
      const adminPath = adminPathOf(raw);
      if (adminPath !== undefined && options.adminToken !== undefined) {
        if (options.waivers === undefined || options.decisionLog === undefined) {
          sendError(req, res, 503, 'the admin API needs the decision log and the waiver store');
          return;
        }
        await handleAdminRequest(
          req,
          res,
          {
            token: options.adminToken,
            waivers: options.waivers,
            decisionLog: options.decisionLog,
            policy: options.policy,
            now: ctx.now,
          },
          adminPath,
        );
        return;
      }
      sendError(req, res, 404, `${path}: not found`);
      return;
    }
    const stripped = stripProjectPrefix(raw);
    const requester = attribute(req, stripped);
    const info: RequestInfo = {
      requester,
      tarballBase: tarballBaseFor(requester, stripped, originOf(req, firewallUrl)),
      path: stripped.path,
    };
    const found = classify(method, stripped.path, upstreams.base, options.scopes);
    switch (found.kind) {
      case 'packument':
        return servePackument(ctx, views, req, res, info, found.name);
      case 'version':
        return serveVersion(ctx, views, req, res, info, found.name, found.spec);
      case 'dist-tags':
        if (method !== 'GET' && method !== 'HEAD') return passThrough(ctx, req, res, info.path);
        return serveDistTags(views, req, res, found.name, found.tag);
      case 'tarball':
        return serveTarball(ctx, views, req, res, info, found.name, found.version);
      case 'audit-bulk':
        return handleAuditBulk(req, res, options.store);
      case 'audit-legacy':
        return handleLegacyAudit(req, res, options.store);
      case 'keys':
      case 'ping':
      case 'search':
      case 'whoami':
      case 'login':
      case 'other-dash':
        return passThrough(ctx, req, res, info.path);
      case 'unknown':
        sendError(
          req,
          res,
          method === 'GET' || method === 'HEAD' ? 404 : 405,
          `bulwark firewall: ${stripped.path.split('?', 1)[0]}: ${found.reason}`,
        );
        return;
    }
  };

  // Requests in flight, so close() can let them finish.
  let active = 0;
  let idle: (() => void) | undefined;
  const server = createServer((req, res) => {
    active++;
    requests++;
    req.on('error', () => res.destroy());
    route(req, res)
      .catch((error: unknown) => {
        try {
          if (res.headersSent) res.destroy();
          else sendUpstreamFailure(ctx, req, res, error);
        } catch {
          res.destroy();
        }
      })
      .finally(() => {
        active--;
        if (active === 0) idle?.();
      });
  });
  server.keepAliveTimeout = 60_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'the port is in use' : error.message;
      reject(new InputError(`${host}:${options.port ?? DEFAULT_PORT}`, `cannot listen: ${reason}`));
    });
    server.listen(options.port ?? DEFAULT_PORT, host, () => resolve());
  }).catch(async (error) => {
    await upstream.close();
    await analyser?.close();
    throw error;
  });
  server.on('error', (error) => warn(`server error: ${error.message}`));
  const port = (server.address() as AddressInfo).port;
  const firewallUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: firewallUrl,
    port,
    onDecision: ctx.recorder.onDecision,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (active > 0) await new Promise<void>((resolve) => (idle = resolve));
        server.closeAllConnections();
        await stopped;
        await Promise.allSettled([upstream.close(), analyser?.close(), ctx.tarballs.flush()]);
      })();
      return closing;
    },
  };
};

/** The policy in force: the file's exceptions plus the stored waivers, keyed by the waivers' ids. */
const policySource = (options: FirewallOptions) => (): { policy: FirewallPolicy; key: string } => {
  if (options.waivers === undefined) return { policy: options.policy, key: '' };
  const waivers = options.waivers.list();
  if (waivers.length === 0) return { policy: options.policy, key: '' };
  return {
    policy: { ...options.policy, exceptions: [...options.policy.exceptions, ...waivers] },
    key: waivers.map((w) => w.id).join(','),
  };
};

/**
 * The route of a request. A tarball path under the upstream's own path prefix (a lockfile's
 * `resolved` URL with only the host swapped) and an absolute-form target naming a public
 * registry are mapped onto the tarball route too.
 */
const classify = (
  method: string,
  path: string,
  base: string,
  scopes: Record<string, string> | undefined,
): RegistryRoute => {
  if (/^https?:\/\//i.test(path)) {
    const bases = [base, ...Object.values(scopes ?? {})];
    const tarball = parseLockfileTarballUrl(path, bases);
    if (tarball && (method === 'GET' || method === 'HEAD')) return { kind: 'tarball', ...tarball };
    return { kind: 'unknown', reason: 'absolute request target' };
  }
  const route = classifyRequest(method, path);
  if (route.kind !== 'unknown') return route;
  for (const registry of [base, ...Object.values(scopes ?? {})]) {
    let prefix: string;
    try {
      prefix = new URL(registry).pathname.replace(/\/*$/, '');
    } catch {
      continue;
    }
    if (prefix === '' || !path.startsWith(`${prefix}/`)) continue;
    const inner = classifyRequest(method, path.slice(prefix.length));
    if (inner.kind === 'tarball') return inner;
  }
  return route;
};

const headerValue = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** `http://<Host>` as the client addressed us (localhost, a LAN name), else our own URL. */
const originOf = (req: IncomingMessage, fallback: string): string => {
  const host = headerValue(req, 'host');
  return host !== undefined && HOST.test(host) ? `http://${host}` : fallback;
};
