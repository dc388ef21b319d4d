import type { IncomingMessage, ServerResponse } from 'node:http';

/** Sends a body (none for HEAD) with its length. */
export const send = (
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  body: Uint8Array | string,
  statusMessage?: string,
): void => {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const all = { ...headers, 'content-length': bytes.byteLength };
  if (statusMessage === undefined) res.writeHead(status, all);
  else res.writeHead(status, statusMessage, all);
  res.end(req.method === 'HEAD' ? undefined : bytes);
};

/** A one-line JSON error: `{"error": "..."}`. */
export const sendError = (req: IncomingMessage, res: ServerResponse, status: number, message: string): void =>
  send(
    req,
    res,
    status,
    { 'content-type': 'application/json', 'cache-control': 'no-store' },
    JSON.stringify({ error: oneLine(message) }),
  );

export const sendJson = (
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void => send(req, res, status, { 'content-type': 'application/json', ...headers }, JSON.stringify(value));

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 2000);

/** Request headers never forwarded (RFC 9110 §7.6.1 hop-by-hop, plus what the proxy sets itself). */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);
