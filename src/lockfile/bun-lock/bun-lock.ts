import { basename, posix } from 'node:path';
import { valid as validSemver } from 'semver';
import { InputError } from '../../core/errors.js';
import type { DepEdge, DependencyGraph, DependencyType, DepNode, SourceKind } from '../../core/graph.js';
import { deriveFlags } from '../../core/graph-ops.js';
import {
  expectArray,
  expectRecord,
  expectString,
  type JsonRecord,
  kindOf,
  optionalRecord,
  optionalString,
  type Shape,
} from '../../core/shape.js';
import type { LockfileInput, LockfileParser } from '../types.js';
import { bunLockbError, isBunLockb } from './bun-binary.js';
import { readJsonc } from './read-jsonc.js';

export const bunLockParser: LockfileParser = {
  name: 'lockfile/bun-lock',
  format: 'bun-lock',
  matches: (fileName) => {
    const name = basename(fileName);
    return name === 'bun.lock' || name === 'bun.lockb';
  },
  parse: (input) => parseBunLock(input),
};

const MAX_WARNINGS = 20;

const DEPENDENCY_FIELDS: [string, DependencyType][] = [
  ['dependencies', 'prod'],
  ['devDependencies', 'dev'],
  ['optionalDependencies', 'optional'],
  ['peerDependencies', 'peer'],
];

/** What a `packages` key resolves to: a node, and the manifest fields that give its edges. */
type Entry = { nodeId: string; info: JsonRecord | undefined; infoPath: string };

