import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { CORE_SCHEMA, dump, loadAll } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { DepEdge, DependencyGraph } from '../../core/graph.js';
import { indexGraph } from '../../core/graph-ops.js';
import { isRecord, type JsonRecord } from '../../core/shape.js';
import { pnpmLockParser } from './pnpm-lock.js';

/**
 * Proves pnpmLockParser against pnpm itself. The real pnpm client (a devDependency) lists a
 * lockfile's packages without installing and without network:
 *   pnpm list --lockfile-only --depth Infinity --json --offline [--recursive] [--prod]
 * Its JSON is a tree per project; shared subtrees after their first appearance are printed as
 * `deduped: true` without children, so flattening the whole tree visits every package once.
 *
 * Normalisation, the same on both sides:
 * - a package is `name@version` with the real package name: pnpm prints the install name
 *   (an alias) as the key and the real name in `from`; we use DepNode.name;
 * - the peer suffix is not part of the version: pnpm prints the bare version, our node ids merge
 *   peer variants;
 * - registry and non-registry (git, tarball, `file:`) packages are told apart: pnpm's `path`
 *   ends in `.pnpm/<dep path as a folder>/node_modules/<name>`, and only a registry dep path is
 *   `name@version` (optionally followed by a `_` peer suffix); ours is DepNode.source;
 * - `link:` entries (workspace members, linked folders) are not packages; pnpm still descends
 *   into a linked workspace member's dependencies, and so does a walk of our graph, where a
 *   `link:` to an importer is an edge to that importer's root node;
 * - aliases are compared as `alias -> name@version` pairs: pnpm's key differs from `from`, our
 *   edge name differs from the target's name.
 */

const REPO = join(import.meta.dirname, '../../..');
const PNPM = join(REPO, 'node_modules/.bin/pnpm');
const CORPUS = join(REPO, 'testdata/lockfiles');
const FIXTURES = join(import.meta.dirname, 'testdata');
const PNPM_TIMEOUT_MS = 60_000;

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const requirePnpm = (): string => {
  if (!existsSync(PNPM)) {
    throw new Error(`${PNPM} is missing: pnpm is a devDependency of Bulwark; run npm ci`);
  }
  return PNPM;
};

// ---------------------------------------------------------------------------------------------
// A temporary project pnpm can read: the lockfile, the root manifest and, for --recursive, the
// workspace members' manifests synthesized from the lockfile.

type ImporterDeps = { path: string; sections: Map<string, Map<string, string>> };

const SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/** The lockfile's main document (the last one: pnpm ≥ 11 may put an "env" document first). */
const mainDocument = (lockfile: string): JsonRecord => {
  const docs = loadAll(readFileSync(lockfile, 'utf8'), undefined, { schema: CORE_SCHEMA }).filter(isRecord);
  const last = docs[docs.length - 1];
  if (!last) throw new Error(`${lockfile} holds no YAML map`);
  return last;
};

/** Each importer's declared dependencies as `name -> specifier`, per section. */
const importerDeps = (lockfile: string): ImporterDeps[] => {
  const doc = mainDocument(lockfile);
  const importers = isRecord(doc.importers) ? doc.importers : { '.': doc };
  return Object.entries(importers).map(([path, importer]) => {
    const sections = new Map<string, Map<string, string>>();
    for (const section of SECTIONS) {
      const deps = isRecord(importer) && isRecord(importer[section]) ? importer[section] : {};
      const specs = new Map<string, string>();
      for (const [name, dep] of Object.entries(deps)) {
        // v5 keeps the specifiers in a map of their own.
        const v5Specifiers = isRecord(importer) && isRecord(importer.specifiers) ? importer.specifiers : {};
        const specifier = isRecord(dep) ? dep.specifier : v5Specifiers[name];
        if (typeof specifier !== 'string') throw new Error(`${lockfile}: ${path} ${name} has no specifier`);
        specs.set(name, specifier);
      }
      if (specs.size > 0) sections.set(section, specs);
    }
    return { path, sections };
  });
};

