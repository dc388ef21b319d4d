import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate as inflateFn } from 'node:zlib';
import { Agent, type Dispatcher, ProxyAgent, request } from 'undici';
import { bypasses } from '../../registry/proxy.js';
import { createSemaphore } from './semaphore.js';

/** Why an upstream request gave nothing the firewall can serve. */
export type UpstreamProblem = 'timeout' | 'unreachable' | 'too-large' | 'status';

export class UpstreamError extends Error {
  readonly problem: UpstreamProblem;
  /** The upstream status, for `status`. */
  readonly status: number | undefined;
  /** The transport error code (`ECONNRESET`, `UND_ERR_SOCKET`…), for `unreachable`. */
  readonly code: string | undefined;

  constructor(problem: UpstreamProblem, message: string, status?: number, code?: string) {
    super(message);
    this.name = 'UpstreamError';
    this.problem = problem;
    this.status = status;
    this.code = code;
  }
}

export const isUpstreamError = (error: unknown): error is UpstreamError => error instanceof UpstreamError;

export type UpstreamResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
};

export type UpstreamStream = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Must be consumed or destroyed; the concurrency slot is released when it closes. */
  body: Readable;
};

export type UpstreamClient = {
  /**
   * GET `url` and read the whole body, refusing more than `maxBytes` (by Content-Length before
   * reading, and while reading). Any status is returned; only transport problems throw.
   */
  get: (
    url: string,
    options: { headers: Record<string, string>; maxBytes: number },
  ) => Promise<UpstreamResponse>;
  /** Any method, body streamed both ways (pass-through endpoints). */
  stream: (
    url: string,
    options: { method: string; headers: Record<string, string>; body?: Readable },
  ) => Promise<UpstreamStream>;
  /** Requests waiting for a slot plus those in flight (for tests and status). */
  readonly active: number;
  close: () => Promise<void>;
};

/**
 * The firewall's only way out: one undici Agent with a bounded pool per origin, and a global
 * limit on requests in flight, so a burst of clients never opens unbounded upstream sockets.
 * Every request has a wall-clock limit (headers and body together).
 */
export const createUpstreamClient = (options: {
  concurrency: number;
  timeoutMs: number;
  /** This firewall's `Via` entry, added to every upstream request (loop detection). */
  via: string;
  /** HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case) are read from here; default process.env. */
  env?: NodeJS.ProcessEnv;
}): UpstreamClient => {
  const pool: Agent.Options = {
    connections: options.concurrency,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 30_000,
  };
  const agent = new Agent(pool);
  const dispatcherFor = proxyRouting(options.env ?? process.env, agent, pool);
  const slots = createSemaphore(options.concurrency);

  const open = async (
    url: string,
    method: string,
    headers: Record<string, string>,
    signal: AbortSignal,
    body?: Readable,
    redirects = 0,
  ): Promise<Dispatcher.ResponseData> => {
    try {
      const response = await request(url, {
        dispatcher: dispatcherFor(url),
        method: method as Dispatcher.HttpMethod,
        headers: { ...headers, via: headers.via ? `${headers.via}, ${options.via}` : options.via },
        signal,
        maxRedirections: redirects,
        ...(body === undefined ? {} : { body }),
      });
      // Destroying an unread body emits an AbortError; without a listener that would be an
      // uncaught exception, and the whole firewall would go down with one hostile response.
      response.body.on('error', () => {});
      return response;
    } catch (error) {
      throw transportError(error, url, signal, options.timeoutMs);
    }
  };

  return {
    get: async (url, { headers, maxBytes }) => {
      const release = await slots.acquire();
      const signal = AbortSignal.timeout(options.timeoutMs);
      try {
        let response: Dispatcher.ResponseData;
        try {
          response = await open(url, 'GET', headers, signal, undefined, 5);
        } catch (error) {
          // A kept-alive socket the upstream had already closed: once more on a fresh one, as
          // npm's own fetch does. Refused connections and timeouts are not retried.
          if (!isStaleSocket(error) || signal.aborted) throw error;
          response = await open(url, 'GET', headers, signal, undefined, 5);
        }
        const length = Number(response.headers['content-length']);
        if (Number.isFinite(length) && length > maxBytes) {
          response.body.destroy();
          throw new UpstreamError(
            'too-large',
            `${redact(url)}: ${length} bytes, over the ${maxBytes}-byte limit`,
          );
        }
        const chunks: Buffer[] = [];
        let total = 0;
        try {
          for await (const chunk of response.body) {
            total += (chunk as Buffer).byteLength;
            if (total > maxBytes) {
              response.body.destroy();
              throw new UpstreamError('too-large', `${redact(url)}: more than ${maxBytes} bytes`);
            }
            chunks.push(chunk as Buffer);
          }
        } catch (error) {
          if (isUpstreamError(error)) throw error;
          throw transportError(error, url, signal, options.timeoutMs);
        }
        const raw = Buffer.concat(chunks, total);
        const encoding = String(response.headers['content-encoding'] ?? 'identity')
          .trim()
          .toLowerCase();
        const body = await decode(raw, encoding, maxBytes, url);
        return { status: response.statusCode, headers: response.headers, body };
      } finally {
        release();
      }
    },
    stream: async (url, { method, headers, body }) => {
      const release = await slots.acquire();
      const signal = AbortSignal.timeout(options.timeoutMs);
      let response: Dispatcher.ResponseData;
      try {
        response = await open(url, method, headers, signal, body);
      } catch (error) {
        release();
        throw error;
      }
      let released = false;
      const once = () => {
        if (released) return;
        released = true;
        release();
      };
      response.body.once('close', once);
      response.body.once('end', once);
      response.body.once('error', once);
      return { status: response.statusCode, headers: response.headers, body: response.body };
    },
    get active() {
      return slots.active;
    },
    close: async () => {
      await Promise.all([agent, ...dispatcherFor.proxies()].map((d) => d.close().catch(() => d.destroy())));
    },
  };
};

