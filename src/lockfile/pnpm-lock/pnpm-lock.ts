import { basename, posix } from 'node:path';
import { valid as validSemver } from 'semver';
import { InputError } from '../../core/errors.js';
import type { DependencyGraph, DependencyType, DepNode, SourceKind } from '../../core/graph.js';
import { deriveFlags } from '../../core/graph-ops.js';
import {
  expectRecord,
  isRecord,
  type JsonRecord,
  kindOf,
  optionalRecord,
  optionalString,
  type Shape,
} from '../../core/shape.js';
import type { LockfileInput, LockfileParser } from '../types.js';
import { type LockfileGeneration, parsePackageKey, refToKey } from './dep-path.js';
import { readPnpmYaml } from './read-pnpm-yaml.js';
import { readRootManifest } from './root-manifest.js';

export const pnpmLockParser: LockfileParser = {
  name: 'lockfile/pnpm-lock',
  format: 'pnpm-lock',
  matches: (fileName) => basename(fileName) === 'pnpm-lock.yaml',
  parse: (input) => parsePnpmLock(input),
};

const MAX_WARNINGS = 20;

const IMPORTER_SECTIONS: [string, DependencyType][] = [
  ['dependencies', 'prod'],
  ['devDependencies', 'dev'],
  ['optionalDependencies', 'optional'],
];

type Ctx = Shape & {
  generation: LockfileGeneration;
  positions: Map<string, Map<string, string>>;
};

/** A lockfile entry that contributes edges: a v9 snapshot, or a v5/v6 package (per peer variant). */
type Variant = { key: string; section: string; nodeId: string; entry: JsonRecord; meta: JsonRecord };

