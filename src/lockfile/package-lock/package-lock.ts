import { basename, dirname, join } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { DependencyGraph } from '../../core/graph.js';
import { parseJsonInput } from '../../core/input.js';
import { expectArray, expectRecord, expectString, isRecord, optionalString } from '../../core/shape.js';
import type { LockfileInput, LockfileParser } from '../types.js';
import { buildGraph } from './build-graph.js';
import { dependencyTreeLines, packagesEntryLines } from './entry-lines.js';
import type { LockEntry } from './lock-entry.js';
import { manifestDeps } from './manifest-deps.js';
import type { ReadContext } from './read-context.js';
import { readDependencyTree } from './read-dependency-tree.js';
import { readPackages } from './read-packages.js';
import { npmrcRegistryHosts, PUBLIC_REGISTRY_HOSTS } from './source-kind.js';

const FILE_NAMES = new Set(['package-lock.json', 'npm-shrinkwrap.json']);

/**
 * package-lock.json and npm-shrinkwrap.json, lockfileVersion 1 (nested `dependencies`), 2 and 3
 * (`packages` by install location; v2's duplicate v1 tree is ignored). The root node's id is `.`;
 * workspace members' ids are their folder paths. See build-graph.ts for node identity.
 */
export const packageLockParser: LockfileParser = {
  name: 'lockfile/package-lock',
  format: 'package-lock',
  matches: (fileName) => FILE_NAMES.has(basename(fileName)),
  parse: (input) => parsePackageLock(input),
};

export const parsePackageLock = (input: LockfileInput): DependencyGraph => {
  const file = input.path;
  const doc = expectRecord(parseJsonInput(input.content, file), { file }, 'the top level');
  const warnings: string[] = [];
  const version = lockfileVersionOf(doc, file, warnings);
  const npmrcHosts = npmrcRegistryHosts(input.readSibling('.npmrc'));
  const rc: ReadContext = {
    file,
    registryHosts: new Set([...PUBLIC_REGISTRY_HOSTS, ...npmrcHosts]),
    lines: new Map(),
    registryLikeHosts: new Map(),
  };

  let entries: LockEntry[];
  const packages = doc.packages;
  if (version >= 2 && packages !== undefined && packages !== null) {
    const record = expectRecord(packages, rc, 'packages');
    rc.lines = packagesEntryLines(input.content);
    entries = readPackages(record, rc);
  } else if (version === 3) {
    throw new InputError(file, 'packages is missing (lockfileVersion 3 keeps every entry there)');
  } else {
    if (version === 2) warnings.push('lockfileVersion 2 without "packages": read the v1 "dependencies" tree');
    rc.lines = dependencyTreeLines(input.content);
    entries = readDependencyTree(doc.dependencies, rc);
  }

  let root = entries.find((entry) => entry.key === '');
  let inferRootDeps = false;
  if (!root) {
    const manifest = readRootManifest(input);
    const path = manifest ? 'package.json' : 'the top level';
    const source = manifest ?? doc;
    const rootCtx = { file: manifest ? siblingPath(file, 'package.json') : file };
    root = {
      key: '',
      jsonPath: path,
      kind: 'root',
      installName: '',
      name: optionalString(doc.name, rc, 'name') ?? optionalString(source.name, rootCtx, 'name') ?? '',
      version:
        optionalString(doc.version, rc, 'version') ??
        optionalString(source.version, rootCtx, 'version') ??
        '',
      source: 'root',
      resolved: undefined,
      integrity: undefined,
      line: undefined,
      dev: false,
      optional: false,
      peer: false,
      bundled: false,
      deps: manifest ? manifestDeps(manifest, rootCtx, 'package.json', { includeDev: true }) : [],
    };
    entries.unshift(root);
    if (!manifest) {
      inferRootDeps = true;
      warnings.push(
        'no package.json beside the lockfile: direct dependencies were inferred (top-level entries nothing else depends on)',
      );
    }
  }

  const graph = buildGraph(entries, {
    format: basename(file) === 'npm-shrinkwrap.json' ? 'npm-shrinkwrap' : 'package-lock',
    file,
    formatVersion: version,
    workspacePatterns: workspacePatternsOf(doc, input, rc),
    inferRootDeps,
    warnings,
  });
  for (const [host, count] of rc.registryLikeHosts) {
    warnings.push(
      `${count === 1 ? '1 package' : `${count} packages`} resolved from ${host}, which is not a known registry, ` +
        `${count === 1 ? 'was treated as a tarball' : 'were treated as tarballs'}; if it is your registry, set registry=https://${host}/ in the project's .npmrc`,
    );
  }
  return graph;
};

const lockfileVersionOf = (doc: Record<string, unknown>, file: string, warnings: string[]): 1 | 2 | 3 => {
  const value = doc.lockfileVersion;
  if (value === 1 || value === 2 || value === 3) return value;
  if (value === undefined && isRecord(doc.dependencies)) {
    warnings.push('no lockfileVersion (written by npm 4 or older): read as lockfileVersion 1');
    return 1;
  }
  const shown = value === undefined ? 'missing' : JSON.stringify(value)?.slice(0, 40);
  throw new InputError(file, `lockfileVersion ${shown} is not supported (npm writes 1, 2 or 3)`);
};

const readRootManifest = (input: LockfileInput): Record<string, unknown> | undefined => {
  const text = input.readSibling('package.json');
  if (text === undefined) return undefined;
  const file = siblingPath(input.path, 'package.json');
  return expectRecord(parseJsonInput(text, file), { file }, 'the top level');
};

/** Workspace globs: the lockfile's root entry (v2/v3), else the root package.json. */
const workspacePatternsOf = (
  doc: Record<string, unknown>,
  input: LockfileInput,
  rc: ReadContext,
): string[] => {
  const rootEntry = isRecord(doc.packages) ? doc.packages[''] : undefined;
  if (isRecord(rootEntry) && rootEntry.workspaces !== undefined) {
    return patternList(rootEntry.workspaces, rc.file, 'packages[""].workspaces');
  }
  if (!isRecord(doc.packages) || !isRecord(rootEntry)) {
    const manifest = readRootManifest(input);
    if (manifest?.workspaces !== undefined) {
      return patternList(manifest.workspaces, siblingPath(input.path, 'package.json'), 'workspaces');
    }
  }
  return [];
};

/** `workspaces` is a list of globs, or `{ packages: [...] }` (the form yarn also reads). */
const patternList = (value: unknown, file: string, path: string): string[] => {
  const ctx = { file };
  const list = isRecord(value)
    ? expectArray(value.packages ?? [], ctx, `${path}.packages`)
    : expectArray(value, ctx, path);
  return list.map((item, i) => expectString(item, ctx, `${path}[${i}]`));
};

const siblingPath = (lockfile: string, name: string): string => join(dirname(lockfile), name);
