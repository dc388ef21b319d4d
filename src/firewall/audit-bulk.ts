import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import type { SemVer } from 'semver';
import type { Advisory, AffectedPackage, AffectedRange } from '../core/advisory.js';
import type { Severity } from '../core/severity.js';
import { isAffected, parseVersion } from '../intel/range.js';
import type { AdvisoryStore } from '../store/store.js';
import { readBoundedBody } from './request-body.js';
import { sendJson } from './server/respond.js';

/**
 * npm's bulk advisory endpoint (`POST /-/npm/v1/security/advisories/bulk`), answered from the local
 * intel database. npm (arborist's audit-report) sends `{ "<name>": ["<version>", …] }`, gzipped
 * with `content-encoding: gzip`; it then marks an installed version vulnerable when
 * `semver.satisfies(version, vulnerable_versions, { includePrerelease: true, loose: true })`, so
 * `vulnerable_versions` is built to agree exactly with OSV's range semantics (src/intel/range.ts).
 */

/** One advisory in npm's bulk response format. */
export type BulkAdvisory = {
  /** A number, as npm's own ids are (pnpm drops advisories whose id is not): see `bulkAdvisoryId`. */
  id: number;
  url: string;
  title: string;
  severity: 'critical' | 'high' | 'moderate' | 'low' | 'info';
  vulnerable_versions: string;
  cwe: string[];
  cvss: { score: number; vectorString: string | null };
};

export type AuditBulkAnswer = Record<string, BulkAdvisory[]>;

/** Largest body accepted, compressed and decompressed. */
export const MAX_AUDIT_BODY_BYTES = 16 * 1024 * 1024;

/** A request npm's endpoint would refuse: `status` is 400, 413 or 415. */
export class AuditBodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AuditBodyError';
  }
}