export const parsePnpmLock = (input: LockfileInput): DependencyGraph => {
  const file = input.path;
  const { data, keyPositions } = readPnpmYaml(input.content, file);
  const top = expectRecord(data, { file }, 'the lockfile');
  const formatVersion = top.lockfileVersion;
  const ctx: Ctx = { file, generation: generationOf(formatVersion, file), positions: keyPositions };

  const graph: DependencyGraph = {
    format: 'pnpm-lock',
    file,
    formatVersion: formatVersion as string | number,
    roots: [],
    nodes: new Map(),
    edges: [],
    warnings: [],
  };
  const builder = graphBuilder(graph);

  const byBase = new Map<string, string>();
  const variants: Variant[] = [];
  const packages = optionalRecord(top.packages, ctx, 'packages') ?? {};
  for (const [key, value] of entriesOf(packages, ctx, 'packages')) {
    const path = `packages[${quote(key)}]`;
    const entry = expectRecord(value, ctx, path);
    const parsed = parsePackageKey(key, ctx.generation);
    let nodeId = byBase.get(parsed.base);
    if (nodeId === undefined) {
      const node = packageNode(key, entry, ctx);
      nodeId = node.id;
      byBase.set(parsed.base, nodeId);
      if (!graph.nodes.has(node.id)) graph.nodes.set(node.id, node);
    }
    if (ctx.generation !== 9) variants.push({ key, section: 'packages', nodeId, entry, meta: entry });
  }

  if (ctx.generation === 9) {
    const snapshots = optionalRecord(top.snapshots, ctx, 'snapshots') ?? {};
    for (const [key, value] of entriesOf(snapshots, ctx, 'snapshots')) {
      const entry = expectRecord(value ?? {}, ctx, `snapshots[${quote(key)}]`);
      const base = parsePackageKey(key, 9).base;
      const nodeId = byBase.get(base);
      if (nodeId === undefined) {
        builder.warn(`snapshot "${key}" has no entry in packages; its dependencies are not read`);
        continue;
      }
      const meta = isRecord(packages[base]) ? (packages[base] as JsonRecord) : {};
      variants.push({ key, section: 'snapshots', nodeId, entry, meta });
    }
  }

  const importers = importersOf(top, ctx);
  const importerIds = new Map<string, string>();
  for (const importerPath of importers.keys()) importerIds.set(normalizeDir(importerPath), importerPath);
  for (const [importerPath] of importers) {
    const id = normalizeDir(importerPath);
    const isRoot = id === '.';
    // Importers outside the lockfile's folder are listed but their manifests are not read.
    const outside = id === '..' || id.startsWith('../') || id.startsWith('/');
    const manifest = outside ? {} : readRootManifest(input, isRoot ? 'package.json' : `${id}/package.json`);
    const node: DepNode = {
      id,
      name: manifest.name ?? (isRoot ? basename(posix.dirname(file.replaceAll('\\', '/'))) : id),
      version: manifest.version ?? '',
      source: isRoot ? 'root' : 'workspace',
      dev: false,
      optional: false,
      peer: false,
      bundled: false,
      ...(isRoot ? {} : { workspace: id }),
      ...lineField(lineOf(ctx, 'importers', importerPath)),
    };
    graph.nodes.set(id, node);
    graph.roots.push(id);
  }
  if (!importerIds.has('.')) {
    builder.warn('the lockfile has no importer for the project root (".")');
  }

  const resolve = (fromDir: string, depName: string, ref: string): string | undefined => {
    if (ref.startsWith('link:')) {
      const linkPath = ref.slice('link:'.length);
      const target = normalizeDir(linkPath.startsWith('/') ? linkPath : posix.join(fromDir, linkPath));
      if (importerIds.has(target)) return target;
      const id = `link:${target}`;
      if (!graph.nodes.has(id)) {
        graph.nodes.set(id, {
          id,
          name: depName,
          version: '',
          resolved: target,
          source: 'link',
          dev: false,
          optional: false,
          peer: false,
          bundled: false,
        });
      }
      return id;
    }
    const key = refToKey(depName, ref, ctx.generation);
    if (key === undefined) return undefined;
    const id = byBase.get(parsePackageKey(key, ctx.generation).base);
    if (id === undefined) return undefined;
    const node = graph.nodes.get(id);
    if (node && node.name !== depName && node.source !== 'root' && node.source !== 'workspace') {
      node.aliases ??= [];
      if (!node.aliases.includes(depName)) node.aliases.push(depName);
    }
    return id;
  };

  for (const [importerPath, importer] of importers) {
    const from = normalizeDir(importerPath);
    const where = importerPath === '' ? '' : `importers[${quote(importerPath)}].`;
    const specifiers = stringMap(importer.specifiers, ctx, `${where}specifiers`);
    for (const [section, type] of IMPORTER_SECTIONS) {
      const deps = optionalRecord(importer[section], ctx, `${where}${section}`);
      if (!deps) continue;
      for (const [depName, value] of entriesOf(deps, ctx, `${where}${section}`)) {
        const path = `${where}${section}[${quote(depName)}]`;
        const { version, specifier } = importerDep(value, ctx, path);
        const to = resolve(from, depName, version);
        const range = specifier ?? specifiers.get(depName) ?? version;
        if (to === undefined) builder.unresolved(from, depName, version, type);
        else builder.edge({ from, to, name: depName, range, type });
      }
    }
  }

  for (const variant of variants) {
    const where = `${variant.section}[${quote(variant.key)}]`;
    const peers = stringMap(variant.meta.peerDependencies, ctx, `${where}.peerDependencies`);
    const peerMeta = optionalRecord(variant.meta.peerDependenciesMeta, ctx, `${where}.peerDependenciesMeta`);
    for (const [section, baseType] of [
      ['dependencies', 'prod'],
      ['optionalDependencies', 'optional'],
    ] as const) {
      for (const [depName, ref] of stringMap(variant.entry[section], ctx, `${where}.${section}`)) {
        let type: DependencyType = baseType;
        const peerRange = peers.get(depName);
        if (peerRange !== undefined) {
          const meta = peerMeta && Object.hasOwn(peerMeta, depName) ? peerMeta[depName] : undefined;
          type = isRecord(meta) && meta.optional === true ? 'peerOptional' : 'peer';
        }
        const to = resolve('.', depName, ref);
        if (to === undefined) builder.unresolved(variant.nodeId, depName, ref, type);
        else builder.edge({ from: variant.nodeId, to, name: depName, range: peerRange ?? ref, type });
      }
    }
  }

  builder.finish();
  deriveFlags(graph);
  return graph;
};

