import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { ServerContext } from './context.js';
import { sendUpstreamFailure } from './documents.js';
import { HOP_BY_HOP } from './respond.js';

const BODYLESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/**
 * Forwards a request the firewall does not inspect (keys, attestations, search, whoami, login,
 * other `/-/` endpoints) to the default upstream as it came: method, body and headers, minus
 * hop-by-hop headers; the client's Authorization goes through, else the one configured for
 * the upstream. The answer is streamed back unchanged.
 */
export const passThrough = async (
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> => {
  const url = `${ctx.upstreams.base}${path.replace(/^\/+/, '')}`;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(key)) continue;
    headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (headers.authorization === undefined) {
    const auth = ctx.upstreams.authFor(url);
    if (auth) headers.authorization = auth;
  }
  const method = (req.method ?? 'GET').toUpperCase();
  let upstream: Awaited<ReturnType<ServerContext['upstream']['stream']>>;
  try {
    upstream = await ctx.upstream.stream(url, {
      method,
      headers,
      ...(BODYLESS.has(method) ? {} : { body: req }),
    });
  } catch (error) {
    sendUpstreamFailure(ctx, req, res, error);
    return;
  }
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(upstream.headers)) {
    if (value === undefined || HOP_BY_HOP.has(key)) continue;
    out[key] = value;
  }
  res.writeHead(upstream.status, out);
  try {
    await pipeline(upstream.body, res);
  } catch {
    // the client went away or the upstream broke off: nothing more to send
    upstream.body.destroy();
    res.destroy();
  }
};
