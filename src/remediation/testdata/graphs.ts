import type { Advisory, OsvEvent } from '../../core/advisory.js';
import type { DependencyGraph, DependencyType, DepNode, LockfileFormat } from '../../core/graph.js';
import { type GraphIndex, indexGraph } from '../../core/graph-ops.js';

export const pkg = (name: string, version: string, extra: Partial<DepNode> = {}): DepNode => ({
  id: `${name}@${version}`,
  name,
  version,
  source: 'registry',
  dev: false,
  optional: false,
  peer: false,
  bundled: false,
  ...extra,
});

/** A graph with one root `.` (the project); edges are `[from, to, declared range, type?]`. */
export const graphOf = (
  nodes: DepNode[],
  edges: [string, string, string, DependencyType?][],
  format: LockfileFormat = 'package-lock',
): GraphIndex => {
  const root: DepNode = { ...pkg('app', '1.0.0'), id: '.', source: 'root' };
  const graph: DependencyGraph = {
    format,
    file: '/project/package-lock.json',
    roots: ['.'],
    nodes: new Map([root, ...nodes].map((node) => [node.id, node])),
    edges: edges.map(([from, to, range, type]) => ({
      from,
      to,
      name: to.slice(0, to.lastIndexOf('@')),
      range,
      type: type ?? 'prod',
    })),
    warnings: [],
  };
  return indexGraph(graph);
};

export const advisory = (
  id: string,
  name: string,
  events: OsvEvent[],
  extra: Partial<Advisory> & { versions?: string[] } = {},
): Advisory => {
  const { versions, ...rest } = extra;
  return {
    id,
    aliases: [],
    modified: '2025-01-01T00:00:00Z',
    summary: `${id} in ${name}`,
    kind: id.startsWith('MAL-') ? 'malware' : 'vulnerability',
    severity: { level: 'high', source: 'database' },
    affected: [{ name, ranges: [{ type: 'SEMVER', events }], versions: versions ?? [] }],
    references: [],
    cwes: [],
    ...rest,
  };
};
