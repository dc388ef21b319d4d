import semver from 'semver';
import type { Advisory } from '../core/advisory.js';
import type { Remediation } from '../core/finding.js';
import type { DepEdge, DepNode } from '../core/graph.js';
import { type GraphIndex, pathsTo } from '../core/graph-ops.js';
import type { Packument } from '../registry/packument.js';
import type { PackumentSource } from '../registry/packument-client.js';
import { readDeclaredSpec, specAdmits } from './declared-spec.js';
import { affectedByAny, lowestFixedVersion, overrideValue } from './fixed-version.js';
import { overrideField, type PackageManager, refreshCommand, resolveManager } from './package-manager.js';
import { createRegistryView, type RegistryView } from './registry-view.js';
import { upgradeRemediation } from './upgrade-remediation.js';
import { findParentUpgrade } from './upgrade-search.js';

export type RemediationInput = {
  index: GraphIndex;
  /** The vulnerable (or malicious) node. */
  nodeId: string;
  /** The advisories matched on this node (one finding's group). */
  advisories: readonly Advisory[];
  /** Every advisory the store has for the package name; a fix must clear all of them. */
  allAdvisories?: readonly Advisory[];
  manager: PackageManager | 'unknown';
  /** Registry data; without it remediation uses advisory data only (offline). */
  packuments?: PackumentSource;
  /** Receives one-line notes for the user (registry failures and the like). */
  notes?: string[];
};

/** How many paths to the node are examined to find the direct dependencies that pull it in. */
const MAX_PATHS = 200;

/**
 * Decides, in order of least disruption: a lockfile refresh inside the declared ranges, an
 * upgrade of one direct dependency, an override for the project's manager, or nothing.
 * Malware gets `remove`, whatever versions exist.
 */
export const planRemediation = async (input: RemediationInput): Promise<Remediation> => {
  const node = input.index.graph.nodes.get(input.nodeId);
  if (!node) return { kind: 'none', reason: `${input.nodeId} is not in the dependency graph` };
  const registry = createRegistryView(input.packuments);
  const ctx: PlanContext = {
    index: input.index,
    node,
    manager: resolveManager(input.manager, input.index.graph.format),
    advisories: mergeAdvisories(input.advisories, input.allAdvisories ?? []),
    registry,
  };
  const remediation = input.advisories.some((advisory) => advisory.kind === 'malware')
    ? await planRemoval(ctx, input.advisories)
    : await planVersionFix(ctx);
  const failure = registry.failure();
  if (failure !== undefined)
    input.notes?.push(
      `registry data unavailable (${failure}); remediation for ${node.name} uses advisory data only`,
    );
  return remediation;
};

type PlanContext = {
  index: GraphIndex;
  node: DepNode;
  manager: PackageManager;
  /** Matched advisories plus every other advisory for the package. */
  advisories: readonly Advisory[];
  registry: RegistryView;
};

const mergeAdvisories = (a: readonly Advisory[], b: readonly Advisory[]): Advisory[] => {
  const byId = new Map<string, Advisory>();
  for (const advisory of [...a, ...b]) byId.set(advisory.id, advisory);
  return [...byId.values()];
};

const planVersionFix = async (ctx: PlanContext): Promise<Remediation> => {
  const { index, node, manager, advisories, registry } = ctx;
  const packument = await registry.get(node.name);
  const fixed = lowestFixedVersion(node.name, node.version, advisories, packument);
  if (fixed === undefined) return { kind: 'none', reason: noFixReason(ctx, packument !== undefined) };

  const roots = new Set(index.graph.roots);
  const incoming = index.in.get(node.id) ?? [];
  const tagVersion = (tag: string) => packument?.distTags.get(tag);
  const blocked = incoming.filter((edge) => !specAdmits(readDeclaredSpec(edge.range), fixed, tagVersion));
  const direct = incoming.some((edge) => roots.has(edge.from));

  if (incoming.length > 0 && blocked.length === 0) {
    const to = packument ? refreshResolution(incoming, packument, fixed) : fixed;
    const command = refreshCommand({
      manager,
      format: index.graph.format,
      name: node.name,
      direct,
      // Only Yarn 1 needs them (it refreshes a transitive package through its direct parents).
      directParents: manager === 'yarn' && !direct ? directParentNames(index, node.id) : [],
    });
    if (to !== undefined && !affectedByAny(advisories, node.name, to) && command !== undefined) {
      return { kind: 'refresh', to, command };
    }
  }

  const blockedByRoot = blocked.filter((edge) => roots.has(edge.from));
  const blockedBelow = blocked.filter((edge) => !roots.has(edge.from));
  if (blockedByRoot.length > 0 && blockedBelow.length === 0) {
    return directUpgrade(ctx, blockedByRoot[0]!, fixed);
  }
  if (blockedByRoot.length === 0 && blockedBelow.length > 0 && registry.available) {
    const upgrade = await findParentUpgrade({
      index,
      node,
      blocked: blockedBelow,
      advisories,
      registry,
      manager,
      maxPaths: MAX_PATHS,
    });
    if (upgrade) return upgrade;
  }
  const noData = blockedBelow.length > 0 && packument === undefined;
  return override(ctx, fixed, packument, overrideNote(ctx, blockedByRoot.length > 0, noData));
};

