import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord } from '../../core/shape.js';
import { decide } from '../../policy/firewall/decide.js';
import { denyResponse, RULE_HEADER } from '../../policy/firewall/deny-response.js';
import type { Decision, Subject } from '../../policy/firewall/types.js';
import type { RegistryDocument } from '../registry/document.js';
import { canonicalTarballPath } from '../registry/rewrite.js';
import type { RequestInfo, ServerContext } from './context.js';
import { authorizationOf, sendUpstreamFailure } from './documents.js';
import type { PackumentView } from './packument-view.js';
import { toRecord } from './recorder.js';
import { send, sendError } from './respond.js';
import { IntegrityMismatch } from './tarball-store.js';
import type { ViewCache } from './view-cache.js';

/**
 * A tarball: decided on the packument first (a version already denied or hidden is refused
 * before any bytes are fetched), then fetched or read from the disk cache, verified against the
 * packument's integrity, analysed, decided again with the verdict, and sent byte for byte.
 * Every tarball decision is recorded, allows included, so the log shows what was installed.
 */
export const serveTarball = async (
  ctx: ServerContext,
  views: ViewCache,
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  name: string,
  version: string,
): Promise<void> => {
  const clientAuth = authorizationOf(req);
  const view = await views.get(name, clientAuth);
  const { doc } = view.entry;
  const { policy } = ctx.policy();
  const spec = `${name}@${version}`;
  const refuse = (decision: Decision) => {
    const enforced: Decision = decision.action === 'hide' ? { ...decision, action: 'deny' } : decision;
    ctx.recorder.record(toRecord(enforced, info.requester, name, version, 'tarball', ctx.now()));
    const denied = denyResponse(name, version, enforced, policy.file);
    send(req, res, denied.status, denied.headers, denied.body, denied.statusMessage);
  };

  const manifest = doc.versions[version];
  if (manifest === undefined) {
    // Listed in `time` but not in `versions`: unpublished (or hidden upstream).
    if (doc.time?.[version] !== undefined) {
      const decision = decide(policy, { name, version, unpublished: true }, ctx.now());
      if (decision.action === 'deny' || decision.action === 'hide') {
        refuse(decision);
        return;
      }
    }
    sendError(req, res, 404, `${spec}: no such version`);
    return;
  }

  const early = view.decisions.get(version)!;
  if (early.action === 'deny' || early.action === 'hide') {
    refuse(early);
    return;
  }

  const subject: Subject = { ...view.subjects.get(version)!, failures: [...view.failures] };
  const integrity = view.integrities.get(version);
  if (integrity === undefined) {
    subject.failures!.push('the packument gives no integrity for this tarball');
    const decision = decide(policy, subject, ctx.now());
    if (decision.action === 'deny' || decision.action === 'hide') refuse(decision);
    else sendError(req, res, 502, `bulwark firewall: ${spec}: no integrity in the upstream packument`);
    return;
  }

  const url = tarballUrlOf(view, version);
  const headers: Record<string, string> = {};
  const auth = ctx.upstreams.authFor(url) ?? (url.startsWith(view.entry.base) ? clientAuth : undefined);
  if (auth) headers.authorization = auth;
  // Bytes not yet in memory are held from the fetch until the answer: a bounded number at once.
  const release = ctx.tarballs.peek(integrity) === undefined ? await ctx.coldTarballs.acquire() : () => {};
  try {
    let bytes: Buffer;
    try {
      ({ bytes } = await ctx.tarballs.get({ what: spec, integrity, url, headers }));
    } catch (error) {
      const reason =
        error instanceof IntegrityMismatch
          ? `the upstream tarball does not match the packument's integrity (expected ${error.expected}, got ${error.actual})`
          : `the tarball could not be fetched: ${(error as Error).message}`;
      ctx.recorder.record(
        toRecord(
          { action: 'deny', rule: 'checkFailed', reason, waivable: false, matches: [], expired: [] },
          info.requester,
          name,
          version,
          'tarball',
          ctx.now(),
        ),
      );
      if (error instanceof IntegrityMismatch) {
        sendError(req, res, 502, `bulwark firewall: ${spec}: ${reason}; not served`);
        return;
      }
      sendUpstreamFailure(ctx, req, res, error);
      return;
    }

    if (ctx.analyser) {
      const part = await ctx.analyser.analyse(name, version, integrity, bytes);
      if (part.analysis) subject.analysis = part.analysis;
      if (part.failures) subject.failures!.push(...part.failures);
    }
    if (subject.failures!.length === 0) delete subject.failures;
    const decision = decide(policy, subject, ctx.now());
    if (decision.action === 'deny' || decision.action === 'hide') {
      refuse(decision);
      return;
    }
    ctx.recorder.record(toRecord(decision, info.requester, name, version, 'tarball', ctx.now()));
    const out: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (decision.action === 'warn' && decision.rule) {
      out[RULE_HEADER] = decision.rule;
      out['x-bulwark-action'] = 'warn';
    }
    send(req, res, 200, out, bytes);
  } finally {
    release();
  }
};

// Upstream tarball URLs per document, parsed once (documents are replaced, never changed).
const urls = new WeakMap<RegistryDocument, Map<string, string>>();

const tarballUrlOf = (view: PackumentView, version: string): string => {
  const { doc, base } = view.entry;
  let known = urls.get(doc);
  if (known === undefined) {
    known = new Map();
    urls.set(doc, known);
  }
  let url = known.get(version);
  if (url === undefined) {
    url = upstreamTarballUrl(doc.versions[version]?.dist, base, doc.name, version);
    known.set(version, url);
  }
  return url;
};

/** The upstream URL of a tarball: the packument's `dist.tarball`, else the canonical path on its registry. */
const upstreamTarballUrl = (dist: unknown, base: string, name: string, version: string): string => {
  const given = isRecord(dist) && typeof dist.tarball === 'string' ? dist.tarball : undefined;
  if (given !== undefined && /^https?:\/\//i.test(given)) {
    try {
      return new URL(given).href;
    } catch {
      // fall through to the canonical path
    }
  }
  return `${base}${canonicalTarballPath(name, version).slice(1)}`;
};