const synthesizedName = (path: string): string =>
  path === '.' ? 'synthesized-root' : `synthesized-${path.replace(/[^A-Za-z0-9._-]+/g, '-')}`;

const manifestFor = (importer: ImporterDeps): string =>
  `${JSON.stringify(
    {
      name: synthesizedName(importer.path),
      version: '0.0.0',
      private: true,
      ...Object.fromEntries(
        [...importer.sections].map(([section, specs]) => [section, Object.fromEntries(specs)]),
      ),
    },
    null,
    2,
  )}\n`;

type Project = {
  dir: string;
  /** Temp HOME, caches and store: pnpm writes nothing outside the temp folder. */
  home: string;
};

/**
 * Copies the lockfile into a temp project. `rootManifest` is the real package.json when the
 * corpus has one; otherwise the root's is synthesized too. With `workspace`, every importer gets
 * a synthesized package.json and pnpm-workspace.yaml lists them all.
 */
const makeProject = (lockfile: string, options: { rootManifest?: string; workspace: boolean }): Project => {
  const base = mkdtempSync(join(tmpdir(), 'bulwark-pnpm-list-'));
  tempDirs.push(base);
  const dir = join(base, 'project');
  const home = join(base, 'home');
  mkdirSync(dir);
  mkdirSync(home);
  copyFileSync(lockfile, join(dir, 'pnpm-lock.yaml'));
  const importers = importerDeps(lockfile);
  const root = importers.find((importer) => importer.path === '.');
  if (options.rootManifest) copyFileSync(options.rootManifest, join(dir, 'package.json'));
  else writeFileSync(join(dir, 'package.json'), manifestFor(root ?? { path: '.', sections: new Map() }));
  if (options.workspace) {
    const members = importers.filter((importer) => importer.path !== '.');
    for (const member of members) {
      const memberDir = join(dir, member.path);
      mkdirSync(memberDir, { recursive: true });
      writeFileSync(join(memberDir, 'package.json'), manifestFor(member));
    }
    // JSON strings are valid YAML flow scalars.
    const list = members.map((member) => `  - ${JSON.stringify(member.path)}\n`).join('');
    writeFileSync(join(dir, 'pnpm-workspace.yaml'), `packages:\n${list}`);
  }
  return { dir, home };
};

const pnpmEnv = (home: string): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // `npm test` exports npm_config_*; pnpm would read them as its own settings.
    if (!/^(npm|pnpm)_config_/i.test(key)) env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    PNPM_HOME: join(home, 'pnpm-home'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_STATE_HOME: join(home, 'state'),
    npm_config_store_dir: join(home, 'store'),
    // Without it pnpm tries to download the version the manifest's `packageManager` names.
    npm_config_manage_package_manager_versions: 'false',
    // Belt and braces with --offline: any request would go to a name that cannot resolve.
    npm_config_registry: 'https://registry.example.invalid/',
  };
};

type PnpmRun = { ok: true; projects: unknown[] } | { ok: false; message: string };

const runPnpmList = (project: Project, extra: string[]): PnpmRun => {
  const args = ['list', '--lockfile-only', '--depth', 'Infinity', '--json', '--offline', ...extra];
  try {
    const out = execFileSync(requirePnpm(), args, {
      cwd: project.dir,
      env: pnpmEnv(project.home),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: PNPM_TIMEOUT_MS,
      maxBuffer: 1 << 30,
    });
    const parsed: unknown = JSON.parse(out);
    if (!Array.isArray(parsed)) throw new Error(`pnpm list printed ${typeof parsed}, not an array`);
    return { ok: true, projects: parsed };
  } catch (error) {
    const failure = error as { stderr?: string; stdout?: string; signal?: string; message?: string };
    if (failure.signal)
      throw new Error(`pnpm list ${args.join(' ')} timed out or was killed (${failure.signal})`);
    const text = `${failure.stderr ?? ''}${failure.stdout ?? ''}`.trim() || String(failure.message);
    return { ok: false, message: text.replace(/\s+/g, ' ') };
  }
};