const DECODERS: Record<string, (bytes: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

/** The request body as JSON: decompressed (gzip, deflate, br or none) to at most `limit` bytes. */
export const decodeAuditBody = async (
  bytes: Uint8Array,
  contentEncoding: string | undefined,
  limit: number = MAX_AUDIT_BODY_BYTES,
): Promise<unknown> => {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  let raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (encoding !== 'identity' && encoding !== '') {
    const decode = DECODERS[encoding];
    if (!decode) throw new AuditBodyError(415, `content-encoding "${encoding}" is not supported`);
    try {
      raw = await decode(raw, { maxOutputLength: limit });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw new AuditBodyError(413, `the decompressed body is larger than ${limit} bytes`);
      throw new AuditBodyError(400, `the body is not valid ${encoding} (${(error as Error).message})`);
    }
  } else if (raw.length > limit) {
    throw new AuditBodyError(413, `the body is larger than ${limit} bytes`);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new AuditBodyError(400, `the body is not valid JSON (${(error as Error).message})`);
  }
};

/** Checks the request's shape: an object of package names to arrays of version strings. */
const readRequest = (body: unknown): Map<string, string[]> => {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new AuditBodyError(400, 'the body must be a JSON object of package names to version arrays');
  const wanted = new Map<string, string[]>();
  for (const [name, versions] of Object.entries(body)) {
    if (!Array.isArray(versions) || versions.some((v) => typeof v !== 'string'))
      throw new AuditBodyError(400, `"${name}" must map to an array of version strings`);
    if (versions.length > 0) wanted.set(name, [...new Set(versions as string[])]);
  }
  return wanted;
};

/**
 * The advisories affecting at least one of the requested versions of each package, in npm's
 * format; packages with none are left out. Withdrawn advisories never appear. Throws
 * AuditBodyError for a body of the wrong shape.
 */
export const answerAuditBulk = async (body: unknown, store: AdvisoryStore): Promise<AuditBulkAnswer> => {
  const matched = await matchAudit(readRequest(body), store);
  return Object.fromEntries([...matched].map(([name, list]) => [name, list.map((m) => m.bulk)]));
};

/** One advisory that affects a requested version: the whole record and its npm form. */
export type AuditMatch = { advisory: Advisory; bulk: BulkAdvisory };

/**
 * The advisories affecting at least one of `wanted`'s versions of each package, by package name
 * (sorted); packages with none are left out. Withdrawn advisories never match.
 */
export const matchAudit = async (
  wanted: ReadonlyMap<string, readonly string[]>,
  store: AdvisoryStore,
): Promise<Map<string, AuditMatch[]>> => {
  const out = new Map<string, AuditMatch[]>();
  if (wanted.size === 0) return out;
  const candidates = await store.matchCandidates(wanted.keys());
  const hits = new Map<string, string[]>();
  for (const [name, list] of candidates) {
    const versions = wanted.get(name) ?? [];
    for (const candidate of list) {
      const view = { ...candidate, affected: candidate.affected } as unknown as Advisory;
      if (versions.some((version) => isAffected(view, name, version))) {
        const ids = hits.get(name) ?? [];
        ids.push(candidate.id);
        hits.set(name, ids);
      }
    }
  }
  const records = await store.getAdvisories(new Set([...hits.values()].flat()));
  for (const name of [...hits.keys()].sort()) {
    const matches: AuditMatch[] = [];
    for (const id of hits.get(name)!) {
      const advisory = records.get(id);
      const bulk = advisory && toBulkAdvisory(advisory, name);
      if (advisory && bulk) matches.push({ advisory, bulk });
    }
    matches.sort((a, b) => a.bulk.url.localeCompare(b.bulk.url) || a.bulk.id - b.bulk.id);
    if (matches.length > 0) out.set(name, matches);
  }
  return out;
};

const NPM_SEVERITY: Record<Severity, BulkAdvisory['severity']> = {
  critical: 'critical',
  high: 'high',
  medium: 'moderate',
  low: 'low',
  none: 'info',
  // npm itself reads a missing severity as high.
  unknown: 'high',
};

/**
 * The numeric id of an advisory for one package: the first 48 bits of the SHA-256 of
 * `<OSV id> <package name>`, stable across runs and databases. Per package, because pnpm keys its
 * report by id and one OSV record can name several packages. The OSV id itself is in the `url`.
 */
export const bulkAdvisoryId = (osvId: string, name: string): number =>
  Number.parseInt(createHash('sha256').update(`${osvId} ${name}`).digest('hex').slice(0, 12), 16);

const toBulkAdvisory = (advisory: Advisory, name: string): BulkAdvisory | undefined => {
  const range = vulnerableVersions(advisory.affected.filter((pkg) => pkg.name === name));
  if (range === undefined) return undefined;
  const malware = advisory.kind === 'malware';
  return {
    id: bulkAdvisoryId(advisory.id, name),
    url: advisoryUrl(advisory),
    title: advisory.summary.trim() || (malware ? `Malicious code in ${name}` : `Vulnerability in ${name}`),
    severity: malware ? 'critical' : NPM_SEVERITY[advisory.severity.level],
    vulnerable_versions: range,
    cwe: [...advisory.cwes],
    cvss:
      advisory.severity.score !== undefined && advisory.severity.vector !== undefined
        ? { score: advisory.severity.score, vectorString: advisory.severity.vector }
        : { score: 0, vectorString: null },
  };
};

const advisoryUrl = (advisory: Advisory): string => {
  const ghsa = [advisory.id, ...advisory.aliases].find((id) => id.startsWith('GHSA-'));
  // pnpm reads the GHSA id out of this URL for `pnpm audit --ignore`.
  if (ghsa) return `https://github.com/advisories/${ghsa}`;
  return `https://osv.dev/vulnerability/${encodeURIComponent(advisory.id)}`;
};

type Bound = { at: SemVer | 'min'; inclusive: boolean };

/**
 * OSV `affected` blocks of one package as a semver range: each interval `>=introduced <fixed`
 * (`<=last_affected`), each listed version exactly, joined with `||`. Undefined when nothing is
 * affected. Mirrors `isAffected` event by event.
 */
export const vulnerableVersions = (blocks: AffectedPackage[]): string | undefined => {
  const sets = new Set<string>();
  for (const pkg of blocks) {
    for (const version of pkg.versions) {
      const parsed = parseVersion(version);
      if (parsed) sets.add(parsed.version);
    }
    for (const range of pkg.ranges) {
      for (const set of rangeSets(range, pkg)) sets.add(set);
    }
  }
  if (sets.size === 0) return undefined;
  if (sets.has('*')) return '*';
  return [...sets].join(' || ');
};

const KIND_ORDER = { introduced: 0, fixed: 1, last_affected: 1, limit: 2 } as const;
type Kind = keyof typeof KIND_ORDER;

const rangeSets = (range: AffectedRange, pkg: AffectedPackage): string[] => {
  if (range.type === 'GIT') return [];
  const events: { kind: Kind; at: SemVer | 'min' }[] = [];
  for (const event of range.events) {
    // The same precedence as range.ts when a malformed event sets several keys.
    const kind: Kind | undefined =
      event.introduced !== undefined
        ? 'introduced'
        : event.fixed !== undefined
          ? 'fixed'
          : event.last_affected !== undefined
            ? 'last_affected'
            : event.limit !== undefined
              ? 'limit'
              : undefined;
    if (kind === undefined) continue;
    const text = event[kind]!;
    if (kind === 'limit' && text === '*') continue;
    const at = kind === 'introduced' && text === '0' ? 'min' : parseVersion(text);
    if (at) events.push({ kind, at });
  }
  const compare = (a: SemVer | 'min', b: SemVer | 'min') =>
    a === 'min' ? (b === 'min' ? 0 : -1) : b === 'min' ? 1 : a.compare(b);
  events.sort((a, b) => compare(a.at, b.at) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);

  const intervals: { from: SemVer | 'min'; to?: Bound }[] = [];
  let open: SemVer | 'min' | undefined;
  for (const event of events) {
    if (event.kind === 'introduced') open ??= event.at;
    else if ((event.kind === 'fixed' || event.kind === 'last_affected') && open !== undefined) {
      intervals.push({ from: open, to: { at: event.at, inclusive: event.kind === 'last_affected' } });
      open = undefined;
    }
  }
  if (open !== undefined) {
    let to: Bound | undefined;
    const lastKnown = /^\s*(<=?)\s*(\S+)\s*$/.exec(pkg.lastKnownAffectedRange ?? '');
    const lastKnownAt = lastKnown ? parseVersion(lastKnown[2]!) : undefined;
    if (events.every((e) => e.kind === 'introduced') && lastKnownAt)
      to = { at: lastKnownAt, inclusive: lastKnown![1] === '<=' };
    intervals.push(to ? { from: open, to } : { from: open });
  }
  // Limits: a version must lie below at least one of them, i.e. below the highest.
  const limits = events.filter((e) => e.kind === 'limit').map((e) => e.at as SemVer);
  const limit = limits.sort((a, b) => b.compare(a))[0];

  const sets: string[] = [];
  for (const { from, to } of intervals) {
    const parts: string[] = [];
    if (from !== 'min') parts.push(`>=${from.version}`);
    if (to && to.at !== 'min') {
      // An empty interval (`introduced` = `fixed`) affects nothing.
      const order = from === 'min' ? -1 : from.compare(to.at);
      if (order > 0 || (order === 0 && !to.inclusive)) continue;
      parts.push(`${to.inclusive ? '<=' : '<'}${to.at.version}`);
    }
    if (limit) {
      if (from !== 'min' && from.compare(limit) >= 0) continue;
      parts.push(`<${limit.version}`);
    }
    sets.push(parts.length > 0 ? parts.join(' ') : '*');
  }
  return sets;
};

/**
 * Answers one bulk audit request: reads at most MAX_AUDIT_BODY_BYTES, decompresses, replies with
 * JSON. Without an intel database the reply is 503, so npm reports that the audit failed rather
 * than that nothing is vulnerable. Never throws.
 */
export const handleAuditBulk = (
  req: IncomingMessage,
  res: ServerResponse,
  store: AdvisoryStore | undefined,
): Promise<void> => answerAuditRequest(req, res, store, answerAuditBulk);

/**
 * Reads an audit request (bounded, decompressed, JSON), answers it with `answer`, replies JSON:
 * 400/413/415 for a bad body, 503 without an intel database. Never throws.
 */
export const answerAuditRequest = async (
  req: IncomingMessage,
  res: ServerResponse,
  store: AdvisoryStore | undefined,
  answer: (body: unknown, store: AdvisoryStore) => Promise<unknown>,
): Promise<void> => {
  try {
    const bytes = await readBoundedBody(
      req,
      MAX_AUDIT_BODY_BYTES,
      () => new AuditBodyError(413, `the body is larger than ${MAX_AUDIT_BODY_BYTES} bytes`),
    );
    const body = await decodeAuditBody(bytes, header(req.headers['content-encoding']));
    if (!store) {
      reply(res, 503, { error: 'no intel database; run `bulwark db update` or `bulwark db import`' });
      return;
    }
    reply(res, 200, await answer(body, store));
  } catch (error) {
    if (error instanceof AuditBodyError) reply(res, error.status, { error: error.message });
    else
      reply(res, 500, { error: `audit failed: ${error instanceof Error ? error.message : String(error)}` });
  }
};

const header = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(',') : value;

const reply = (res: ServerResponse, status: number, body: unknown): void =>
  sendJson(res.req, res, status, body, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...(status === 413 ? { connection: 'close' } : {}),
  });
