import type { IncomingMessage, ServerResponse } from 'node:http';
import { denyResponse } from '../../policy/firewall/deny-response.js';
import { isUpstreamDocumentError } from '../registry/document.js';
import { contentTypeFor, negotiateDocumentForm } from '../registry/negotiate.js';
import { ifNoneMatchMatches, rewriteTarballUrls } from '../registry/rewrite.js';
import { distTagsView, versionView } from '../registry/views.js';
import type { RequestInfo, ServerContext } from './context.js';
import { PackageNotFound } from './packuments.js';
import { toRecord } from './recorder.js';
import { send, sendError, sendJson } from './respond.js';
import { isUpstreamError } from './upstream.js';
import type { ViewCache } from './view-cache.js';

/** At most this many hidden versions are recorded per packument request. */
const MAX_HIDDEN_RECORDS = 50;

/**
 * `GET /<name>`: the full or abbreviated document as the policy lets the client see it. Hidden
 * versions are recorded (they change what the client resolves); warnings and denials are
 * recorded when a tarball is asked for, where they take effect.
 */
export const servePackument = async (
  ctx: ServerContext,
  views: ViewCache,
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  name: string,
): Promise<void> => {
  const view = await views.get(name, authorizationOf(req));
  const form = negotiateDocumentForm(req.headers.accept);
  // pnpm reads `time` for its own release-age checks; Verdaccio sends it in the abbreviated form too.
  const includeTime = info.requester.client === 'pnpm';
  const { body, etag } = views.render(view, form, info.tarballBase, includeTime);
  const now = ctx.now();
  for (const version of view.hidden.slice(0, MAX_HIDDEN_RECORDS)) {
    ctx.recorder.record(
      toRecord(view.decisions.get(version)!, info.requester, name, version, 'packument', now),
    );
  }
  const headers: Record<string, string> = {
    'content-type': contentTypeFor(form),
    etag,
    vary: 'Accept',
    'cache-control': 'no-cache',
  };
  if (view.entry.stale)
    headers.warning = '110 bulwark "served from cache: the upstream registry is unavailable"';
  if (ifNoneMatchMatches(headerOf(req, 'if-none-match'), etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  send(req, res, 200, headers, body);
};

/** `GET /<name>/<version-or-tag>`: one version from the served document; a denied one is a 403. */
export const serveVersion = async (
  ctx: ServerContext,
  views: ViewCache,
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  name: string,
  spec: string,
): Promise<void> => {
  const view = await views.get(name, authorizationOf(req));
  const found = versionView(view.doc, spec);
  if (found === undefined || typeof found.version !== 'string') {
    sendError(req, res, 404, `${name}@${spec}: no such version`);
    return;
  }
  const decision = view.decisions.get(found.version);
  if (decision?.action === 'deny') {
    ctx.recorder.record(toRecord(decision, info.requester, name, found.version, 'version', ctx.now()));
    const denied = denyResponse(name, found.version, decision, ctx.options.policy.file);
    send(req, res, denied.status, denied.headers, denied.body, denied.statusMessage);
    return;
  }
  const served =
    info.tarballBase === undefined
      ? found
      : rewriteTarballUrls({ name, 'dist-tags': {}, versions: { [found.version]: found } }, info.tarballBase)
          .versions[found.version];
  sendJson(req, res, 200, served, { 'cache-control': 'no-cache' });
};

/** `GET /-/package/<name>/dist-tags[/<tag>]` from the served document. */
export const serveDistTags = async (
  views: ViewCache,
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  tag: string | undefined,
): Promise<void> => {
  const view = await views.get(name, authorizationOf(req));
  const tags = distTagsView(view.doc, tag);
  if (tags === undefined) {
    sendError(req, res, 404, `${name}: no dist-tag ${tag}`);
    return;
  }
  sendJson(req, res, 200, tags, { 'cache-control': 'no-cache' });
};

/**
 * The answer when the upstream gave nothing usable: 404 (or the upstream's 401/403) for a
 * package it does not have, 504 for a timeout, 502 for anything else. One line of JSON.
 */
export const sendUpstreamFailure = (
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
): void => {
  if (error instanceof PackageNotFound) {
    sendError(req, res, error.status, error.message);
    return;
  }
  if (isUpstreamError(error)) {
    // The upstream's own "not found" or "not allowed" is the client's answer too; its outages are ours.
    const passed =
      error.status === 404 || error.status === 401 || error.status === 403 ? error.status : undefined;
    sendError(
      req,
      res,
      passed ?? (error.problem === 'timeout' ? 504 : 502),
      `bulwark firewall: ${error.message}`,
    );
    return;
  }
  if (isUpstreamDocumentError(error)) {
    sendError(req, res, 502, `bulwark firewall: the upstream sent an unusable document: ${error.message}`);
    return;
  }
  ctx.warn(`internal error: ${(error as Error).stack ?? String(error)}`);
  sendError(req, res, 500, `bulwark firewall: internal error: ${(error as Error).message}`);
};

export const headerOf = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

export const authorizationOf = (req: IncomingMessage): string | undefined => headerOf(req, 'authorization');
