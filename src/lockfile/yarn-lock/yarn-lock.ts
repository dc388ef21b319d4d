import { basename } from 'node:path';
import { maxSatisfying, valid, validRange } from 'semver';
import { InputError } from '../../core/errors.js';
import type { DepEdge, DependencyGraph, DependencyType, DepNode, SourceKind } from '../../core/graph.js';
import { deriveFlags, indexGraph, reachable } from '../../core/graph-ops.js';
import type { LockfileInput, LockfileParser } from '../types.js';
import {
  aliasTarget,
  bindingValue,
  normalizeBerryRange,
  patchTarget,
  protocolOf,
  stripBindings,
} from './descriptor.js';
import { readEntries, type YarnEntry } from './entries.js';
import { expandWorkspaces, type Manifest, readManifest } from './manifest.js';
import { type Override, overriddenRange, readOverrides } from './overrides.js';
import { berrySourceKind, classicSourceKind } from './source-kind.js';
import { parseYarnLockText } from './syml.js';

const ROOT_ID = '.';
/** How many unresolved dependencies a warning lists by name before summarising. */
const WARNING_EXAMPLES = 5;

export const yarnLockParser: LockfileParser = {
  name: 'lockfile/yarn-lock',
  format: 'yarn-classic',
  matches: (fileName) => basename(fileName) === 'yarn.lock',
  parse: (input) => parseYarnLock(input),
};

type Builder = {
  input: LockfileInput;
  berry: boolean;
  graph: DependencyGraph;
  /** Normalised descriptor (`name@range`) → node id. */
  byDescriptor: Map<string, string>;
  /** Package name → node ids, for ranges the lockfile has no key for. */
  byName: Map<string, string[]>;
  /** Workspace package name → root id. */
  workspaceByName: Map<string, string>;
  edgeKeys: Set<string>;
  unresolved: string[];
  /** Ranges repeat across entries; resolution is pure once the index is built. */
  resolved: Map<string, string | undefined>;
  overrides: Override[];
  /** Node id → Berry locator (`name@resolution-range`) of the entry that made it. */
  locators: Map<string, string>;
};

export const parseYarnLock = (input: LockfileInput): DependencyGraph => {
  const file = input.path;
  const text = parseYarnLockText(input.content, file);
  const entries = readEntries(text, file);
  const graph: DependencyGraph = {
    format: text.berry ? 'yarn-berry' : 'yarn-classic',
    file,
    roots: [],
    nodes: new Map(),
    edges: [],
    warnings: [],
  };
  const formatVersion = text.berry ? metadataVersion(text.metadata, file) : classicVersion(input.content);
  if (formatVersion !== undefined) graph.formatVersion = formatVersion;
  const b: Builder = {
    input,
    berry: text.berry,
    graph,
    byDescriptor: new Map(),
    byName: new Map(),
    workspaceByName: new Map(),
    edgeKeys: new Set(),
    unresolved: [],
    resolved: new Map(),
    overrides: [],
    locators: new Map(),
  };
  const rootManifest = readManifest(input, ROOT_ID);
  if (text.berry && rootManifest) {
    const { overrides, invalid } = readOverrides(rootManifest.resolutions);
    b.overrides = overrides;
    if (invalid.length > 0)
      graph.warnings.push(`resolutions not understood and ignored: ${examples(invalid)}`);
  }
  const entryIds = entries.map((entry) => addEntryNode(b, entry, rootManifest));
  if (!graph.nodes.has(ROOT_ID))
    addNode(b, localNode(ROOT_ID, rootManifest?.name ?? '', rootManifest?.version ?? '', 'root'));
  graph.roots.unshift(ROOT_ID);
  const classicMembers = text.berry ? [] : addClassicWorkspaces(b, rootManifest);

  const unknownMembers: string[] = [];
  entries.forEach((entry, i) => {
    const id = entryIds[i]!;
    const manifest = workspaceManifest(b, id, rootManifest, unknownMembers);
    addEntryEdges(b, id, entry, manifest);
  });
  if (!text.berry && rootManifest) addManifestEdges(b, ROOT_ID, rootManifest, new Set());
  for (const [id, manifest] of classicMembers) addManifestEdges(b, id, manifest, new Set());

  if (unknownMembers.length > 0)
    graph.warnings.push(
      `dev flags are approximate for ${unknownMembers.length} workspace member(s) whose package.json was not found beside the lockfile: ${examples(unknownMembers)}`,
    );
  if (b.unresolved.length > 0)
    graph.warnings.push(
      `${b.unresolved.length} dependency declaration(s) have no lockfile entry (the lockfile may be out of date): ${examples(b.unresolved)}`,
    );
  attachOrphans(b, entries, entryIds, rootManifest !== undefined);
  deriveFlags(graph);
  return graph;
};