const listOrThrow = (project: Project, extra: string[]): unknown[] => {
  const run = runPnpmList(project, extra);
  if (!run.ok) throw new Error(`pnpm list ${extra.join(' ')} failed: ${run.message}`);
  return run.projects;
};

// ---------------------------------------------------------------------------------------------
// Both views as sets of strings.

type View = { packages: Set<string>; aliases: Set<string> };

const label = (registry: boolean, name: string, version: string): string =>
  `${registry ? 'registry' : 'other'} ${name}@${version}`;

/** pnpm's folder name for a dep path (`/` → `+`); the registry one is `name@version[_peers]`. */
const isRegistryPath = (name: string, version: string, path: string): boolean => {
  const marker = '/node_modules/.pnpm/';
  const at = path.lastIndexOf(marker);
  if (at === -1) return false;
  const folder = path.slice(at + marker.length).split('/')[0] ?? '';
  const expected = `${name.replace('/', '+')}@${version}`;
  return folder === expected || folder.startsWith(`${expected}_`);
};

/** Flattens `pnpm list --json` output (one tree per listed project). */
const flattenPnpm = (projects: unknown[]): View => {
  const view: View = { packages: new Set(), aliases: new Set() };
  const walk = (node: JsonRecord, where: string) => {
    for (const [section, deps] of Object.entries(node)) {
      if (!section.endsWith('ependencies')) continue;
      if (!(SECTIONS as readonly string[]).includes(section)) {
        throw new Error(`${where}: pnpm printed an unexpected section "${section}"`);
      }
      if (!isRecord(deps)) throw new Error(`${where}.${section} is not a map`);
      for (const [key, child] of Object.entries(deps)) {
        if (!isRecord(child)) throw new Error(`${where}.${section}.${key} is not a map`);
        const { from, version, path } = child;
        if (typeof from !== 'string' || typeof version !== 'string' || typeof path !== 'string') {
          throw new Error(`${where}.${section}.${key} lacks from/version/path`);
        }
        if (!version.startsWith('link:')) {
          view.packages.add(label(isRegistryPath(from, version, path), from, version));
          if (key !== from) view.aliases.add(`${key} -> ${from}@${version}`);
        }
        walk(child, `${where}.${section}.${key}`);
      }
    }
  };
  for (const project of projects) {
    if (!isRecord(project)) throw new Error('pnpm listed a project that is not a map');
    walk(project, String(project.path));
  }
  return view;
};

const isPackageNode = (graph: DependencyGraph, id: string): boolean => {
  const source = graph.nodes.get(id)?.source;
  return source === 'registry' || source === 'git' || source === 'tarball' || source === 'directory';
};

/** Our view: packages reachable from `starts`, following the edges `follow` accepts. */
const walkGraph = (graph: DependencyGraph, starts: string[], follow: (edge: DepEdge) => boolean): View => {
  const index = indexGraph(graph);
  const view: View = { packages: new Set(), aliases: new Set() };
  const seen = new Set<string>(starts);
  const stack = [...starts];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const edge of index.out.get(id) ?? []) {
      if (!follow(edge)) continue;
      const node = graph.nodes.get(edge.to);
      if (node && isPackageNode(graph, node.id) && edge.name !== node.name) {
        view.aliases.add(`${edge.name} -> ${node.name}@${node.version}`);
      }
      if (seen.has(edge.to)) continue;
      seen.add(edge.to);
      stack.push(edge.to);
    }
  }
  for (const id of seen) {
    const node = graph.nodes.get(id);
    if (node && isPackageNode(graph, id)) {
      view.packages.add(label(node.source === 'registry', node.name, node.version));
    }
  }
  return view;
};