const generationOf = (version: unknown, file: string): LockfileGeneration => {
  const number = typeof version === 'number' ? version : typeof version === 'string' ? Number(version) : NaN;
  const major = Math.floor(number);
  if (major === 5 || major === 6 || major === 9) return major;
  const shown = version === undefined ? 'no lockfileVersion' : `lockfileVersion ${JSON.stringify(version)}`;
  throw new InputError(
    file,
    `${shown} is not supported; Bulwark reads pnpm lockfile versions 5.x, 6.x and 9.x`,
  );
};

/** Importer path → its section; a single-project v5/v6 lockfile keeps the root's at top level. */
const importersOf = (top: JsonRecord, ctx: Ctx): Map<string, JsonRecord> => {
  const out = new Map<string, JsonRecord>();
  const importers = optionalRecord(top.importers, ctx, 'importers');
  if (importers) {
    for (const [path, value] of entriesOf(importers, ctx, 'importers')) {
      out.set(path, expectRecord(value ?? {}, ctx, `importers[${quote(path)}]`));
    }
  } else {
    out.set('', top);
  }
  return out;
};

const importerDep = (value: unknown, ctx: Ctx, path: string): { version: string; specifier?: string } => {
  if (typeof value === 'string') return { version: value };
  if (isRecord(value)) {
    const version = optionalString(value.version, ctx, `${path}.version`);
    if (version === undefined) throw new InputError(ctx.file, `${path}.version is missing`);
    const specifier = optionalString(value.specifier, ctx, `${path}.specifier`);
    return specifier === undefined ? { version } : { version, specifier };
  }
  throw new InputError(ctx.file, `${path} must be a version or {specifier, version}, got ${kindOf(value)}`);
};

const packageNode = (key: string, entry: JsonRecord, ctx: Ctx): DepNode => {
  const path = `packages[${quote(key)}]`;
  const parsed = parsePackageKey(key, ctx.generation);
  const resolution = expectRecord(entry.resolution, ctx, `${path}.resolution`);
  const integrity = optionalString(resolution.integrity, ctx, `${path}.resolution.integrity`);
  const tarball = optionalString(resolution.tarball, ctx, `${path}.resolution.tarball`);
  const type = optionalString(resolution.type, ctx, `${path}.resolution.type`);
  const declaredName = optionalString(entry.name, ctx, `${path}.name`);
  const declaredVersion = optionalString(entry.version, ctx, `${path}.version`);
  const name = declaredName ?? parsed.name;
  const line = lineOf(ctx, 'packages', key);
  const base = { dev: false, optional: false, peer: false, bundled: false, ...lineField(line) };
  if (name === undefined || name === '') {
    throw new InputError(ctx.file, `${path} has no package name`, line.position);
  }

  const registryVersion =
    parsed.ref !== undefined && validSemver(parsed.ref) === parsed.ref ? parsed.ref : undefined;
  if (
    type === undefined &&
    registryVersion !== undefined &&
    (tarball === undefined || !isLocalOrGit(tarball))
  ) {
    return {
      id: `${name}@${registryVersion}`,
      name,
      version: registryVersion,
      source: 'registry',
      ...(tarball === undefined ? {} : { resolved: tarball }),
      ...(integrity === undefined ? {} : { integrity }),
      ...base,
    };
  }

  let source: SourceKind;
  let resolved: string | undefined;
  if (type === 'directory') {
    source = 'directory';
    resolved = optionalString(resolution.directory, ctx, `${path}.resolution.directory`);
  } else if (type === 'git') {
    source = 'git';
    const repo = optionalString(resolution.repo, ctx, `${path}.resolution.repo`) ?? '';
    const commit = optionalString(resolution.commit, ctx, `${path}.resolution.commit`) ?? '';
    resolved = commit ? `${repo}#${commit}` : repo;
  } else if (tarball !== undefined) {
    source = isGitHost(tarball) ? 'git' : 'tarball';
    resolved = tarball;
  } else if (type !== undefined) {
    // A resolution kind this version of Bulwark does not know (e.g. pnpm runtimes).
    source = 'tarball';
  } else {
    const shown = parsed.ref ?? key;
    throw new InputError(
      ctx.file,
      `${path}: "${shown}" is not a valid semver version, and the entry has no tarball, git or directory resolution`,
      line.position,
    );
  }
  const idRef = ctx.generation === 9 ? parsed.base : `${name}@${parsed.base}`;
  return {
    id: idRef,
    name,
    version: declaredVersion ?? parsed.ref ?? '',
    source,
    ...(resolved === undefined ? {} : { resolved }),
    ...(integrity === undefined ? {} : { integrity }),
    ...base,
  };
};