const examples = (items: string[]): string =>
  items.length > WARNING_EXAMPLES
    ? `${items.slice(0, WARNING_EXAMPLES).join(', ')} and ${items.length - WARNING_EXAMPLES} more`
    : items.join(', ');

const metadataVersion = (metadata: unknown, file: string): string | undefined => {
  if (typeof metadata !== 'object' || metadata === null || !Object.hasOwn(metadata, 'version'))
    return undefined;
  const version = (metadata as { version: unknown }).version;
  if (typeof version !== 'string') throw new InputError(file, '__metadata.version must be a string');
  return version;
};

const classicVersion = (content: string): string | undefined =>
  /^#\s*yarn lockfile (v\d+)\s*$/im.exec(content.slice(0, 1000))?.[1];

const localNode = (id: string, name: string, version: string, source: SourceKind): DepNode => ({
  id,
  name,
  version,
  source,
  dev: false,
  optional: false,
  peer: false,
  bundled: false,
});

const addNode = (b: Builder, node: DepNode): void => {
  b.graph.nodes.set(node.id, node);
  const ids = b.byName.get(node.name);
  if (ids) ids.push(node.id);
  else b.byName.set(node.name, [node.id]);
};

/** Creates (or merges into) the node an entry resolves to and indexes its descriptors. */
const addEntryNode = (b: Builder, entry: YarnEntry, rootManifest: Manifest | undefined): string => {
  const { name, source, resolved, workspace } = describeEntry(entry);
  let id: string;
  if (source === 'root' || source === 'workspace') {
    id = source === 'root' ? ROOT_ID : workspace!;
    const manifestVersion = source === 'root' ? rootManifest?.version : undefined;
    const node = localNode(id, name, manifestVersion ?? entry.version, source);
    if (source === 'workspace') {
      node.workspace = workspace!;
      b.graph.roots.push(id);
    }
    if (entry.line !== undefined) node.line = entry.line;
    if (b.graph.nodes.has(id))
      throw new InputError(b.graph.file, `workspace "${id}" is declared twice`, lineOf(entry));
    addNode(b, node);
    b.workspaceByName.set(name, id);
  } else {
    if (source === 'registry' && valid(entry.version) === null)
      throw new InputError(
        b.graph.file,
        `entry "${entry.descriptors[0]?.name}" has version "${entry.version.slice(0, 60)}", which is not a semver version`,
        lineOf(entry),
      );
    id = source === 'registry' ? `${name}@${entry.version}` : nonRegistryId(entry, name);
    let node = b.graph.nodes.get(id);
    if (!node) {
      node = localNode(id, name, entry.version, source);
      if (resolved !== undefined) node.resolved = resolved;
      if (entry.integrity !== undefined) node.integrity = entry.integrity;
      if (entry.line !== undefined) node.line = entry.line;
      addNode(b, node);
    }
    for (const descriptor of entry.descriptors) {
      if (descriptor.name !== name && !node.aliases?.includes(descriptor.name))
        node.aliases = [...(node.aliases ?? []), descriptor.name];
    }
  }
  if (entry.resolution && !b.locators.has(id))
    b.locators.set(id, `${entry.resolution.name}@${entry.resolution.range}`);
  for (const descriptor of entry.descriptors) {
    const key = descriptorKey(b, descriptor.name, descriptor.range);
    b.byDescriptor.set(key, id);
    // `resolutions` name patch files without the `::locator=` yarn appends in the key.
    const bare = stripBindings(key);
    if (bare !== key && !b.byDescriptor.has(bare)) b.byDescriptor.set(bare, id);
  }
  return id;
};

const lineOf = (entry: YarnEntry): string | undefined =>
  entry.line === undefined ? undefined : String(entry.line);

