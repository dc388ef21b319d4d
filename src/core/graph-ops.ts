import type { DepEdge, DependencyGraph, DepNode } from './graph.js';

/** Adjacency built once per graph; every query below runs on it. */
export type GraphIndex = {
  graph: DependencyGraph;
  roots: ReadonlySet<string>;
  out: Map<string, DepEdge[]>;
  in: Map<string, DepEdge[]>;
};

export const indexGraph = (graph: DependencyGraph): GraphIndex => {
  const out = new Map<string, DepEdge[]>();
  const inc = new Map<string, DepEdge[]>();
  for (const edge of graph.edges) {
    push(out, edge.from, edge);
    push(inc, edge.to, edge);
  }
  return { graph, roots: new Set(graph.roots), out, in: inc };
};

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/**
 * Derives `dev` and `optional` from reachability, for formats that do not record them
 * (yarn, bun, pnpm snapshots). A node is dev when no path from a root reaches it without a
 * dev edge leaving a root; optional when every path passes an optional edge.
 */
export const deriveFlags = (graph: DependencyGraph, index: GraphIndex = indexGraph(graph)): void => {
  const roots = new Set(graph.roots);
  const prod = reach(graph, index, (edge) => !(roots.has(edge.from) && edge.type === 'dev'));
  const required = reach(graph, index, (edge) => edge.type !== 'optional' && edge.type !== 'peerOptional');
  const viaNonPeer = reach(graph, index, (edge) => edge.type !== 'peer' && edge.type !== 'peerOptional');
  for (const node of graph.nodes.values()) {
    if (roots.has(node.id)) continue;
    node.dev = !prod.has(node.id);
    node.optional = !required.has(node.id);
    node.peer = !viaNonPeer.has(node.id);
  }
};

const reach = (
  graph: DependencyGraph,
  index: GraphIndex,
  follow: (edge: DepEdge) => boolean,
): Set<string> => {
  const seen = new Set<string>(graph.roots);
  const stack = [...graph.roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const edge of index.out.get(id) ?? []) {
      if (!seen.has(edge.to) && follow(edge)) {
        seen.add(edge.to);
        stack.push(edge.to);
      }
    }
  }
  return seen;
};

/** Node ids reachable from the roots at all. Unreachable lockfile entries are kept but reported. */
export const reachable = (graph: DependencyGraph, index: GraphIndex = indexGraph(graph)): Set<string> =>
  reach(graph, index, () => true);

/** Direct dependencies are those a root (the project or a workspace member) declares. */
export const isDirect = (index: GraphIndex, id: string): boolean =>
  (index.in.get(id) ?? []).some((edge) => index.roots.has(edge.from));

export type DependencyPath = string[];

/**
 * Paths from a root to `id`, shortest first, each a list of node ids starting at a root.
 * The number of paths grows exponentially in real graphs, so the walk stops at `limit`
 * and reports whether it was cut.
 */
export const pathsTo = (
  index: GraphIndex,
  id: string,
  limit = 100,
): { paths: DependencyPath[]; truncated: boolean } => {
  const { roots } = index;
  const paths: DependencyPath[] = [];
  let truncated = false;
  // BFS over partial reversed paths gives shortest paths first.
  let frontier: string[][] = [[id]];
  const maxDepth = index.graph.nodes.size + 1;
  for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
    const next: string[][] = [];
    for (const partial of frontier) {
      const head = partial[partial.length - 1]!;
      if (roots.has(head)) {
        paths.push([...partial].reverse());
        if (paths.length >= limit) return { paths, truncated: true };
        continue;
      }
      for (const edge of index.in.get(head) ?? []) {
        if (partial.includes(edge.from)) continue;
        next.push([...partial, edge.from]);
      }
    }
    if (next.length > limit * 50) {
      truncated = true;
      frontier = next.slice(0, limit * 50);
    } else frontier = next;
  }
  return { paths, truncated };
};

export const nodeLabel = (node: DepNode): string =>
  node.source === 'root' || node.source === 'workspace'
    ? node.name || node.id
    : `${node.name}@${node.version}`;