const parseLockfile = (lockfile: string, rootManifest?: string): DependencyGraph =>
  pnpmLockParser.parse({
    path: lockfile,
    content: readFileSync(lockfile, 'utf8'),
    readSibling: (relative) =>
      relative === 'package.json' && rootManifest ? readFileSync(rootManifest, 'utf8') : undefined,
  });

const difference = (ours: Set<string>, theirs: Set<string>) => ({
  onlyOurs: [...ours].filter((item) => !theirs.has(item)).sort(),
  onlyPnpm: [...theirs].filter((item) => !ours.has(item)).sort(),
});

const same = { onlyOurs: [], onlyPnpm: [] };

const everything = () => true;

// ---------------------------------------------------------------------------------------------
// An independent reading of the lockfile's structure, to explain the one way our graph may list
// more than pnpm for a single importer.

type Mode = 'all' | 'prod';

const IMPORTER_SECTIONS: Record<Mode, readonly string[]> = {
  all: SECTIONS,
  prod: ['dependencies', 'optionalDependencies'],
};

const stripPeers = (key: string): string => {
  const paren = key.indexOf('(');
  return paren === -1 ? key : key.slice(0, paren);
};

const nameAndRest = (key: string): [string, string] => {
  const at = key.indexOf('@', key.startsWith('@') ? 1 : 0);
  return [key.slice(0, at), key.slice(at + 1)];
};

/**
 * Walks a v9 lockfile the way pnpm does: importer → snapshot key (with its peer suffix) → that
 * snapshot's dependencies, descending through `link:` into other importers. With
 * `mergeVariants`, a snapshot's dependencies are the union over all peer variants of the same
 * package, which is all a graph with one node per name@version (ours) can express.
 */
const lockfileWalk = (lockfile: string, starts: string[], mode: Mode, mergeVariants: boolean): View => {
  const doc = mainDocument(lockfile);
  const importers = isRecord(doc.importers) ? doc.importers : {};
  const packages = isRecord(doc.packages) ? doc.packages : {};
  const snapshots = isRecord(doc.snapshots) ? doc.snapshots : {};
  const variantsOf = new Map<string, string[]>();
  for (const key of Object.keys(snapshots)) {
    const base = stripPeers(key);
    variantsOf.set(base, [...(variantsOf.get(base) ?? []), key]);
  }
  const view: View = { packages: new Set(), aliases: new Set() };
  const seen = new Set<string>();
  const stack: string[] = [];
  const visit = (state: string) => {
    if (!seen.has(state)) {
      seen.add(state);
      stack.push(state);
    }
  };
  const follow = (fromDir: string, name: string, ref: string) => {
    if (ref.startsWith('link:')) {
      const target = posix.normalize(posix.join(fromDir, ref.slice('link:'.length)));
      if (Object.hasOwn(importers, target)) visit(`importer:${target}`);
      return;
    }
    const key = Object.hasOwn(snapshots, `${name}@${ref}`) ? `${name}@${ref}` : ref;
    if (!Object.hasOwn(snapshots, key)) throw new Error(`${lockfile}: ${name}: ${ref} has no snapshot`);
    const base = stripPeers(key);
    const meta = packages[base];
    const [keyName, keyRef] = nameAndRest(base);
    const version = isRecord(meta) && typeof meta.version === 'string' ? meta.version : keyRef;
    const realName = isRecord(meta) && typeof meta.name === 'string' ? meta.name : keyName;
    view.packages.add(label(base === `${realName}@${version}`, realName, version));
    if (name !== realName) view.aliases.add(`${name} -> ${realName}@${version}`);
    visit(mergeVariants ? `merged:${base}` : `snapshot:${key}`);
  };
  for (const start of starts) visit(`importer:${start}`);
  while (stack.length > 0) {
    const state = stack.pop()!;
    const colon = state.indexOf(':');
    const kind = state.slice(0, colon);
    const id = state.slice(colon + 1);
    if (kind === 'importer') {
      const importer = importers[id];
      for (const section of IMPORTER_SECTIONS[mode]) {
        const deps = isRecord(importer) && isRecord(importer[section]) ? importer[section] : {};
        for (const [name, dep] of Object.entries(deps)) {
          if (isRecord(dep) && typeof dep.version === 'string') follow(id, name, dep.version);
        }
      }
      continue;
    }
    const keys = kind === 'merged' ? (variantsOf.get(id) ?? []) : [id];
    for (const key of keys) {
      const snapshot = snapshots[key];
      for (const section of ['dependencies', 'optionalDependencies']) {
        const deps = isRecord(snapshot) && isRecord(snapshot[section]) ? snapshot[section] : {};
        for (const [name, ref] of Object.entries(deps)) {
          if (typeof ref === 'string') follow('.', name, ref);
        }
      }
    }
  }
  return view;
};