const describeEntry = (
  entry: YarnEntry,
): { name: string; source: SourceKind; resolved?: string; workspace?: string } => {
  if (entry.resolution) {
    const { name, range } = entry.resolution;
    const source = berrySourceKind(range);
    if (source === 'workspace') {
      const path = stripBindings(range.slice('workspace:'.length)).replace(/^\.\//, '').replace(/\/+$/, '');
      return path === '.' || path === ''
        ? { name, source: 'root' }
        : { name, source: 'workspace', workspace: path };
    }
    const registryTarget = patchTarget(range) ?? { name, range };
    const archive = bindingValue(registryTarget.range, '__archiveUrl');
    return { name, source, resolved: archive ?? `${name}@${range}` };
  }
  // Classic: the real name is the first descriptor's, unless it is an `npm:` alias.
  const first = entry.descriptors[0]!;
  const name = aliasTarget(first.range)?.name ?? first.name;
  // Classic has no `workspace:` protocol; such an entry is local, like a link, never a root.
  const kind = classicSourceKind(first.range, entry.resolved);
  const source = kind === 'workspace' ? 'link' : kind;
  return entry.resolved === undefined ? { name, source } : { name, source, resolved: entry.resolved };
};

const nonRegistryId = (entry: YarnEntry, name: string): string => {
  if (entry.resolution) return `${entry.resolution.name}@${entry.resolution.range}`;
  return `${name}@${entry.resolved ?? entry.descriptors[0]!.range}`;
};

const descriptorKey = (b: Builder, name: string, range: string): string =>
  `${name}@${b.berry ? normalizeBerryRange(range) : range}`;

/** The manifest of a workspace root, when the entry is one; records members without one. */
const workspaceManifest = (
  b: Builder,
  id: string,
  rootManifest: Manifest | undefined,
  unknownMembers: string[],
): Manifest | undefined => {
  const node = b.graph.nodes.get(id)!;
  if (node.source === 'root') return rootManifest;
  if (node.source !== 'workspace' || node.workspace === undefined) return undefined;
  const manifest = readManifest(b.input, node.workspace);
  if (!manifest) unknownMembers.push(node.workspace);
  else if (manifest.version !== undefined) node.version = manifest.version;
  return manifest;
};

const addEntryEdges = (b: Builder, from: string, entry: YarnEntry, manifest: Manifest | undefined): void => {
  for (const [name, range] of entry.dependencies) {
    const type: DependencyType = entry.optionalNames.has(name) ? 'optional' : manifestType(manifest, name);
    addEdge(b, from, name, range, type);
  }
  for (const [name, range] of entry.optionalDependencies) addEdge(b, from, name, range, 'optional');
  for (const [name, range] of entry.peerDependencies)
    addEdge(b, from, name, range, entry.optionalPeers.has(name) ? 'peerOptional' : 'peer');
  // Older Berry lockfiles leave dev dependencies out of workspace entries; the manifest has them.
  if (manifest) addManifestEdges(b, from, manifest, new Set(entry.dependencies.keys()));
};

/** Edge type of a workspace's dependency from its manifest: dev only when nothing else lists it. */
const manifestType = (manifest: Manifest | undefined, name: string): DependencyType => {
  if (!manifest) return 'prod';
  if (manifest.optionalDependencies.has(name)) return 'optional';
  if (manifest.dependencies.has(name)) return 'prod';
  if (manifest.devDependencies.has(name)) return 'dev';
  return 'prod';
};

const addManifestEdges = (b: Builder, from: string, manifest: Manifest, skip: Set<string>): void => {
  const sections: [Map<string, string>, DependencyType][] = [
    [manifest.dependencies, 'prod'],
    [manifest.optionalDependencies, 'optional'],
    [manifest.devDependencies, 'dev'],
  ];
  const done = new Set(skip);
  for (const [deps, type] of sections) {
    for (const [name, range] of deps) {
      if (done.has(name)) continue;
      done.add(name);
      addEdge(b, from, name, range, type);
    }
  }
};

const addEdge = (b: Builder, from: string, name: string, range: string, type: DependencyType): void => {
  const override =
    b.overrides.length > 0 ? overriddenRange(b.overrides, b.graph.nodes.get(from)!, name, range) : undefined;
  const effective = override ?? range;
  const to =
    boundDescriptor(b, from, name, effective) ??
    cachedResolve(b, name, effective) ??
    (override === undefined ? undefined : cachedResolve(b, name, range));
  if (to === undefined) {
    if (type !== 'peer' && type !== 'peerOptional' && type !== 'optional')
      b.unresolved.push(`${name}@${range} (from ${from})`);
    return;
  }
  pushEdge(b, { from, to, name, range, type });
};

const pushEdge = (b: Builder, edge: DepEdge): void => {
  if (edge.to === edge.from) return;
  const key = `${edge.from}\0${edge.to}\0${edge.name}\0${edge.type}`;
  if (b.edgeKeys.has(key)) return;
  b.edgeKeys.add(key);
  b.graph.edges.push(edge);
};

const BOUND_PROTOCOLS = new Set(['file', 'portal', 'link', 'patch', 'exec']);

/**
 * Berry keys relative-path descriptors with the parent that declared them
 * (`f@file:./f::locator=app%40workspace%3A.`), so two workspaces' `file:./f` stay distinct.
 */
const boundDescriptor = (b: Builder, from: string, name: string, range: string): string | undefined => {
  if (!b.berry || range.includes('::') || !BOUND_PROTOCOLS.has(protocolOf(range) ?? '')) return undefined;
  const locator = b.locators.get(from);
  if (locator === undefined) return undefined;
  return b.byDescriptor.get(`${name}@${range}::locator=${encodeURIComponent(locator)}`);
};

const cachedResolve = (b: Builder, name: string, range: string): string | undefined => {
  const cacheKey = `${name}@${range}`;
  if (b.resolved.has(cacheKey)) return b.resolved.get(cacheKey);
  const to = resolveDependency(b, name, range);
  b.resolved.set(cacheKey, to);
  return to;
};

/**
 * The lockfile key for `name@range` decides. Without one (Berry `resolutions` rewrite the key,
 * classic lockfiles omit workspace siblings, peers have no entries) fall back to the workspace of
 * that name, then to the highest locked version of the package that satisfies the range.
 */
const resolveDependency = (b: Builder, name: string, range: string): string | undefined => {
  const key = descriptorKey(b, name, range);
  const exact = b.byDescriptor.get(key) ?? b.byDescriptor.get(stripBindings(key));
  if (exact !== undefined) return exact;
  const alias = aliasTarget(range);
  const target = alias ?? { name, range: range.startsWith('npm:') ? range.slice(4) : range };
  const workspace = b.workspaceByName.get(target.name);
  if (
    workspace !== undefined &&
    (protocolOf(target.range) === 'workspace' || satisfiesNode(b, workspace, target.range))
  )
    return workspace;
  if (validRange(target.range) === null) return undefined;
  const candidates = (b.byName.get(target.name) ?? []).filter(
    (id) => b.graph.nodes.get(id)?.source === 'registry',
  );
  const versions = candidates.map((id) => b.graph.nodes.get(id)!.version);
  const best = maxSatisfying(versions, target.range);
  return best === null ? undefined : `${target.name}@${best}`;
};

const satisfiesNode = (b: Builder, id: string, range: string): boolean => {
  const version = b.graph.nodes.get(id)?.version;
  return version !== undefined && validRange(range) !== null && maxSatisfying([version], range) !== null;
};

/** Classic lockfiles do not list workspace members; their manifests do. */
const addClassicWorkspaces = (b: Builder, rootManifest: Manifest | undefined): [string, Manifest][] => {
  if (!rootManifest || rootManifest.workspaces.length === 0) return [];
  const { folders, unsupported } = expandWorkspaces(b.input.path, rootManifest.workspaces);
  if (unsupported.length > 0)
    b.graph.warnings.push(`workspace patterns not expanded: ${unsupported.join(', ')}`);
  const members: [string, Manifest][] = [];
  for (const folder of folders) {
    const manifest = readManifest(b.input, folder);
    if (!manifest) continue;
    const node = localNode(folder, manifest.name ?? folder, manifest.version ?? '', 'workspace');
    node.workspace = folder;
    addNode(b, node);
    b.graph.roots.push(folder);
    if (manifest.name !== undefined) b.workspaceByName.set(manifest.name, folder);
    members.push([folder, manifest]);
  }
  return members;
};

/**
 * Entries nothing reaches (no package.json, workspace members we could not read) stay in the
 * graph as direct dependencies of the root, so no locked package escapes matching.
 */
const attachOrphans = (b: Builder, entries: YarnEntry[], entryIds: string[], hadManifest: boolean): void => {
  const index = indexGraph(b.graph);
  const seen = reachable(b.graph, index);
  const firstEntry = new Map<string, YarnEntry>();
  entryIds.forEach((id, i) => {
    if (!seen.has(id) && !firstEntry.has(id)) firstEntry.set(id, entries[i]!);
  });
  if (firstEntry.size === 0) return;
  const inbound = new Set(b.graph.edges.map((edge) => edge.to));
  const orphans = [...firstEntry.keys()];
  // Tops first (nothing points at them), then whatever a cycle keeps unreached.
  const ordered = [...orphans.filter((id) => !inbound.has(id)), ...orphans.filter((id) => inbound.has(id))];
  let attached = 0;
  for (const id of ordered) {
    if (seen.has(id)) continue;
    const descriptor = firstEntry.get(id)!.descriptors[0]!;
    pushEdge(b, { from: ROOT_ID, to: id, name: descriptor.name, range: descriptor.range, type: 'prod' });
    attached++;
    // Edges added here all leave the root, so the index's adjacency of other nodes is still exact.
    const stack = [id];
    seen.add(id);
    while (stack.length > 0) {
      for (const edge of index.out.get(stack.pop()!) ?? []) {
        if (!seen.has(edge.to)) {
          seen.add(edge.to);
          stack.push(edge.to);
        }
      }
    }
  }
  b.graph.warnings.push(
    hadManifest
      ? `${attached} lockfile entr${attached === 1 ? 'y is' : 'ies are'} not reachable from the project's manifests; treated as direct dependencies of the root`
      : 'no package.json beside the lockfile: entries nothing else depends on are treated as direct dependencies of the root, and dev flags are unknown',
  );
};
