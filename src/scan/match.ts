import { compare, minVersion, valid, validRange } from 'semver';
import type { Advisory } from '../core/advisory.js';
import type { DepNode } from '../core/graph.js';
import { isLocalNode } from '../core/graph.js';
import { compareSeverity } from '../core/severity.js';
import { fixedIn, isAffected } from '../intel/range.js';
import type { MatchCandidate } from '../store/store.js';

/** Advisories that describe one issue (linked through ids and aliases), affecting one node. */
export type AdvisoryGroup = {
  node: DepNode;
  /** Representative advisory: malware first, then the most severe, then GHSA before other ids. */
  primary: Advisory;
  advisories: Advisory[];
  /** Every id and alias of the group except the primary id, sorted. */
  aliases: string[];
  /** The lowest version that fixes every advisory of the group, when all of them have a fix. */
  fixedIn?: string;
};

/** A node and the advisories (whole records, or match views) whose ranges include its version. */
export type NodeHits = { node: DepNode; hits: Advisory[] };

/** Every matchable node against the advisories for its name: range, version list or tarball hash. */
export const findHits = (nodes: Iterable<DepNode>, advisoriesByName: Map<string, Advisory[]>): NodeHits[] => {
  const out: NodeHits[] = [];
  for (const node of nodes) {
    if (!isMatchable(node)) continue;
    const candidates = advisoriesByName.get(node.name);
    if (!candidates || candidates.length === 0) continue;
    const version = matchVersion(node)!;
    const hits = candidates.filter(
      (advisory) => isAffected(advisory, node.name, version) || matchesIntegrity(advisory, node),
    );
    if (hits.length > 0) out.push({ node, hits });
  }
  return out;
};

/**
 * Groups each node's hits by alias into findings. `records` holds the whole records of the hits
 * found on match views; a hit without one is used as it is.
 */
export const groupHits = (
  hits: NodeHits[],
  records: ReadonlyMap<string, Advisory> = new Map(),
): AdvisoryGroup[] =>
  hits.flatMap(({ node, hits: advisories }) =>
    groupByAliases(advisories.map((advisory) => records.get(advisory.id) ?? advisory)).map((members) =>
      makeGroup(node, members),
    ),
  );

/** A match candidate seen as an advisory with ranges only (no prose), for the range functions. */
export const candidateAdvisory = (candidate: MatchCandidate): Advisory => {
  const advisory: Advisory = {
    id: candidate.id,
    aliases: [],
    modified: '',
    summary: '',
    kind: candidate.kind,
    severity: { level: 'unknown', source: 'none' },
    affected: candidate.affected,
    references: [],
    cwes: [],
  };
  if (candidate.withdrawn !== undefined) advisory.withdrawn = candidate.withdrawn;
  if (candidate.integrity !== undefined) advisory.integrity = candidate.integrity;
  return advisory;
};

/**
 * Registry packages, and tarballs from other hosts (a private mirror not named in .npmrc still
 * serves the same name@version). Git and folder dependencies have no registry identity.
 */
export const isMatchable = (node: DepNode): boolean =>
  !isLocalNode(node) &&
  (node.source === 'registry' || node.source === 'tarball') &&
  matchVersion(node) !== undefined;

/**
 * The version a node is matched at: its installed version, or, for a range declared in a
 * package.json without a lockfile, the lowest version the range admits (what a fresh install of
 * an old range can still resolve to is unknown; the floor is what the project says it accepts).
 */
export const matchVersion = (node: DepNode): string | undefined => {
  if (node.declaredRange) {
    try {
      return validRange(node.version) ? (minVersion(node.version)?.version ?? undefined) : undefined;
    } catch {
      return undefined;
    }
  }
  return valid(node.version) ?? undefined;
};

/** OpenSSF entries can carry the SRI hash of the bad tarball: a match is malware whatever the version says. */
const matchesIntegrity = (advisory: Advisory, node: DepNode): boolean =>
  advisory.withdrawn === undefined &&
  node.integrity !== undefined &&
  advisory.integrity?.includes(node.integrity) === true;

const groupByAliases = (advisories: Advisory[]): Advisory[][] => {
  if (advisories.length <= 1) return advisories.map((a) => [a]);
  // Union-find over every id and alias.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string) => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    parent.set(find(a), find(b));
  };
  for (const advisory of advisories) {
    union(advisory.id, advisory.id);
    for (const alias of advisory.aliases) union(advisory.id, alias);
  }
  const byRoot = new Map<string, Advisory[]>();
  for (const advisory of advisories) {
    const root = find(advisory.id);
    const list = byRoot.get(root);
    if (list) list.push(advisory);
    else byRoot.set(root, [advisory]);
  }
  return [...byRoot.values()];
};

const idRank = (id: string): number => {
  if (id.startsWith('MAL-')) return 0;
  if (id.startsWith('GHSA-')) return 1;
  if (id.startsWith('CVE-')) return 2;
  return 3;
};

const makeGroup = (node: DepNode, advisories: Advisory[]): AdvisoryGroup => {
  const sorted = [...advisories].sort(
    (a, b) =>
      Number(b.kind === 'malware') - Number(a.kind === 'malware') ||
      compareSeverity(a.severity.level, b.severity.level) ||
      idRank(a.id) - idRank(b.id) ||
      a.id.localeCompare(b.id),
  );
  const primary = sorted[0]!;
  const ids = new Set<string>();
  for (const advisory of sorted) {
    ids.add(advisory.id);
    for (const alias of advisory.aliases) ids.add(alias);
  }
  ids.delete(primary.id);
  const version = matchVersion(node) ?? node.version;
  const fixes = sorted.map((advisory) => fixedIn(advisory, node.name, version));
  const group: AdvisoryGroup = { node, primary, advisories: sorted, aliases: [...ids].sort() };
  if (fixes.every((fix) => fix !== undefined)) group.fixedIn = highest(fixes as string[]);
  return group;
};

const highest = (versions: string[]): string =>
  versions.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));

const compareVersions = (a: string, b: string): number =>
  valid(a) && valid(b) ? compare(a, b) : a.localeCompare(b);
