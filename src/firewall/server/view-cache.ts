import type { FirewallPolicy } from '../../policy/firewall/types.js';
import { abbreviateDocument } from '../registry/abbreviate.js';
import type { DocumentForm } from '../registry/negotiate.js';
import { rewriteTarballUrls, serialiseDocument, strongEtag } from '../registry/rewrite.js';
import type { ServerContext } from './context.js';
import type { PackageIntel } from './intel.js';
import { createLru } from './lru.js';
import { computeView, type PackumentView } from './packument-view.js';
import type { PackumentEntry } from './packuments.js';

/** A serialised document: the bytes sent and their ETag. */
export type Rendered = { body: Buffer; etag: string };

export type ViewCache = {
  /** The packument view of `name` now (upstream document fetched or revalidated as needed). */
  get: (name: string, clientAuth?: string) => Promise<PackumentView>;
  /** The bytes for one form, with tarball URLs under `tarballBase`. Cached with the view. */
  render: (
    view: PackumentView,
    form: DocumentForm,
    tarballBase: string | undefined,
    includeTime: boolean,
  ) => Rendered;
};

/** How long a computed view stands: release-age windows and intel change slowly. */
const VIEW_TTL_MS = 30_000;
/** Serialised forms kept per view (two forms × a few origins/prefixes). */
const RENDERED_PER_VIEW = 8;

type CachedView = { view: PackumentView; policyKey: string; at: number; rendered: Map<string, Rendered> };

/**
 * Views and their serialised bodies, so a warm packument request is a map lookup: a view is
 * recomputed when the upstream document changes, when waivers change, or after 30 s of the
 * firewall's clock (a version may have come of age).
 */
export const createViewCache = (ctx: ServerContext): ViewCache => {
  const views = createLru<string, CachedView>(
    ctx.limits.documentCacheEntries,
    ctx.limits.maxDocumentBytes * 4,
  );
  const byView = new WeakMap<PackumentView, CachedView>();

  const intelFor = async (name: string): Promise<{ intel?: PackageIntel; failure?: string }> => {
    try {
      return { intel: await ctx.intel.forPackage(name) };
    } catch (error) {
      return { failure: `intel lookup failed: ${(error as Error).message}` };
    }
  };

  const compute = async (
    name: string,
    entry: PackumentEntry,
    policy: FirewallPolicy,
    key: string,
    now: Date,
    cached: CachedView | undefined,
  ): Promise<PackumentView> => {
    const { intel, failure } = await intelFor(name);
    let view = computeView(entry, policy, now, {
      intel,
      ...(failure === undefined ? {} : { intelFailure: failure }),
      ...(ctx.analyser === undefined ? {} : { analyser: ctx.analyser }),
    });
    // The served bytes depend only on the document and what is hidden: when neither changed,
    // keep the bodies already serialised (a large packument takes a while to stringify).
    const same =
      cached !== undefined &&
      cached.view.entry.generation === entry.generation &&
      sameList(cached.view.hidden, view.hidden);
    if (same) view = { ...view, doc: cached.view.doc };
    const fresh: CachedView = {
      view,
      policyKey: key,
      at: now.getTime(),
      rendered: same ? cached.rendered : new Map(),
    };
    views.set(name, fresh, entry.bytes);
    byView.set(view, fresh);
    return view;
  };

  const computing = new Map<string, Promise<PackumentView>>();

  return {
    get: async (name, clientAuth) => {
      const entry = await ctx.packuments.get(name, clientAuth);
      const { policy, key } = ctx.policy();
      const now = ctx.now();
      const cached = views.get(name);
      if (
        cached &&
        cached.view.entry.generation === entry.generation &&
        cached.policyKey === key &&
        now.getTime() >= cached.at &&
        now.getTime() - cached.at < VIEW_TTL_MS
      ) {
        if (cached.view.entry === entry) return cached.view;
        // Same document, revalidated or served stale: the view stands, the entry is the new one.
        const view = { ...cached.view, entry };
        byView.set(view, cached);
        return view;
      }
      // Concurrent requests for a view not computed yet share one computation.
      const job = `${name}|${entry.generation}|${key}`;
      const pending = computing.get(job);
      if (pending) return pending;
      const promise = compute(name, entry, policy, key, now, cached).finally(() => computing.delete(job));
      computing.set(job, promise);
      return promise;
    },
    render: (view, form, tarballBase, includeTime) => {
      const holder = byView.get(view);
      const key = `${form}|${includeTime}|${tarballBase ?? 'upstream'}`;
      const hit = holder?.rendered.get(key);
      if (hit) return hit;
      const rewritten = tarballBase === undefined ? view.doc : rewriteTarballUrls(view.doc, tarballBase);
      const shaped = form === 'abbreviated' ? abbreviateDocument(rewritten, { includeTime }) : rewritten;
      const body = serialiseDocument(shaped);
      const rendered = { body, etag: strongEtag(body) };
      if (holder) {
        if (holder.rendered.size >= RENDERED_PER_VIEW)
          holder.rendered.delete(holder.rendered.keys().next().value!);
        holder.rendered.set(key, rendered);
        // The bodies count against the cache's bytes too (re-set only if the view is still the cached one).
        const name = holder.view.entry.name;
        if (views.peek(name) === holder) {
          let weight = holder.view.entry.bytes;
          for (const r of holder.rendered.values()) weight += r.body.byteLength;
          views.set(name, holder, weight);
        }
      }
      return rendered;
    },
  };
};

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((value, i) => value === b[i]);
