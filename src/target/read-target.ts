import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { PackageContext } from '../analysis/analyze.js';
import { InputError } from '../core/errors.js';
import type { TarballProblem } from '../tarball/types.js';

/** Bounds for reading a package directory (same order as the tarball limits). */
const MAX_DIR_FILES = 20_000;
const MAX_DIR_BYTES = 256 * 1024 * 1024;

/** A package's files as `inspect` and `diff` read them, before any analysis. */
export type TargetContents = {
  files: ReadonlyMap<string, { bytes: Uint8Array }>;
  identity: { name?: string; version?: string; integrity?: string };
  context: PackageContext;
  /** Archive problems (refused entries, limits hit). */
  problems: TarballProblem[];
  /** The whole archive was read. */
  complete: boolean;
};

export type RegistryOptions = { offline?: boolean; registry?: string };

/**
 * Reads a target — a package directory, a .tgz file, or `name[@range]` from the registry — into
 * memory. Nothing is extracted to disk, nothing is executed.
 */
export const readTarget = async (target: string, options: RegistryOptions): Promise<TargetContents> => {
  const location = locateTarget(target);
  if (location.kind === 'directory') {
    return {
      files: readPackageDirectory(location.path),
      identity: {},
      context: {},
      problems: [],
      complete: true,
    };
  }
  if (location.kind === 'file') return readTarballTarget(location.bytes, location.path, {}, {});
  const { name, range } = location;
  const { fetchRegistryTarball } = await import('./fetch-registry-tarball.js');
  const fetched = await fetchRegistryTarball(name, range, options);
  return readTarballTarget(
    fetched.bytes,
    `${name}@${fetched.version}`,
    { name, version: fetched.version, integrity: fetched.integrity },
    fetched.packument === undefined ? {} : { packument: fetched.packument },
  );
};

/** Where a target is: a package directory, a tarball file (read), or `name@range` on the registry. */
export type TargetLocation =
  | { kind: 'directory'; path: string }
  | { kind: 'file'; path: string; bytes: Buffer }
  | { kind: 'registry'; name: string; range: string };

/** Tells the three kinds of target apart; a path that does not exist is bad input, named. */
export const locateTarget = (target: string): TargetLocation => {
  const path = resolve(target);
  const kind = statKind(path);
  if (kind === 'directory') return { kind, path };
  if (kind === 'file') {
    try {
      return { kind, path, bytes: readFileSync(path) };
    } catch (error) {
      throw new InputError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
  }
  if (target.startsWith('.') || target.startsWith('/') || target.endsWith('.tgz'))
    throw new InputError(target, 'does not exist');
  return { kind: 'registry', ...parseSpec(target) };
};

const readTarballTarget = async (
  bytes: Uint8Array,
  source: string,
  identity: TargetContents['identity'],
  context: PackageContext,
): Promise<TargetContents> => {
  const { readTarball } = await import('../tarball/read-tarball.js');
  const contents = await readTarball(bytes, { source }).catch((error: unknown) => {
    // A broken archive is bad input: one line naming the file.
    throw error instanceof Error && error.name === 'TarballError'
      ? new InputError(
          source,
          `is not a readable package tarball (${error.message.replace(`${source}: `, '')})`,
        )
      : error;
  });
  return {
    files: contents.files,
    identity,
    context: { ...context, archive: contents.problems },
    problems: contents.problems,
    complete: contents.complete,
  };
};

/** What a target path is, without following a link. */
const statKind = (path: string): 'file' | 'directory' | 'missing' => {
  try {
    const stat = lstatSync(path);
    if (stat.isDirectory()) return 'directory';
    return stat.isFile() ? 'file' : 'missing';
  } catch {
    return 'missing';
  }
};

/** `name`, `name@1.2.3`, `name@^1`, `@scope/name@latest`. */
export const parseSpec = (spec: string): { name: string; range: string } => {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  const name = at === -1 ? spec : spec.slice(0, at);
  const range = at === -1 ? 'latest' : spec.slice(at + 1) || 'latest';
  if (!/^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name))
    throw new InputError(spec, 'is not a path, a .tgz file or a package name[@version]');
  return { name, range };
};

/**
 * A package directory's files, read from disk without following links and without
 * node_modules or .git, within fixed bounds. Nothing in it is executed.
 */
const readPackageDirectory = (root: string): Map<string, { bytes: Uint8Array }> => {
  const files = new Map<string, { bytes: Uint8Array }>();
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') stack.push(path);
      } else if (entry.isFile()) {
        const bytes = readFileSync(path);
        total += bytes.length;
        if (files.size >= MAX_DIR_FILES || total > MAX_DIR_BYTES)
          throw new InputError(root, `holds more than ${MAX_DIR_FILES} files or ${MAX_DIR_BYTES >> 20} MiB`);
        files.set(relative(root, path).split('\\').join('/'), { bytes });
      }
    }
  }
  return files;
};
