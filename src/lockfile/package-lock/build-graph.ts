import { InputError } from '../../core/errors.js';
import type { DepEdge, DependencyGraph, DependencyType, DepNode, LockfileFormat } from '../../core/graph.js';
import type { LockEntry } from './lock-entry.js';
import { workspaceMatcher } from './workspace-patterns.js';

export const ROOT_ID = '.';
const MAX_LISTED_WARNINGS = 20;

export type BuildOptions = {
  format: LockfileFormat;
  file: string;
  formatVersion: number;
  workspacePatterns: readonly string[];
  /** No root manifest was available: hang every entry nothing else depends on off the root. */
  inferRootDeps: boolean;
  warnings: string[];
};

/**
 * Turns lock entries into the graph. Node identity: the root is `.`; folder packages (workspace
 * members, link targets) are their folder path; registry packages `name@version`, one node however
 * many locations install them; git/tarball/`file:` packages `name@<resolved>`.
 */
export const buildGraph = (entries: readonly LockEntry[], options: BuildOptions): DependencyGraph => {
  const byKey = new Map<string, LockEntry>();
  for (const entry of entries) byKey.set(entry.key, entry);
  const isWorkspace = workspaceMatcher(options.workspacePatterns);
  const nodes = new Map<string, DepNode>();
  const roots: string[] = [];
  const warnings = options.warnings;

  const nodeIdOf = (entry: LockEntry): string => {
    switch (entry.kind) {
      case 'root':
        return ROOT_ID;
      case 'folder':
        return entry.key;
      case 'link': {
        const target = byKey.get(entry.target!);
        return target && target.kind !== 'link' ? nodeIdOf(target) : entry.target!;
      }
      case 'installed':
        return entry.source === 'registry'
          ? `${entry.name}@${entry.version}`
          : `${entry.name}@${entry.resolved ?? entry.version}`;
    }
  };

  const addOccurrence = (id: string, entry: LockEntry, fresh: () => DepNode) => {
    const node = nodes.get(id);
    if (!node) {
      nodes.set(id, fresh());
      return;
    }
    if (entry.kind === 'installed' && node.source !== entry.source) {
      throw new InputError(
        options.file,
        `${entry.jsonPath} and another entry both map to node ${JSON.stringify(id)}`,
      );
    }
    if (entry.line !== undefined && (node.line === undefined || entry.line < node.line))
      node.line = entry.line;
    // The root and workspace members are never dev, optional or bundled; links only say how to reach them.
    if (node.source === 'root' || node.source === 'workspace') return;
    if (entry.kind === 'link' && node.source !== 'link') return;
    // A package is dev (optional, peer, bundled) only if every location that installs it is.
    node.dev &&= entry.dev;
    node.optional &&= entry.optional;
    node.peer &&= entry.peer;
    node.bundled &&= entry.bundled;
    if (entry.installName !== '' && entry.installName !== node.name) addAlias(node, entry.installName);
    if (node.integrity === undefined && entry.integrity !== undefined) {
      node.integrity = entry.integrity;
      if (entry.resolved !== undefined) node.resolved = entry.resolved;
    }
  };

  // Folders first, so links find their targets' nodes whatever the key order.
  for (const entry of entries) {
    if (entry.kind === 'root') {
      if (nodes.has(ROOT_ID)) continue;
      nodes.set(ROOT_ID, localNode(ROOT_ID, entry, 'root'));
      roots.unshift(ROOT_ID);
    } else if (entry.kind === 'folder') {
      const workspace = isWorkspace(entry.key);
      addOccurrence(entry.key, entry, () => localNode(entry.key, entry, workspace ? 'workspace' : 'link'));
      if (workspace) roots.push(entry.key);
    }
  }
  for (const entry of entries) {
    if (entry.kind === 'installed') {
      const id = nodeIdOf(entry);
      addOccurrence(id, entry, () => installedNode(id, entry));
    }
  }
  for (const entry of entries) {
    if (entry.kind !== 'link') continue;
    const id = nodeIdOf(entry);
    if (!nodes.has(id)) {
      warnings.push(
        `${entry.jsonPath} links to ${JSON.stringify(entry.target)}, which the lockfile does not list`,
      );
      const workspace = isWorkspace(id);
      if (workspace) roots.push(id);
    }
    addOccurrence(id, entry, () => localNode(id, entry, isWorkspace(id) ? 'workspace' : 'link'));
  }

  const edges: DepEdge[] = [];
  const seen = new Set<string>();
  const addEdge = (edge: DepEdge) => {
    const key = `${edge.from}\n${edge.name}\n${edge.to}\n${edge.type}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push(edge);
  };
  const resolve = resolver(byKey);
  const unresolved: string[] = [];
  for (const entry of entries) {
    if (entry.deps.length === 0) continue;
    const from = nodeIdOf(entry);
    for (const dep of entry.deps) {
      const target = resolve(entry.key, dep.name);
      if (!target) {
        if (dep.type === 'prod' || dep.type === 'dev') {
          unresolved.push(
            `${label(nodes.get(from))} depends on ${dep.name}@${dep.range}, which is not in the lockfile`,
          );
        }
        continue;
      }
      let type: DependencyType = dep.type;
      if (dep.untyped && target.optional && !entry.optional) type = 'optional';
      addEdge({ from, to: nodeIdOf(target), name: dep.name, range: dep.range, type });
    }
  }
  if (!nodes.has(ROOT_ID)) throw new Error('package-lock builder: no root entry');
  if (options.inferRootDeps) inferRootEdges(entries, nodes, edges, roots, nodeIdOf, addEdge);

  warnings.push(...unresolved.slice(0, MAX_LISTED_WARNINGS));
  if (unresolved.length > MAX_LISTED_WARNINGS) {
    warnings.push(`…and ${unresolved.length - MAX_LISTED_WARNINGS} more dependencies not in the lockfile`);
  }
  return {
    format: options.format,
    file: options.file,
    formatVersion: options.formatVersion,
    roots,
    nodes,
    edges,
    warnings,
  };
};

/**
 * npm's lookup: a package at location P finds dependency N at `P/node_modules/N`, else in the
 * enclosing package's node_modules, up to the root. A folder package (workspace member, link target)
 * continues in the nearest enclosing folder package or the root; one outside the project stops.
 */
const resolver = (byKey: ReadonlyMap<string, LockEntry>) => {
  const parentOf = (key: string): string | undefined => {
    if (key === '') return undefined;
    const at = key.lastIndexOf('node_modules/');
    if (at === 0) return '';
    if (at > 0 && key[at - 1] === '/') return key.slice(0, at - 1);
    if (key === '..' || key.startsWith('../')) return undefined;
    for (let slash = key.lastIndexOf('/'); slash > 0; slash = key.lastIndexOf('/', slash - 1)) {
      if (byKey.get(key.slice(0, slash))?.kind === 'folder') return key.slice(0, slash);
    }
    return '';
  };
  return (from: string, name: string): LockEntry | undefined => {
    for (let at: string | undefined = from; at !== undefined; at = parentOf(at)) {
      const hit = byKey.get(at === '' ? `node_modules/${name}` : `${at}/node_modules/${name}`);
      if (hit) return hit;
    }
    return undefined;
  };
};

/** Without a root manifest: entries nothing depends on (and whatever they leave unreached) are direct. */
const inferRootEdges = (
  entries: readonly LockEntry[],
  nodes: ReadonlyMap<string, DepNode>,
  edges: DepEdge[],
  roots: readonly string[],
  nodeIdOf: (entry: LockEntry) => string,
  addEdge: (edge: DepEdge) => void,
) => {
  const out = new Map<string, string[]>();
  const incoming = new Set<string>();
  for (const edge of edges) {
    incoming.add(edge.to);
    const list = out.get(edge.from);
    if (list) list.push(edge.to);
    else out.set(edge.from, [edge.to]);
  }
  const reached = new Set<string>();
  const visit = (start: string) => {
    const stack = [start];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (reached.has(id)) continue;
      reached.add(id);
      for (const next of out.get(id) ?? []) stack.push(next);
    }
  };
  roots.forEach(visit);
  const topLevel = entries.filter((e) => e.kind !== 'root' && e.key.lastIndexOf('node_modules/') === 0);
  // First the entries nothing points at, then (for cycles) whatever is still unreached.
  for (const pass of [(id: string) => !incoming.has(id), () => true]) {
    for (const entry of topLevel) {
      const id = nodeIdOf(entry);
      if (reached.has(id) || !pass(id) || !nodes.has(id)) continue;
      const type: DependencyType = entry.dev ? 'dev' : entry.optional ? 'optional' : 'prod';
      addEdge({
        from: ROOT_ID,
        to: id,
        name: entry.installName,
        range: entry.version || (entry.resolved ?? ''),
        type,
      });
      visit(id);
    }
  }
};

const localNode = (id: string, entry: LockEntry, source: 'root' | 'workspace' | 'link'): DepNode => {
  const local = source !== 'link';
  const node: DepNode = {
    id,
    name: entry.name,
    version: entry.version,
    source,
    dev: local ? false : entry.dev,
    optional: local ? false : entry.optional,
    peer: local ? false : entry.peer,
    bundled: local ? false : entry.bundled,
  };
  if (source === 'workspace') node.workspace = id;
  if (entry.line !== undefined) node.line = entry.line;
  return node;
};

const installedNode = (id: string, entry: LockEntry): DepNode => {
  const node: DepNode = {
    id,
    name: entry.name,
    version: entry.version,
    source: entry.source,
    dev: entry.dev,
    optional: entry.optional,
    peer: entry.peer,
    bundled: entry.bundled,
  };
  if (entry.installName !== entry.name) node.aliases = [entry.installName];
  if (entry.resolved !== undefined) node.resolved = entry.resolved;
  if (entry.integrity !== undefined) node.integrity = entry.integrity;
  if (entry.line !== undefined) node.line = entry.line;
  return node;
};

const addAlias = (node: DepNode, alias: string) => {
  if (!node.aliases) node.aliases = [alias];
  else if (!node.aliases.includes(alias)) node.aliases.push(alias);
};

const label = (node: DepNode | undefined): string =>
  !node
    ? '?'
    : node.source === 'root'
      ? 'the root package'
      : node.version
        ? `${node.name}@${node.version}`
        : node.id;