const prodEdge = (graph: DependencyGraph) => {
  const roots = new Set(graph.roots);
  return (edge: DepEdge) => !(roots.has(edge.from) && edge.type === 'dev');
};

// ---------------------------------------------------------------------------------------------
// pnpm 12 reads only lockfile v9. A v5/v6 fixture is rewritten to the v9 layout pnpm reads (keys
// without the leading `/`, v5's `/name/1.0.0_peers` as `name@1.0.0(peers)`, per-package metadata
// in `packages` and per-variant dependencies in `snapshots`); our parser still reads the original,
// so the comparison checks its v5/v6 reading against pnpm's v9 one.

type Generation = 5 | 6;

const SNAPSHOT_FIELDS = new Set([
  'dependencies',
  'optionalDependencies',
  'transitivePeerDependencies',
  'optional',
]);

/** `/name@1.0.0(peer@2)` (v6) or `/name/1.0.0_peer@2` (v5) → `name@1.0.0(peer@2)`. */
const v9Key = (key: string, generation: Generation): string => {
  if (!key.startsWith('/')) return key;
  const body = key.slice(1);
  if (generation === 6) return body;
  const parts = body.split('/');
  const nameParts = body.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameParts).join('/');
  return `${name}@${v5PeerSuffix(parts.slice(nameParts).join('/'))}`;
};

/** v5 `1.0.0_react@18.2.0` → `1.0.0(react@18.2.0)`; the suffix is only an identifier to pnpm. */
const v5PeerSuffix = (ref: string): string => {
  const underscore = ref.indexOf('_');
  return underscore === -1 ? ref : `${ref.slice(0, underscore)}(${ref.slice(underscore + 1)})`;
};

const v9Ref = (ref: string, generation: Generation): string => {
  if (ref.startsWith('link:') || ref.startsWith('file:')) return ref;
  if (ref.startsWith('/')) return v9Key(ref, generation);
  return generation === 5 ? v5PeerSuffix(ref) : ref;
};

const v9Deps = (deps: unknown, generation: Generation): JsonRecord | undefined =>
  isRecord(deps)
    ? Object.fromEntries(Object.entries(deps).map(([name, ref]) => [name, v9Ref(String(ref), generation)]))
    : undefined;

const v9Importer = (importer: JsonRecord, generation: Generation): JsonRecord => {
  const specifiers = isRecord(importer.specifiers) ? importer.specifiers : {};
  const out: [string, JsonRecord][] = [];
  for (const section of SECTIONS) {
    const deps = importer[section];
    if (!isRecord(deps)) continue;
    const entries = Object.entries(deps).map(([name, dep]) => {
      const { specifier, version } = isRecord(dep) ? dep : { specifier: specifiers[name], version: dep };
      return [name, { specifier, version: v9Ref(String(version), generation) }];
    });
    out.push([section, Object.fromEntries(entries)]);
  }
  return Object.fromEntries(out);
};

