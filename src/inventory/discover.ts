import { statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { InputError } from '../core/errors.js';
import { lineColumnAt, parseJsonInput, readInputFile } from '../core/input.js';
import { expectArray, expectRecord, expectString, isRecord, optionalString } from '../core/shape.js';
import { managerFromField, readWorkspaces } from '../lockfile/package-json/package-json.js';
import { matchesWorkspaceGlobs } from '../lockfile/package-json/workspace-globs.js';

export type Manager = 'npm' | 'yarn' | 'pnpm' | 'bun';

/** Lockfile names in the order they win when several are present (npm-shrinkwrap beats package-lock, as in npm). */
export const LOCKFILE_NAMES: readonly { file: string; manager: Manager }[] = [
  { file: 'npm-shrinkwrap.json', manager: 'npm' },
  { file: 'package-lock.json', manager: 'npm' },
  { file: 'pnpm-lock.yaml', manager: 'pnpm' },
  { file: 'yarn.lock', manager: 'yarn' },
  { file: 'bun.lock', manager: 'bun' },
  { file: 'bun.lockb', manager: 'bun' },
];

/** How far up a monorepo member looks for its workspace root. */
const MAX_PARENT_LEVELS = 32;

export type Discovery = {
  /** Absolute path of the file to read: a lockfile, or package.json when there is none. */
  file: string;
  /** The directory holding it. */
  directory: string;
  warnings: string[];
};

/** Finds what to read in a project directory. Throws InputError when there is nothing. */
export const discoverInventory = (dir: string): Discovery => {
  const directory = resolve(dir);
  const kind = statKind(directory);
  if (kind === 'missing') throw new InputError(directory, 'does not exist');
  if (kind !== 'dir') throw new InputError(directory, 'is not a directory');

  const local = chooseLockfile(directory);
  if (local) return local;

  const manifest = join(directory, 'package.json');
  if (statKind(manifest) !== 'file') throw new InputError(directory, 'no lockfile or package.json found');
  const root = findWorkspaceRoot(directory);
  if (root) return root;
  return { file: manifest, directory, warnings: [] };
};

/** The lockfile in `directory` to read, choosing by `packageManager` when several managers left one. */
const chooseLockfile = (directory: string): Discovery | undefined => {
  const present = LOCKFILE_NAMES.filter(({ file }) => statKind(join(directory, file)) === 'file');
  const first = present[0];
  if (!first) return undefined;
  if (present.length === 1) return { file: join(directory, first.file), directory, warnings: [] };

  const declared = readPackageManager(directory);
  const preferred = declared ? present.find(({ manager }) => manager === declared.manager) : undefined;
  const chosen = preferred ?? first;
  const ignored = present.filter((entry) => entry !== chosen).map(({ file }) => file);
  const reason = preferred
    ? `package.json packageManager is ${declared!.value}`
    : declared
      ? `package.json packageManager is ${declared.value} but no ${declared.manager} lockfile exists; chose by priority`
      : 'chose by priority: npm-shrinkwrap.json, package-lock.json, pnpm-lock.yaml, yarn.lock, bun.lock';
  return {
    file: join(directory, chosen.file),
    directory,
    warnings: [`several lockfiles found; read ${chosen.file} (${reason}) and ignored ${ignored.join(', ')}`],
  };
};

const readPackageManager = (directory: string): { manager: Manager; value: string } | undefined => {
  const doc = readManifestDoc(join(directory, 'package.json'));
  if (!doc) return undefined;
  const value = optionalString(
    doc.packageManager,
    { file: join(directory, 'package.json') },
    'packageManager',
  );
  const manager = managerFromField(value);
  return manager && value ? { manager, value } : undefined;
};

/**
 * A monorepo member with no lockfile of its own is installed from its workspace root: walk up to
 * the first directory with a lockfile and use it when its workspace globs include this directory.
 */
const findWorkspaceRoot = (member: string): Discovery | undefined => {
  let current = member;
  for (let level = 0; level < MAX_PARENT_LEVELS; level++) {
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
    const found = chooseLockfile(current);
    if (!found) continue;
    const rel = relative(current, member).split(sep).join('/');
    if (!matchesWorkspaceGlobs(rel, workspaceGlobs(current, found.file))) return undefined;
    return {
      ...found,
      warnings: [
        `${member} is a workspace member of ${current}; scanned the root's ${basename(found.file)} (the whole workspace)`,
        ...found.warnings,
      ],
    };
  }
  return undefined;
};

/** package.json `workspaces`, plus pnpm-workspace.yaml `packages` for pnpm. */
export const workspaceGlobs = (directory: string, lockfile: string): string[] => {
  const manifestPath = join(directory, 'package.json');
  const doc = readManifestDoc(manifestPath);
  const globs = doc ? readWorkspaces(doc, { file: manifestPath }) : [];
  if (basename(lockfile) === 'pnpm-lock.yaml')
    globs.push(...readPnpmWorkspace(join(directory, 'pnpm-workspace.yaml')));
  return globs;
};

const readManifestDoc = (file: string) => {
  if (statKind(file) !== 'file') return undefined;
  return expectRecord(parseJsonInput(readInputFile(file), file), { file }, '$');
};

const readPnpmWorkspace = (file: string): string[] => {
  if (statKind(file) !== 'file') return [];
  const text = readInputFile(file);
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 10, uniqueKeys: true, prettyErrors: false });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const { line, column } = lineColumnAt(text, error.pos[0]);
      throw new InputError(file, `invalid YAML: ${error.message.split('\n')[0]}`, `${line}:${column}`);
    }
    throw new InputError(file, `invalid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (doc === null || doc === undefined) return [];
  if (!isRecord(doc) || doc.packages === undefined || doc.packages === null) return [];
  return expectArray(doc.packages, { file }, 'packages').map((value, i) =>
    expectString(value, { file }, `packages[${i}]`),
  );
};

export const statKind = (path: string): 'file' | 'dir' | 'other' | 'missing' => {
  try {
    const stat = statSync(path);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
};
