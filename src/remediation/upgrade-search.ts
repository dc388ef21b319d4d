import semver from 'semver';
import type { Advisory } from '../core/advisory.js';
import type { Remediation } from '../core/finding.js';
import type { DepEdge, DepNode } from '../core/graph.js';
import { type GraphIndex, pathsTo } from '../core/graph-ops.js';
import { type PackumentVersion, resolveRange } from '../registry/packument.js';
import { readDeclaredSpec } from './declared-spec.js';
import { affectedByAny } from './fixed-version.js';
import type { PackageManager } from './package-manager.js';
import type { RegistryView } from './registry-view.js';
import { upgradeRemediation } from './upgrade-remediation.js';

export type ParentUpgradeInput = {
  index: GraphIndex;
  node: DepNode;
  /** Edges into the node whose declared range keeps the fix out. */
  blocked: DepEdge[];
  advisories: readonly Advisory[];
  registry: RegistryView;
  manager: PackageManager;
  maxPaths: number;
};

/** One step down a dependency chain: the key it is declared under, and the package it names. */
type Step = { key: string; name: string };

type ChainOutcome = 'fixed' | 'gone' | 'affected' | 'unknown';

/** Upper bound on candidate versions of the direct dependency tried, against pathological packuments. */
const MAX_CANDIDATES = 400;

/**
 * Finds the lowest version of the one direct dependency behind every blocked path whose own
 * dependency chain, resolved greedily as npm would (newest version inside each range), no longer
 * lands on an affected version. Undefined when several direct dependencies are involved, when
 * the registry lacks data, or when no published version helps.
 */
export const findParentUpgrade = async (input: ParentUpgradeInput): Promise<Remediation | undefined> => {
  const { index, node } = input;
  const blockedFrom = new Set(input.blocked.map((edge) => edge.from));
  const { paths, truncated } = pathsTo(index, node.id, input.maxPaths);
  if (truncated) return undefined;

  const chainsByDirect = new Map<string, { rootEdge: DepEdge; chains: Step[][] }>();
  for (const path of paths) {
    if (path.length < 3 || !blockedFrom.has(path[path.length - 2]!)) continue;
    const steps = stepsOf(index, path);
    if (!steps) return undefined;
    const [rootStep, ...chain] = steps;
    const directId = path[1]!;
    const entry = chainsByDirect.get(directId) ?? { rootEdge: rootStep!.edge, chains: [] };
    entry.chains.push(chain.map((step) => ({ key: step.edge.name, name: step.name })));
    chainsByDirect.set(directId, entry);
  }
  if (chainsByDirect.size !== 1) return undefined;
  const [[directId, { rootEdge, chains }]] = [...chainsByDirect.entries()] as [
    [string, { rootEdge: DepEdge; chains: Step[][] }],
  ];
  const direct = index.graph.nodes.get(directId);
  if (direct?.source !== 'registry' || semver.valid(direct.version) === null) return undefined;
  const packument = await input.registry.get(direct.name);
  if (!packument) return undefined;

  const candidates = [...packument.versions.values()]
    .filter((entry) => semver.gt(entry.version, direct.version))
    .sort((a, b) => rank(a) - rank(b) || semver.compare(a.version, b.version))
    .slice(0, MAX_CANDIDATES);
  for (const candidate of candidates) {
    let ok = true;
    for (const chain of chains) {
      const outcome = await followChain(input, candidate, chain);
      if (outcome !== 'fixed' && outcome !== 'gone') {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    return upgradeRemediation(index, input.manager, rootEdge, direct.version, candidate.version);
  }
  return undefined;
};

/** Stable and maintained first, then deprecated, then prereleases. */
const rank = (entry: PackumentVersion): number =>
  (semver.prerelease(entry.version) !== null ? 2 : 0) + (entry.deprecated !== undefined ? 1 : 0);

const stepsOf = (index: GraphIndex, path: string[]): { edge: DepEdge; name: string }[] | undefined => {
  const steps: { edge: DepEdge; name: string }[] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const to = path[i + 1]!;
    const edge = (index.out.get(path[i]!) ?? []).find((candidate) => candidate.to === to);
    const target = index.graph.nodes.get(to);
    if (!edge || !target) return undefined;
    steps.push({ edge, name: target.name });
  }
  return steps;
};

/** Resolves `chain` below `start` greedily and reports what the last step lands on. */
const followChain = async (
  input: ParentUpgradeInput,
  start: PackumentVersion,
  chain: Step[],
): Promise<ChainOutcome> => {
  let current = start;
  for (let i = 0; i < chain.length; i++) {
    const step = chain[i]!;
    const spec = current.dependencies.get(step.key) ?? current.optionalDependencies.get(step.key);
    if (spec === undefined) return 'gone';
    const declared = readDeclaredSpec(spec);
    if (declared.kind === 'pinned') return 'unknown';
    const packument = await input.registry.get(aliasTarget(spec) ?? step.name);
    if (!packument) return 'unknown';
    const resolved =
      declared.kind === 'range'
        ? resolveRange(packument, declared.range)
        : packument.versions.get(packument.distTags.get(declared.tag) ?? '');
    if (!resolved) return 'unknown';
    if (i === chain.length - 1) {
      if (packument.name !== input.node.name) return 'gone';
      return affectedByAny(input.advisories, input.node.name, resolved.version) ? 'affected' : 'fixed';
    }
    current = resolved;
  }
  return 'unknown';
};

/** `npm:real-name@range` → `real-name`. */
const aliasTarget = (spec: string): string | undefined => {
  if (!spec.startsWith('npm:')) return undefined;
  const rest = spec.slice(4);
  const at = rest.lastIndexOf('@');
  if (at > 0) return rest.slice(0, at);
  if (semver.validRange(rest) !== null) return undefined;
  return rest.startsWith('@') || /^[a-z0-9][\w.-]*$/i.test(rest) ? rest : undefined;
};
