import { createHash } from 'node:crypto';
import { isRecord } from '../../core/shape.js';
import { type RegistryDocument, unscopedName, type VersionDocument } from './document.js';
import { classifyRequest } from './routes.js';

/**
 * Points every `dist.tarball` at the firewall. The path shape after the registry base is kept
 * (`/@scope/name/-/…` or `/@scope%2fname/-/…`, whatever the upstream used), so a path prefix on
 * the upstream (`/api/npm/repo/`) is dropped and the firewall's own prefix, if any, is used.
 * A tarball URL that is not a registry tarball path for this version's package (a CDN, another
 * package's file) is replaced by the canonical `/<name>/-/<name>-<version>.tgz`: a client must
 * never be handed a URL that bypasses the firewall. Everything else in `dist` (integrity,
 * shasum, signatures, attestations) is untouched; the input is not modified.
 */
export const rewriteTarballUrls = (doc: RegistryDocument, origin: string): RegistryDocument => {
  const base = origin.replace(/\/+$/, '');
  const versions: Record<string, VersionDocument> = {};
  for (const [key, version] of Object.entries(doc.versions)) {
    const dist = version.dist;
    if (!isRecord(dist)) {
      versions[key] = version;
      continue;
    }
    const tarball = typeof dist.tarball === 'string' ? dist.tarball : undefined;
    const suffix = tarball === undefined ? undefined : tarballPathSuffix(tarball, doc.name, key);
    const path = suffix ?? canonicalTarballPath(doc.name, key);
    versions[key] = { ...version, dist: { ...dist, tarball: `${base}${path}` } };
  }
  return { ...doc, versions };
};

/** `/<name>/-/<unscoped>-<version>.tgz`, the shape the public registry publishes. */
export const canonicalTarballPath = (name: string, version: string): string =>
  `/${name}/-/${unscopedName(name)}-${encodeURIComponent(version)}.tgz`;

/** The raw path from the package name on, when `url` is a tarball of `name@version`. */
const tarballPathSuffix = (url: string, name: string, version: string): string | undefined => {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const segments = pathname.split('/');
  const dash = segments.length - 2;
  if (dash < 2 || segments[dash] !== '-') return undefined;
  // Two segments for `@scope/name`, one for `name` or `@scope%2fname`.
  const before = segments[dash - 2];
  const start = before?.startsWith('@') && !/%2f/i.test(before) && dash - 2 >= 1 ? dash - 2 : dash - 1;
  const suffix = `/${segments.slice(start).join('/')}`;
  const route = classifyRequest('GET', suffix);
  if (route.kind !== 'tarball' || route.name !== name || route.version !== version) return undefined;
  return suffix;
};

export type HideRequest = {
  /** Versions to remove from the document. */
  hide: readonly string[];
  /**
   * The dist-tags to serve, replacing the upstream ones (computed by the policy). When absent,
   * the upstream tags are kept. Either way a tag pointing at a version not served is dropped.
   */
  distTags?: Readonly<Record<string, string>>;
};

/**
 * Removes versions from a document (full or abbreviated) and re-points dist-tags. Hidden
 * versions are also removed from `time`: to the client they are not published yet, and tools
 * that read `time` (release-age gates, `npm view`, Renovate) then agree with `versions`.
 * `time.created` and `time.modified` stay. Returns the input itself when nothing changes, so
 * callers can tell whether the body (and its validator) changed.
 */
export const hideVersions = (doc: RegistryDocument, request: HideRequest): RegistryDocument => {
  const hidden = new Set(request.hide.filter((v) => Object.hasOwn(doc.versions, v)));
  const sourceTags = request.distTags ?? doc['dist-tags'];
  const versions = Object.fromEntries(Object.entries(doc.versions).filter(([v]) => !hidden.has(v)));
  const tags = Object.fromEntries(
    Object.entries(sourceTags).filter(([, v]) => Object.hasOwn(versions, v)),
  ) as Record<string, string>;
  if (hidden.size === 0 && sameRecord(tags, doc['dist-tags'])) return doc;
  const out: RegistryDocument = { ...doc, 'dist-tags': tags, versions };
  if (doc.time !== undefined) {
    out.time = Object.fromEntries(Object.entries(doc.time).filter(([k]) => !hidden.has(k)));
  }
  return out;
};

const sameRecord = (a: Record<string, string>, b: Record<string, string>): boolean => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
};

/** Serialises a document as sent to clients. */
export const serialiseDocument = (doc: RegistryDocument): Buffer => Buffer.from(JSON.stringify(doc), 'utf8');

/**
 * A strong ETag for the exact bytes sent. The firewall always sends its own body (tarball URLs
 * are rewritten, versions may be hidden, the form may be abbreviated), so the upstream ETag and
 * Last-Modified are never forwarded for documents: a client revalidating with an upstream
 * validator must not get a 304 for a body that differs from what it was sent.
 */
export const strongEtag = (body: Uint8Array | string): string =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

/** Upstream response headers that describe the upstream body; drop them when sending a body of our own. */
export const UPSTREAM_BODY_HEADERS = [
  'etag',
  'last-modified',
  'content-md5',
  'digest',
  'content-length',
] as const;

/**
 * Whether an `If-None-Match` header matches `etag` (RFC 9110 §13.1.2): `*` matches any current
 * representation; otherwise a comma-separated list of entity tags compared weakly (`W/"x"`
 * matches `"x"`). A malformed header matches nothing, so the client gets the full response.
 */
export const ifNoneMatchMatches = (header: string | undefined, etag: string): boolean => {
  if (header === undefined) return false;
  const trimmed = header.trim();
  if (trimmed === '*') return true;
  const target = opaqueTag(etag);
  if (target === undefined) return false;
  const tags = trimmed.match(/(?:W\/)?"[^"]*"/g) ?? [];
  return tags.some((tag) => opaqueTag(tag) === target);
};

const opaqueTag = (tag: string): string | undefined => {
  const match = /^(?:W\/)?("[^"]*")$/.exec(tag.trim());
  return match?.[1];
};