const inflate = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflateFn),
  br: promisify(brotliDecompress),
} as const;

/** Undoes a Content-Encoding, to at most `maxBytes` decoded (a small gzip bomb is still refused). */
const decode = async (raw: Buffer, encoding: string, maxBytes: number, url: string): Promise<Buffer> => {
  if (encoding === 'identity' || encoding === '') return raw;
  const decoder = inflate[encoding as keyof typeof inflate];
  if (decoder === undefined)
    throw new UpstreamError('status', `${redact(url)}: unsupported content-encoding "${encoding}"`);
  try {
    return await decoder(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new UpstreamError('too-large', `${redact(url)}: more than ${maxBytes} bytes once decoded`);
    throw new UpstreamError(
      'status',
      `${redact(url)}: cannot decode ${encoding} body (${(error as Error).message})`,
    );
  }
};

/**
 * Which dispatcher reaches a URL: a proxy from the environment as npm reads it (`HTTPS_PROXY`,
 * else `HTTP_PROXY`, for https; `HTTP_PROXY` for http; lower case too), except for loopback and
 * `NO_PROXY` hosts, which are reached directly. Proxied requests tunnel with CONNECT.
 */
const proxyRouting = (env: NodeJS.ProcessEnv, direct: Dispatcher, pool: Agent.Options) => {
  const httpProxy = env.HTTP_PROXY || env.http_proxy || undefined;
  const httpsProxy = env.HTTPS_PROXY || env.https_proxy || httpProxy;
  const noProxy = (env.NO_PROXY || env.no_proxy || '').split(/[\s,]+/).filter((entry) => entry !== '');
  const proxies = new Map<string, ProxyAgent>();
  const route = (url: string): Dispatcher => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return direct;
    }
    const proxy = target.protocol === 'https:' ? httpsProxy : httpProxy;
    if (proxy === undefined || bypasses(target.hostname, noProxy)) return direct;
    let agent = proxies.get(proxy);
    if (agent === undefined) {
      agent = new ProxyAgent({ ...pool, uri: proxy });
      proxies.set(proxy, agent);
    }
    return agent;
  };
  return Object.assign(route, { proxies: () => [...proxies.values()] });
};

const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

const isStaleSocket = (error: unknown): boolean =>
  isUpstreamError(error) && error.problem === 'unreachable' && STALE_SOCKET_CODES.has(error.code ?? '');

const transportError = (
  error: unknown,
  url: string,
  signal: AbortSignal,
  timeoutMs: number,
): UpstreamError => {
  if (isUpstreamError(error)) return error;
  const code = (error as { code?: string }).code ?? '';
  const name = (error as { name?: string }).name ?? '';
  if (
    signal.aborted ||
    name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new UpstreamError('timeout', `${redact(url)}: no complete answer within ${timeoutMs} ms`);
  }
  const message = (error as Error).message || String(error);
  return new UpstreamError(
    'unreachable',
    `${redact(url)}: ${code ? `${code} ` : ''}${message}`.trim(),
    undefined,
    code || undefined,
  );
};

/** A URL without credentials or query, for messages. */
export const redact = (url: string): string => {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid url)';
  }
};