export const parseBunLock = (input: LockfileInput): DependencyGraph => {
  const file = input.path;
  if (basename(file) === 'bun.lockb' || isBunLockb(input.content)) throw bunLockbError(file);
  if (input.content.includes('\u0000')) throw new InputError(file, 'is a binary file, not a text bun.lock');
  const { value, keyLines } = readJsonc(input.content, file, 'packages');
  const ctx: Shape = { file };
  const top = expectRecord(value, ctx, 'the lockfile');
  const version = top.lockfileVersion;
  if (version !== 0 && version !== 1) {
    const shown = version === undefined ? 'no lockfileVersion' : `lockfileVersion ${JSON.stringify(version)}`;
    throw new InputError(file, `${shown} is not supported; Bulwark reads bun.lock versions 0 and 1`);
  }

  const graph: DependencyGraph = {
    format: 'bun-lock',
    file,
    formatVersion: version,
    roots: [],
    nodes: new Map(),
    edges: [],
    warnings: [],
  };
  const warn = (message: string) => {
    if (graph.warnings.length < MAX_WARNINGS) graph.warnings.push(message);
  };

  const workspaces = expectRecord(top.workspaces, ctx, 'workspaces');
  if (!Object.hasOwn(workspaces, '')) throw new InputError(file, 'workspaces has no root entry ("")');
  const workspaceIds = new Map<string, string>();
  for (const [path, raw] of Object.entries(workspaces)) {
    const where = `workspaces[${quote(path)}]`;
    const ws = expectRecord(raw, ctx, where);
    const id = path === '' ? '.' : normalizeDir(path);
    const isRoot = id === '.';
    const name = optionalString(ws.name, ctx, `${where}.name`);
    const wsVersion = optionalString(ws.version, ctx, `${where}.version`);
    graph.nodes.set(id, {
      id,
      name: name ?? (isRoot ? basename(posix.dirname(file.replaceAll('\\', '/'))) : id),
      version: wsVersion ?? '',
      source: isRoot ? 'root' : 'workspace',
      dev: false,
      optional: false,
      peer: false,
      bundled: false,
      ...(isRoot ? {} : { workspace: id }),
    });
    graph.roots.push(id);
    workspaceIds.set(id, path);
  }

  const packages = optionalRecord(top.packages, ctx, 'packages') ?? {};
  const entries = new Map<string, Entry>();
  for (const [key, raw] of Object.entries(packages)) {
    const path = `packages[${quote(key)}]`;
    const line = keyLines.get(key);
    const entry = packageEntry(expectArray(raw, ctx, path), path, ctx, line);
    if (entry.workspacePath !== undefined) {
      if (workspaceIds.has(entry.workspacePath)) {
        entries.set(key, { nodeId: entry.workspacePath, info: undefined, infoPath: path });
        continue;
      }
      warn(`${path} names workspace "${entry.workspacePath}", which workspaces does not list`);
    }
    const node = entry.node;
    if (entry.info?.bundled === true) node.bundled = true;
    const existing = graph.nodes.get(node.id);
    if (!existing) graph.nodes.set(node.id, node);
    const target = existing ?? node;
    const installName = installNameOf(key);
    if (installName !== target.name) {
      target.aliases ??= [];
      if (!target.aliases.includes(installName)) target.aliases.push(installName);
    }
    entries.set(key, { nodeId: target.id, info: entry.info, infoPath: `${path}[${entry.infoIndex}]` });
  }

  const seen = new Set<string>();
  const addEdge = (edge: DepEdge) => {
    const id = `${edge.from}\u0000${edge.to}\u0000${edge.name}\u0000${edge.type}`;
    if (seen.has(id)) return;
    seen.add(id);
    graph.edges.push(edge);
  };
  const link = (
    from: string,
    fromKey: string,
    manifest: JsonRecord,
    where: string,
    fields = DEPENDENCY_FIELDS,
  ) => {
    const optionalPeers = stringList(manifest.optionalPeers, ctx, `${where}.optionalPeers`);
    for (const [field, baseType] of fields) {
      for (const [name, range] of stringMap(manifest[field], ctx, `${where}.${field}`)) {
        const type: DependencyType =
          baseType === 'peer' && optionalPeers.has(name) ? 'peerOptional' : baseType;
        const target = resolveKey(entries, fromKey, name);
        if (target !== undefined) addEdge({ from, to: target.nodeId, name, range, type });
        else if (type === 'prod' || type === 'dev') {
          warn(`${from} depends on ${name} (${range}), which the lockfile does not list`);
        }
      }
    }
  };

  for (const [id, path] of workspaceIds) {
    const ws = workspaces[path] as JsonRecord;
    const name = graph.nodes.get(id)?.name;
    // Bun nests a member's own versions under its package name (`member/dep`).
    link(id, id === '.' || name === undefined ? '' : name, ws, `workspaces[${quote(path)}]`);
  }
  const packageFields = DEPENDENCY_FIELDS.filter(([field]) => field !== 'devDependencies');
  for (const [key, entry] of entries) {
    if (entry.info) link(entry.nodeId, key, entry.info, entry.infoPath, packageFields);
  }

  deriveFlags(graph);
  return graph;
};

type ParsedEntry = { node: DepNode; info: JsonRecord | undefined; infoIndex: number; workspacePath?: string };