/** Writes the v9 rewrite of a v5/v6 lockfile into a temp folder and returns its path. */
const writeV9 = (lockfile: string): string => {
  const doc = mainDocument(lockfile);
  const generation: Generation = Math.floor(Number(doc.lockfileVersion)) === 5 ? 5 : 6;
  const importers = isRecord(doc.importers) ? doc.importers : { '.': doc };
  const packages: [string, JsonRecord][] = [];
  const snapshots: [string, JsonRecord][] = [];
  const bases = new Set<string>();
  for (const [key, entry] of Object.entries(isRecord(doc.packages) ? doc.packages : {})) {
    if (!isRecord(entry)) continue;
    const v9 = v9Key(key, generation);
    const meta = Object.entries(entry).filter(([field]) => !SNAPSHOT_FIELDS.has(field) && field !== 'dev');
    const snapshot = Object.entries(entry)
      .filter(([field]) => SNAPSHOT_FIELDS.has(field))
      .map(([field, value]) => [field, field.endsWith('ependencies') ? v9Deps(value, generation) : value]);
    const base = stripPeers(v9);
    if (!bases.has(base)) packages.push([base, Object.fromEntries(meta)]);
    bases.add(base);
    snapshots.push([v9, Object.fromEntries(snapshot)]);
  }
  const v9Doc = {
    lockfileVersion: '9.0',
    settings: { autoInstallPeers: true, excludeLinksFromLockfile: false },
    importers: Object.fromEntries(
      Object.entries(importers).map(([path, importer]) => [
        path,
        v9Importer(isRecord(importer) ? importer : {}, generation),
      ]),
    ),
    packages: Object.fromEntries(packages),
    snapshots: Object.fromEntries(snapshots),
  };
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-pnpm-v9-'));
  tempDirs.push(dir);
  const out = join(dir, 'pnpm-lock.yaml');
  writeFileSync(out, dump(v9Doc, { lineWidth: -1 }));
  return out;
};

/** Our parser reads `lockfile`; pnpm and the reference walk read its v9 rewrite when asked. */
type Case = { name: string; lockfile: string; rootManifest?: string; rewriteToV9?: true };

const CASES: Case[] = [
  {
    name: 'vue-core',
    lockfile: join(CORPUS, 'vue-core/pnpm-lock.yaml'),
    rootManifest: join(CORPUS, 'vue-core/package.json'),
  },
  // 545 importers, and a leading "env" document (pnpm 11) that pnpm itself skips too.
  {
    name: 'astro',
    lockfile: join(CORPUS, 'astro/pnpm-lock.yaml'),
    rootManifest: join(CORPUS, 'astro/package.json'),
  },
  { name: 'aliases.v9', lockfile: join(FIXTURES, 'aliases.v9.yaml') },
  { name: 'git-tarball-file.v9', lockfile: join(FIXTURES, 'git-tarball-file.v9.yaml') },
  { name: 'workspaces.v9', lockfile: join(FIXTURES, 'workspaces.v9.yaml') },
  { name: 'peers.v6 (as v9)', lockfile: join(FIXTURES, 'peers.v6.yaml'), rewriteToV9: true },
  { name: 'simple.v5 (as v9)', lockfile: join(FIXTURES, 'simple.v5.yaml'), rewriteToV9: true },
];

