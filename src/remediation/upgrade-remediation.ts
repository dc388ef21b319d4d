import semver from 'semver';
import type { Remediation } from '../core/finding.js';
import type { DepEdge } from '../core/graph.js';
import type { GraphIndex } from '../core/graph-ops.js';
import { type PackageManager, upgradeCommand } from './package-manager.js';

/** Breaking by semver: outside `^from` (so 0.2 → 0.3 counts, as npm's caret treats it). */
export const crossesMajor = (from: string, to: string): boolean =>
  semver.valid(from) === null || !semver.satisfies(to, `^${from}`, { includePrerelease: true });

/** The `upgrade` remediation for the direct dependency declared by `rootEdge`, with its command. */
export const upgradeRemediation = (
  index: GraphIndex,
  manager: PackageManager,
  rootEdge: DepEdge,
  from: string,
  to: string,
): Remediation => {
  const root = index.graph.nodes.get(rootEdge.from);
  const workspace = root && root.id !== index.graph.roots[0] ? root.workspace : undefined;
  return {
    kind: 'upgrade',
    dependency: rootEdge.name,
    from,
    to,
    major: crossesMajor(from, to),
    command: upgradeCommand({
      manager,
      format: index.graph.format,
      dependency: rootEdge.name,
      version: to,
      dev: rootEdge.type === 'dev',
      ...(workspace !== undefined ? { workspace } : {}),
    }),
  };
};