const GIT_TARBALL_HOSTS = new Set(['codeload.github.com', 'gitlab.com', 'bitbucket.org']);

const isGitHost = (url: string): boolean => {
  try {
    return GIT_TARBALL_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
};

const isLocalOrGit = (tarball: string): boolean => tarball.startsWith('file:') || isGitHost(tarball);

const lineOf = (ctx: Ctx, section: string, key: string): { line?: number; position?: string } => {
  const position = ctx.positions.get(section)?.get(key);
  if (position === undefined) return {};
  return { line: Number(position.split(':')[0]), position };
};

const lineField = (line: { line?: number }): { line?: number } =>
  line.line === undefined ? {} : { line: line.line };

const normalizeDir = (path: string): string => {
  const normalized = posix.normalize(path === '' ? '.' : path.replaceAll('\\', '/'));
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
};

const quote = (key: string): string => JSON.stringify(key);

/** Object entries of an untrusted map, refusing the one key that could touch a prototype. */
const entriesOf = (record: JsonRecord, ctx: Ctx, path: string): [string, unknown][] => {
  const entries = Object.entries(record);
  if (Object.hasOwn(record, '__proto__')) {
    throw new InputError(ctx.file, `${path} has a "__proto__" key, which no valid lockfile has`);
  }
  return entries;
};

const stringMap = (value: unknown, ctx: Ctx, path: string): Map<string, string> => {
  const out = new Map<string, string>();
  const record = optionalRecord(value, ctx, path);
  if (!record) return out;
  for (const [key, item] of entriesOf(record, ctx, path)) {
    if (typeof item !== 'string') {
      throw new InputError(ctx.file, `${path}[${quote(key)}] must be a string, got ${kindOf(item)}`);
    }
    out.set(key, item);
  }
  return out;
};

type EdgeInput = DependencyGraph['edges'][number];

const graphBuilder = (graph: DependencyGraph) => {
  const seen = new Set<string>();
  let dropped = 0;
  let unresolvedCount = 0;
  const warn = (message: string) => {
    if (graph.warnings.length < MAX_WARNINGS) graph.warnings.push(message);
    else dropped++;
  };
  return {
    warn,
    edge: (edge: EdgeInput) => {
      const key = `${edge.from}\u0000${edge.to}\u0000${edge.name}\u0000${edge.type}`;
      if (seen.has(key)) return;
      seen.add(key);
      graph.edges.push(edge);
    },
    unresolved: (from: string, name: string, ref: string, type: DependencyType) => {
      if (type === 'peer' || type === 'peerOptional' || type === 'optional') return;
      unresolvedCount++;
      warn(`${from} depends on ${name} (${ref}), which the lockfile does not list`);
    },
    finish: () => {
      if (dropped > 0) graph.warnings.push(`… and ${dropped} more warnings`);
      return unresolvedCount;
    },
  };
};
