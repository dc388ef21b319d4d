/**
 * The firewall's admin API, mounted under `/-/bulwark/admin/` only when an admin token is set.
 *
 * Contract for the server: for every request whose path `adminPathOf(path)` recognises, call
 * `handleAdminRequest(req, res, ctx)` (it reads the body, authenticates and always answers).
 * Without a token, do not call it: those paths are then answered like any unknown path.
 *
 *   GET    decisions?package=&action=deny,hide&rule=&client=&project=&session=&since=24h&limit=
 *                                → 200 { decisions: DecisionRecord[] }   (newest first)
 *   GET    waivers               → 200 { waivers: StoredWaiver[] }
 *   POST   waivers  {waiver}     → 201 { waiver: StoredWaiver }
 *   DELETE waivers/<id>          → 200 { removed: "<id>" } | 404
 *   GET    policy                → 200 { policy, waivers }                (when the server passes it)
 *
 * Every request needs `Authorization: Bearer <token>` (401 otherwise). Errors are
 * `{ "error": "<one line>" }` with 400, 401, 404, 405, 413 or 415.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InputError } from '../core/errors.js';
import type { FirewallPolicy } from '../policy/firewall/types.js';
import { parseDecisionQuery, type RawDecisionQuery } from './decision-log.js';
import { readBoundedBody } from './request-body.js';
import { send as sendBytes } from './server/respond.js';
import type { DecisionLog, WaiverStore } from './types.js';
import { WaiverError } from './waiver-store.js';

export const ADMIN_PREFIX = '/-/bulwark/admin/';
export const MAX_ADMIN_BODY_BYTES = 64 * 1024;

export type AdminContext = {
  token: string;
  waivers: WaiverStore;
  decisionLog: DecisionLog;
  /** The policy in force, for `GET policy`. */
  policy?: FirewallPolicy;
  now?: () => Date;
};

/**
 * The admin sub-path of a request target (`decisions`, `waivers`, `waivers/w-1a2b`), without the
 * query string; undefined when the target is not under `/-/bulwark/admin`.
 */
export const adminPathOf = (target: string): string | undefined => {
  const path = target.split('?', 1)[0]!;
  if (path === ADMIN_PREFIX.slice(0, -1)) return '';
  return path.startsWith(ADMIN_PREFIX) ? path.slice(ADMIN_PREFIX.length).replace(/\/+$/, '') : undefined;
};

const QUERY_FIELDS = ['package', 'action', 'rule', 'client', 'project', 'session', 'since', 'limit'] as const;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Answers one admin request. `subPath` defaults to `adminPathOf(req.url)`. Never throws. */
export const handleAdminRequest = async (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: AdminContext,
  subPath: string | undefined = adminPathOf(req.url ?? ''),
): Promise<void> => {
  try {
    if (!authorised(req.headers.authorization, ctx.token))
      throw new HttpError(401, 'missing or wrong admin token (Authorization: Bearer <token>)', {
        'www-authenticate': 'Bearer realm="bulwark-admin"',
      });
    const { status, body } = await route(req, ctx, subPath ?? '');
    send(res, status, body);
  } catch (error) {
    if (error instanceof HttpError) {
      send(res, error.status, { error: error.message }, error.headers);
    } else {
      send(res, 500, { error: `internal error: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
};

const route = async (
  req: IncomingMessage,
  ctx: AdminContext,
  subPath: string,
): Promise<{ status: number; body: unknown }> => {
  const method = req.method ?? 'GET';
  const segments = subPath === '' ? [] : subPath.split('/');
  const allow = (methods: string[]) => {
    if (!methods.includes(method))
      throw new HttpError(405, `${method} is not allowed here (allowed: ${methods.join(', ')})`, {
        allow: methods.join(', '),
      });
  };
  const url = new URL(req.url ?? '/', 'http://admin.invalid');

  if (segments.length === 1 && segments[0] === 'decisions') {
    allow(['GET', 'HEAD']);
    const query = decisionQuery(url.searchParams, ctx.now?.() ?? new Date());
    return { status: 200, body: { decisions: ctx.decisionLog.query(query) } };
  }
  if (segments.length === 1 && segments[0] === 'waivers') {
    allow(['GET', 'HEAD', 'POST']);
    if (method === 'POST') {
      const input = await readJson(req);
      try {
        return { status: 201, body: { waiver: ctx.waivers.add(input as never) } };
      } catch (error) {
        if (error instanceof WaiverError) throw new HttpError(400, `bad waiver: ${error.message}`);
        throw error;
      }
    }
    return { status: 200, body: { waivers: ctx.waivers.list() } };
  }
  if (segments.length === 2 && segments[0] === 'waivers') {
    allow(['DELETE']);
    let id: string;
    try {
      id = decodeURIComponent(segments[1]!);
    } catch {
      throw new HttpError(400, `"${segments[1]}" is not a valid waiver id`);
    }
    if (!ctx.waivers.remove(id)) throw new HttpError(404, `no waiver with id "${id}"`);
    return { status: 200, body: { removed: id } };
  }
  if (segments.length === 1 && segments[0] === 'policy' && ctx.policy) {
    allow(['GET', 'HEAD']);
    return { status: 200, body: { policy: ctx.policy, waivers: ctx.waivers.list() } };
  }
  throw new HttpError(404, `no admin endpoint "${subPath}" (decisions, waivers, waivers/<id>)`);
};

/** Compares digests so that neither the token's content nor its length leaks through timing. */
const authorised = (header: string | undefined, token: string): boolean => {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  const given = createHash('sha256')
    .update(match?.[1] ?? '')
    .digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) && match !== null && token.length > 0;
};

const decisionQuery = (params: URLSearchParams, now: Date) => {
  const raw: RawDecisionQuery = {};
  for (const key of params.keys()) {
    if (!(QUERY_FIELDS as readonly string[]).includes(key))
      throw new HttpError(400, `unknown query parameter "${key}" (allowed: ${QUERY_FIELDS.join(', ')})`);
  }
  for (const field of QUERY_FIELDS) {
    const values = params.getAll(field);
    if (values.length === 0) continue;
    if (field === 'action') raw.action = values;
    else if (values.length > 1) throw new HttpError(400, `query parameter "${field}" given more than once`);
    else raw[field] = values[0]!;
  }
  try {
    return parseDecisionQuery(raw, now);
  } catch (error) {
    if (error instanceof InputError) throw new HttpError(400, error.message);
    throw error;
  }
};

/** The request body as JSON, at most MAX_ADMIN_BODY_BYTES. */
const readJson = async (req: IncomingMessage): Promise<unknown> => {
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type))
    throw new HttpError(415, `send the waiver as application/json, not ${type}`);
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity')
    throw new HttpError(415, `content-encoding ${encoding} is not accepted`);
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_ADMIN_BODY_BYTES)
    throw new HttpError(413, `the body is larger than ${MAX_ADMIN_BODY_BYTES} bytes`, {
      connection: 'close',
    });
  const bytes = await readBoundedBody(
    req,
    MAX_ADMIN_BODY_BYTES,
    () =>
      new HttpError(413, `the body is larger than ${MAX_ADMIN_BODY_BYTES} bytes`, {
        connection: 'close',
      }),
  );
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'the body is empty; send the waiver as JSON');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `the body is not valid JSON (${(error as Error).message})`);
  }
};

const send = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void =>
  sendBytes(
    res.req,
    res,
    status,
    { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    `${JSON.stringify(body, null, 2)}\n`,
  );
