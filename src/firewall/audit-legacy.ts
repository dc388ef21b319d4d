import type { IncomingMessage, ServerResponse } from 'node:http';
import semver from 'semver';
import type { AdvisoryStore } from '../store/store.js';
import { AuditBodyError, type AuditMatch, answerAuditRequest, matchAudit } from './audit-bulk.js';

/**
 * npm 6's audit endpoints (`POST /-/npm/v1/security/audits` and `…/audits/quick`), which the
 * registry retired but pnpm 10 still calls (Yarn classic calls them too, but always on
 * registry.yarnpkg.com whatever its configured registry, so never here). The request is a dependency tree
 * (`{ requires, dependencies: { name: { version, dev, dependencies: … } } }`); the answer lists
 * advisories by id with the tree paths of each affected version. Matching is the bulk endpoint's.
 */

export type LegacyAdvisory = {
  id: number;
  title: string;
  module_name: string;
  vulnerable_versions: string;
  /** `<0.0.0` when no version is fixed (pnpm's and npm's "no fix" marker). */
  patched_versions: string;
  severity: 'critical' | 'high' | 'moderate' | 'low' | 'info';
  cwe: string;
  cves: string[];
  github_advisory_id: string;
  url: string;
  overview: string;
  recommendation: string;
  findings: { version: string; paths: string[] }[];
  created: string;
  updated: string;
  deleted: boolean;
  access: 'public';
  references: string;
  found_by: null;
  reported_by: null;
  metadata: null;
};

export type LegacyAuditReport = {
  actions: [];
  advisories: Record<string, LegacyAdvisory>;
  muted: [];
  metadata: {
    vulnerabilities: Record<LegacyAdvisory['severity'], number>;
    dependencies: number;
    devDependencies: number;
    optionalDependencies: number;
    totalDependencies: number;
  };
};

/** Paths kept per affected version; the rest are counted in `pnpm why`, not here. */
const MAX_PATHS = 100;
const MAX_DEPTH = 1000;

type TreeNode = { version?: unknown; dev?: unknown; dependencies?: unknown };

/** Every package version in the tree, with the paths (`a>b>c`) where it is installed. */
const walkTree = (body: unknown) => {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new AuditBodyError(400, 'the body must be a JSON object (an npm 6 audit tree)');
  const versions = new Map<string, Map<string, string[]>>();
  let dev = 0;
  let total = 0;
  const stack: { deps: unknown; path: string; depth: number }[] = [
    { deps: (body as TreeNode).dependencies, path: '', depth: 0 },
  ];
  while (stack.length > 0) {
    const { deps, path, depth } = stack.pop()!;
    if (deps === undefined || deps === null) continue;
    if (typeof deps !== 'object' || Array.isArray(deps))
      throw new AuditBodyError(400, `${path || 'the tree'}: "dependencies" must be an object`);
    if (depth > MAX_DEPTH) throw new AuditBodyError(400, `the tree is deeper than ${MAX_DEPTH} levels`);
    for (const [name, node] of Object.entries(deps as Record<string, TreeNode>)) {
      if (node === null || typeof node !== 'object' || Array.isArray(node))
        throw new AuditBodyError(400, `${path ? `${path}>` : ''}${name}: must be an object`);
      const here = path ? `${path}>${name}` : name;
      total++;
      if (node.dev === true) dev++;
      if (typeof node.version === 'string' && semver.valid(node.version) !== null) {
        const byVersion = versions.get(name) ?? new Map<string, string[]>();
        const paths = byVersion.get(node.version) ?? [];
        if (paths.length < MAX_PATHS) paths.push(here);
        byVersion.set(node.version, paths);
        versions.set(name, byVersion);
      }
      stack.push({ deps: node.dependencies, path: here, depth: depth + 1 });
    }
  }
  return { versions, dev, total };
};

/** The npm 6 audit answer for a dependency tree, from the local intel database. */
export const answerLegacyAudit = async (body: unknown, store: AdvisoryStore): Promise<LegacyAuditReport> => {
  const tree = walkTree(body);
  const wanted = new Map([...tree.versions].map(([name, byVersion]) => [name, [...byVersion.keys()]]));
  const matched = await matchAudit(wanted, store);
  const advisories: Record<string, LegacyAdvisory> = {};
  const vulnerabilities = { info: 0, low: 0, moderate: 0, high: 0, critical: 0 };
  for (const [name, matches] of matched) {
    for (const match of matches) {
      const findings = [...tree.versions.get(name)!]
        .filter(([version]) =>
          semver.satisfies(version, match.bulk.vulnerable_versions, { includePrerelease: true, loose: true }),
        )
        .map(([version, paths]) => ({ version, paths }));
      if (findings.length === 0) continue;
      advisories[String(match.bulk.id)] = toLegacy(match, name, findings);
      vulnerabilities[match.bulk.severity]++;
    }
  }
  return {
    actions: [],
    advisories,
    muted: [],
    metadata: {
      vulnerabilities,
      dependencies: tree.total - tree.dev,
      devDependencies: tree.dev,
      optionalDependencies: 0,
      totalDependencies: tree.total,
    },
  };
};

/** What is not vulnerable above the last affected range: `>=fixed`, `>last_affected`, or none. */
export const patchedVersions = (vulnerable: string): string => {
  const last = vulnerable.split('||').at(-1)!.trim();
  const lte = /(?:^|\s)<=(\S+)$/.exec(last);
  if (lte) return `>${lte[1]}`;
  const lt = /(?:^|\s)<(\S+)$/.exec(last);
  if (lt) return `>=${lt[1]}`;
  return '<0.0.0';
};

const toLegacy = (
  { advisory, bulk }: AuditMatch,
  name: string,
  findings: LegacyAdvisory['findings'],
): LegacyAdvisory => {
  const patched = patchedVersions(bulk.vulnerable_versions);
  const ghsa = [advisory.id, ...advisory.aliases].find((id) => id.startsWith('GHSA-')) ?? '';
  return {
    id: bulk.id,
    title: bulk.title,
    module_name: name,
    vulnerable_versions: bulk.vulnerable_versions,
    patched_versions: patched,
    severity: bulk.severity,
    cwe: bulk.cwe.join(', '),
    cves: [advisory.id, ...advisory.aliases].filter((id) => id.startsWith('CVE-')),
    github_advisory_id: ghsa,
    url: bulk.url,
    overview: advisory.details?.trim() || advisory.summary,
    recommendation:
      advisory.kind === 'malware'
        ? `Remove ${name}: it is malware (${advisory.id})`
        : patched === '<0.0.0'
          ? 'None'
          : patched.startsWith('>=')
            ? `Upgrade to version ${patched.slice(2)} or later`
            : `Upgrade to a version above ${patched.slice(1)}`,
    findings,
    created: advisory.published ?? advisory.modified,
    updated: advisory.modified,
    deleted: false,
    access: 'public',
    references: advisory.references.map((r) => `- ${r.url}`).join('\n'),
    found_by: null,
    reported_by: null,
    metadata: null,
  };
};

/**
 * Answers one npm 6 audit request (`/-/npm/v1/security/audits` or `…/audits/quick`): bounded,
 * gzip or plain, JSON reply; 503 without an intel database. Never throws.
 */
export const handleLegacyAudit = (
  req: IncomingMessage,
  res: ServerResponse,
  store: AdvisoryStore | undefined,
): Promise<void> => answerAuditRequest(req, res, store, answerLegacyAudit);