const overrideNote = (ctx: PlanContext, alsoDirect: boolean, noData: boolean): string | undefined => {
  const failure = ctx.registry.failure();
  const parts: string[] = [];
  if (failure !== undefined)
    parts.push(`registry unreachable (${failure}): parent upgrades were not searched`);
  else if (!ctx.registry.available) parts.push('offline: parent upgrades were not searched');
  else if (noData)
    parts.push(
      `no registry data for ${ctx.node.name} (offline and not cached?): parent upgrades were not searched`,
    );
  if (alsoDirect) parts.push(`${ctx.node.name} is also a direct dependency: raise its declared range too`);
  return parts.length > 0 ? parts.join('; ') : undefined;
};

/** What a refresh picks inside every declared range: `latest` when it fits, else the newest fit. */
const refreshResolution = (incoming: DepEdge[], packument: Packument, fixed: string): string | undefined => {
  const tagVersion = (tag: string) => packument.distTags.get(tag);
  const fits = (version: string) =>
    incoming.every((edge) => {
      const spec = readDeclaredSpec(edge.range);
      return spec.kind === 'tag' ? tagVersion(spec.tag) === version : specAdmits(spec, version);
    });
  const latest = packument.distTags.get('latest');
  if (latest !== undefined && packument.versions.has(latest) && fits(latest) && semver.gte(latest, fixed)) {
    return latest;
  }
  let best: string | undefined;
  for (const version of packument.versions.keys()) {
    if (semver.gte(version, fixed) && fits(version) && (best === undefined || semver.gt(version, best))) {
      best = version;
    }
  }
  return best;
};

const directUpgrade = (ctx: PlanContext, rootEdge: DepEdge, fixed: string): Remediation =>
  upgradeRemediation(ctx.index, ctx.manager, rootEdge, ctx.node.version, fixed);

export { crossesMajor } from './upgrade-remediation.js';

const override = (
  ctx: PlanContext,
  fixed: string,
  packument: Packument | undefined,
  note: string | undefined,
): Remediation => {
  const remediation: Remediation = {
    kind: 'override',
    manager: ctx.manager,
    field: overrideField(ctx.manager),
    key: ctx.node.name,
    value: overrideValue(ctx.node.name, fixed, ctx.advisories, packument),
  };
  if (note !== undefined) remediation.note = note;
  return remediation;
};

const noFixReason = (ctx: PlanContext, withPackument: boolean): string => {
  const ids = ctx.advisories
    .filter((advisory) => affectedByAny([advisory], ctx.node.name, ctx.node.version))
    .map((advisory) => advisory.id);
  const list = ids.length > 0 ? ids.join(', ') : 'the matched advisories';
  return withPackument
    ? `no published version of ${ctx.node.name} above ${ctx.node.version} is free of ${list}`
    : `no fixed version of ${ctx.node.name} is known for ${list}`;
};

/** Names of the direct dependencies (declared by a root) on the paths to `id`. */
export const directParentNames = (index: GraphIndex, id: string): string[] => {
  const names = new Set<string>();
  for (const path of pathsTo(index, id, MAX_PATHS).paths) {
    const first = path[1];
    const second = path[0];
    if (first === undefined || second === undefined) continue;
    const edge = (index.out.get(second) ?? []).find((candidate) => candidate.to === first);
    if (edge && first !== id) names.add(edge.name);
  }
  return [...names].sort();
};

const planRemoval = async (ctx: PlanContext, matched: readonly Advisory[]): Promise<Remediation> => {
  const { index, node } = ctx;
  const roots = new Set(index.graph.roots);
  const direct = (index.in.get(node.id) ?? []).some((edge) => roots.has(edge.from));
  const parents = directParentNames(index, node.id);
  const ids = matched.filter((advisory) => advisory.kind === 'malware').map((advisory) => advisory.id);
  const label = `${node.name}@${node.version}`;
  const dependency = direct ? node.name : parents[0];
  const what = direct
    ? `Remove ${node.name} from package.json or replace it`
    : parents.length > 0
      ? `Remove or replace ${parents.join(', ')} (which pull${parents.length === 1 ? 's' : ''} in ${label})`
      : `Remove ${label}`;
  let advice =
    `${what}: ${label} is known malware (${ids.join(', ')}). Treat every machine and CI job that ` +
    'installed it as compromised and rotate every secret it could read (npm, cloud and CI tokens, SSH keys, .env values).';
  const clean = await planVersionFix(ctx);
  if (clean.kind === 'refresh') {
    advice += ` A clean release exists: \`${clean.command}\` moves to ${node.name}@${clean.to}, which no advisory marks as malicious; rotate the secrets anyway.`;
  } else if (clean.kind === 'upgrade') {
    advice += ` A clean release exists: \`${clean.command}\` reaches a ${node.name} version no advisory marks as malicious; rotate the secrets anyway.`;
  }
  const remediation: Remediation = { kind: 'remove', advice };
  if (dependency !== undefined) remediation.dependency = dependency;
  return remediation;
};
