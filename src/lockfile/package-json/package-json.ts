import { dirname, join } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { DepEdge, DependencyGraph, DependencyType, DepNode } from '../../core/graph.js';
import { deriveFlags } from '../../core/graph-ops.js';
import { parseJsonInput } from '../../core/input.js';
import {
  expectArray,
  expectRecord,
  expectString,
  type JsonRecord,
  optionalBoolean,
  optionalRecord,
  optionalString,
  optionalStringMap,
  type Shape,
} from '../../core/shape.js';
import type { LockfileInput, LockfileParser } from '../types.js';
import { classifySpecifier } from './specifier.js';
import { expandWorkspaceGlobs } from './workspace-globs.js';

export const NO_LOCKFILE_WARNING =
  'no lockfile: only declared ranges were checked; transitive dependencies are unknown; ' +
  "run `npm install --package-lock-only` (or your manager's equivalent) and scan again";

export const ROOT_ID = '.';

/** A package.json read on its own: the declared dependencies, not what an install resolves. */
export const packageJsonParser: LockfileParser = {
  name: 'lockfile/package-json',
  format: 'package-json',
  matches: (fileName) => fileName === 'package.json',
  parse: (input) => parsePackageJson(input),
};

type Manifest = {
  name?: string;
  version?: string;
  /** Declared dependencies by install name, with the edge type npm would give them. */
  dependencies: Map<string, { spec: string; type: DependencyType }>;
  workspaces: string[];
};

const parsePackageJson = (input: LockfileInput): DependencyGraph => {
  const root = readManifest(input.content, input.path);
  const graph: DependencyGraph = {
    format: 'package-json',
    file: input.path,
    roots: [ROOT_ID],
    nodes: new Map(),
    edges: [],
    warnings: [NO_LOCKFILE_WARNING],
  };
  graph.nodes.set(ROOT_ID, localNode(ROOT_ID, root, 'root'));

  const members = new Map<string, Manifest>();
  if (root.workspaces.length > 0) {
    const listDir = input.listDir ?? (() => undefined);
    if (!input.listDir && root.workspaces.some((pattern) => /[*?]/.test(pattern))) {
      graph.warnings.push('workspace globs could not be expanded (directory listing unavailable)');
    }
    const dirs = expandWorkspaceGlobs(
      root.workspaces,
      listDir,
      (dir) => input.readSibling(`${dir}/package.json`) !== undefined,
    );
    for (const dir of dirs) {
      const text = input.readSibling(`${dir}/package.json`);
      if (text === undefined) continue;
      const manifest = readManifest(text, join(dirname(input.path), dir, 'package.json'));
      members.set(dir, manifest);
      graph.roots.push(dir);
      graph.nodes.set(dir, { ...localNode(dir, manifest, 'workspace'), workspace: dir });
    }
    if (dirs.length === 0) graph.warnings.push('the workspaces globs matched no member package.json');
  }

  const memberByName = new Map<string, string>();
  for (const [dir, manifest] of members) if (manifest.name) memberByName.set(manifest.name, dir);

  addDependencies(graph, ROOT_ID, root, memberByName);
  for (const [dir, manifest] of members) addDependencies(graph, dir, manifest, memberByName);
  deriveFlags(graph);
  return graph;
};

const addDependencies = (
  graph: DependencyGraph,
  from: string,
  manifest: Manifest,
  memberByName: Map<string, string>,
): void => {
  for (const [key, { spec, type }] of manifest.dependencies) {
    const classified = classifySpecifier(key, spec);
    const member = memberByName.get(classified.name);
    let to: string;
    if (member !== undefined && (classified.source === 'workspace' || classified.source === 'registry')) {
      // npm, yarn and pnpm all link a workspace member when its name is declared.
      to = member;
    } else {
      to = `${classified.name}@${classified.range}`;
      const existing = graph.nodes.get(to);
      if (existing) {
        if (classified.alias && !existing.aliases?.includes(classified.alias)) {
          existing.aliases = [...(existing.aliases ?? []), classified.alias];
        }
      } else {
        const node: DepNode = {
          id: to,
          name: classified.name,
          version: classified.range,
          source: classified.source,
          dev: false,
          optional: false,
          peer: false,
          bundled: false,
          declaredRange: true,
        };
        if (classified.alias) node.aliases = [classified.alias];
        graph.nodes.set(to, node);
      }
    }
    const edge: DepEdge = { from, to, name: key, range: spec, type };
    graph.edges.push(edge);
  }
};

const localNode = (id: string, manifest: Manifest, source: 'root' | 'workspace'): DepNode => ({
  id,
  name: manifest.name ?? '',
  version: manifest.version ?? '',
  source,
  dev: false,
  optional: false,
  peer: false,
  bundled: false,
});

/** Precedence as npm applies it: optional beats prod for the same name; dev and peer only add new names. */
const FIELDS: readonly [string, DependencyType][] = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
  ['peerDependencies', 'peer'],
];

export const readManifest = (text: string, file: string): Manifest => {
  const ctx: Shape = { file };
  const doc = expectRecord(parseJsonInput(text, file), ctx, '$');
  const name = optionalString(doc.name, ctx, 'name');
  const version = optionalString(doc.version, ctx, 'version');
  const peerMeta = optionalRecord(doc.peerDependenciesMeta, ctx, 'peerDependenciesMeta');
  const dependencies = new Map<string, { spec: string; type: DependencyType }>();
  for (const [field, type] of FIELDS) {
    for (const [key, spec] of optionalStringMap(doc[field], ctx, field)) {
      if (key === '') throw new InputError(file, `${field} has an empty package name`);
      const known = dependencies.get(key);
      if (known && !(type === 'optional' && known.type === 'prod')) continue;
      dependencies.set(key, {
        spec,
        type: type === 'peer' && isOptionalPeer(peerMeta, key, ctx) ? 'peerOptional' : type,
      });
    }
  }
  const manifest: Manifest = { dependencies, workspaces: readWorkspaces(doc, ctx) };
  if (name !== undefined) manifest.name = name;
  if (version !== undefined) manifest.version = version;
  return manifest;
};

const isOptionalPeer = (meta: JsonRecord | undefined, key: string, ctx: Shape): boolean => {
  if (!meta || !Object.hasOwn(meta, key)) return false;
  const entry = expectRecord(meta[key], ctx, `peerDependenciesMeta.${key}`);
  return optionalBoolean(entry.optional, ctx, `peerDependenciesMeta.${key}.optional`) === true;
};

/** npm's `workspaces: [...]` or yarn classic's `workspaces: {packages: [...]}`. */
export const readWorkspaces = (doc: JsonRecord, ctx: Shape): string[] => {
  const value = doc.workspaces;
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value)
    ? value
    : expectArray(expectRecord(value, ctx, 'workspaces').packages ?? [], ctx, 'workspaces.packages');
  const path = Array.isArray(value) ? 'workspaces' : 'workspaces.packages';
  return list.map((pattern, i) => expectString(pattern, ctx, `${path}[${i}]`));
};

/** The manager named by `packageManager` ("pnpm@9.1.0"), if it is one Bulwark knows. */
export const managerFromField = (value: string | undefined): 'npm' | 'yarn' | 'pnpm' | 'bun' | undefined => {
  const name = value?.trim().split('@')[0];
  return name === 'npm' || name === 'yarn' || name === 'pnpm' || name === 'bun' ? name : undefined;
};