describe('pnpm list --lockfile-only agrees with pnpmLockParser', () => {
  describe.each(CASES)('$name', ({ lockfile, rootManifest, rewriteToV9 }) => {
    const graph = parseLockfile(lockfile, rootManifest);
    const pnpmLockfile = rewriteToV9 ? writeV9(lockfile) : lockfile;
    let workspace: Project | undefined;
    const workspaceProject = () => {
      workspace ??= makeProject(pnpmLockfile, { rootManifest, workspace: true });
      return workspace;
    };

    it.each(['all', 'prod'] as const)('root importer (%s): pnpm lists every package we reach', (mode) => {
      const project = makeProject(pnpmLockfile, { rootManifest, workspace: false });
      const pnpm = flattenPnpm(listOrThrow(project, mode === 'prod' ? ['--prod'] : []));
      const ours = walkGraph(graph, ['.'], mode === 'prod' ? prodEdge(graph) : everything);
      // vue-core, astro and the workspace fixture have no production dependencies at the root.
      if (mode === 'all') expect(pnpm.packages.size).toBeGreaterThan(0);
      // Our reading of pnpm's structure is exact: peer variant by peer variant, it is pnpm.
      const precise = lockfileWalk(pnpmLockfile, ['.'], mode, false);
      expect(difference(precise.packages, pnpm.packages)).toEqual(same);
      expect(difference(precise.aliases, pnpm.aliases)).toEqual(same);
      // Our graph has one node per name@version, so a package's edges are the union over its peer
      // variants. From one importer that can reach a package only a peer variant used by another
      // importer depends on (astro: the typescript@5.9.3 variant of
      // @typescript-eslint/typescript-estree@8.59.2 leads to typescript@5.9.3; the root uses the
      // typescript@6.0.3 variant). That, and only that, may make our set larger than pnpm's:
      const merged = lockfileWalk(pnpmLockfile, ['.'], mode, true);
      expect(difference(ours.packages, merged.packages)).toEqual(same);
      expect(difference(ours.aliases, merged.aliases)).toEqual(same);
      expect(difference(ours.packages, pnpm.packages).onlyPnpm).toEqual([]);
    });

    it('all importers (--recursive): the same packages, aliases and dev flags', () => {
      const project = workspaceProject();
      const listed = listOrThrow(project, ['--recursive']);
      const listedPaths = listed.map((p) => (isRecord(p) && typeof p.path === 'string' ? p.path : '?'));
      const importerPaths = importerDeps(pnpmLockfile).map((i) => join(project.dir, i.path));
      expect(listedPaths.sort()).toEqual(importerPaths.sort());

      const pnpm = flattenPnpm(listed);
      const ours = walkGraph(graph, graph.roots, everything);
      expect(difference(ours.packages, pnpm.packages)).toEqual(same);
      expect(difference(ours.aliases, pnpm.aliases)).toEqual(same);

      // dev: false exactly for the packages pnpm lists with --prod from some importer.
      const pnpmProd = flattenPnpm(listOrThrow(project, ['--recursive', '--prod']));
      const ourProd = new Set<string>();
      for (const node of graph.nodes.values()) {
        if (isPackageNode(graph, node.id) && !node.dev) {
          ourProd.add(label(node.source === 'registry', node.name, node.version));
        }
      }
      expect(difference(ourProd, pnpmProd.packages)).toEqual(same);
    });

    // The peer flag has no pnpm counterpart: `--exclude-peers` hides a peer only where pnpm 12
    // decides it came from the surrounding tree and still lists the peer's own dependencies (on
    // peers.v6 it hides react-dom's and use-thing's `react` but keeps @testing-library/react's
    // `react`/`react-dom` and legacy-widget's `react@17.0.2`), so it is not "reachable only through
    // peer edges". The flag is covered by the parser's own tests.
    it('all importers --no-optional: exactly the packages whose optional flag is false', () => {
      const pnpm = flattenPnpm(listOrThrow(workspaceProject(), ['--recursive', '--no-optional']));
      const ours = new Set<string>();
      for (const node of graph.nodes.values()) {
        if (isPackageNode(graph, node.id) && !node.optional) {
          ours.add(label(node.source === 'registry', node.name, node.version));
        }
      }
      expect(difference(ours, pnpm.packages)).toEqual(same);
    });
  });
});

describe('pnpm lockfile versions 5 and 6', () => {
  // pnpm 12 reads only lockfile v9, so the v5/v6 fixtures cannot be listed by it directly.
  it.each(['simple.v5.yaml', 'peers.v6.yaml'])('pnpm refuses %s', (fixture) => {
    const project = makeProject(join(FIXTURES, fixture), { workspace: false });
    const run = runPnpmList(project, []);
    expect(run.ok).toBe(false);
    expect(run.ok ? '' : run.message).toMatch(/lockfileVersion of [56]\.\d+ is incompatible/);
  });
});