const packageEntry = (tuple: unknown[], path: string, ctx: Shape, line: number | undefined): ParsedEntry => {
  const spec = expectString(tuple[0], ctx, `${path}[0]`);
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  if (at <= 0) throw new InputError(ctx.file, `${path}[0] must be "name@version", got ${kindOf(spec)}`);
  const name = spec.slice(0, at);
  const resolution = spec.slice(at + 1);
  const base = { dev: false, optional: false, peer: false, bundled: false, ...(line ? { line } : {}) };

  // `root:` is the root package itself (for its bins); `workspace:` a member.
  if (resolution.startsWith('workspace:') || resolution === 'root:') {
    const workspacePath = resolution === 'root:' ? '.' : normalizeDir(resolution.slice('workspace:'.length));
    return {
      node: {
        id: `${name}@${resolution}`,
        name,
        version: '',
        source: 'link',
        resolved: workspacePath,
        ...base,
      },
      info: infoAt(tuple, 1, path, ctx),
      infoIndex: 1,
      workspacePath,
    };
  }

  const semver = validSemver(resolution) === resolution ? resolution : undefined;
  if (semver !== undefined) {
    const registry = optionalString(tuple[1], ctx, `${path}[1]`);
    const integrity = optionalString(tuple[3], ctx, `${path}[3]`);
    return {
      node: {
        id: `${name}@${semver}`,
        name,
        version: semver,
        source: 'registry',
        ...(registry ? { resolved: registry } : {}),
        ...(integrity ? { integrity } : {}),
        ...base,
      },
      info: infoAt(tuple, 2, path, ctx),
      infoIndex: 2,
    };
  }

  const source = sourceOf(resolution);
  if (source === undefined) {
    throw new InputError(
      ctx.file,
      `${path}[0]: "${resolution}" is neither a semver version nor a git, tarball, file or link source`,
      line === undefined ? undefined : String(line),
    );
  }
  return {
    node: {
      id: `${name}@${resolution}`,
      name,
      version: resolution,
      source,
      resolved: resolution.replace(/^(link|file):/, ''),
      ...base,
    },
    info: infoAt(tuple, 1, path, ctx),
    infoIndex: 1,
  };
};

const sourceOf = (resolution: string): SourceKind | undefined => {
  if (resolution.startsWith('link:')) return 'link';
  if (/^(github|gitlab|bitbucket):|^git\+|^git:\/\//.test(resolution)) return 'git';
  if (/^https?:\/\//.test(resolution)) {
    return /^https?:\/\/(codeload\.github\.com|gitlab\.com|bitbucket\.org)\//.test(resolution)
      ? 'git'
      : 'tarball';
  }
  const isArchive = /\.(tgz|tar\.gz|tar)$/.test(resolution);
  if (resolution.startsWith('file:') || resolution.startsWith('.') || resolution.startsWith('/')) {
    return isArchive ? 'tarball' : 'directory';
  }
  return isArchive ? 'tarball' : undefined;
};

const infoAt = (tuple: unknown[], index: number, path: string, ctx: Shape): JsonRecord | undefined =>
  optionalRecord(tuple[index], ctx, `${path}[${index}]`);

/** Key segments, with a scope kept together with its name: `a/@s/b` → `a`, `@s/b`. */
const segmentsOf = (key: string): string[] => {
  const parts = key.split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.startsWith('@') && i + 1 < parts.length) {
      out.push(`${part}/${parts[i + 1]}`);
      i++;
    } else out.push(part);
  }
  return out;
};

const installNameOf = (key: string): string => segmentsOf(key).at(-1) ?? key;

/** Bun keys are install paths; a dependency resolves like node_modules, walking up from the parent. */
const resolveKey = (entries: Map<string, Entry>, fromKey: string, name: string): Entry | undefined => {
  const segments = fromKey === '' ? [] : segmentsOf(fromKey);
  for (let depth = segments.length; depth >= 0; depth--) {
    const candidate = [...segments.slice(0, depth), name].join('/');
    const entry = entries.get(candidate);
    if (entry) return entry;
  }
  return undefined;
};

const normalizeDir = (path: string): string => {
  const normalized = posix.normalize(path === '' ? '.' : path.replaceAll('\\', '/'));
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
};

const quote = (key: string): string => JSON.stringify(key);

const stringMap = (value: unknown, ctx: Shape, path: string): Map<string, string> => {
  const out = new Map<string, string>();
  const record = optionalRecord(value, ctx, path);
  if (!record) return out;
  for (const [key, item] of Object.entries(record)) {
    out.set(key, expectString(item, ctx, `${path}[${quote(key)}]`));
  }
  return out;
};

const stringList = (value: unknown, ctx: Shape, path: string): Set<string> => {
  if (value === undefined || value === null) return new Set();
  return new Set(expectArray(value, ctx, path).map((item, i) => expectString(item, ctx, `${path}[${i}]`)));
};
