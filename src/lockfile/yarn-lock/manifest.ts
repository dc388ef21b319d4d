import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { parseJsonInput } from '../../core/input.js';
import { expectArray, expectString, isRecord, optionalString, optionalStringMap } from '../../core/shape.js';
import type { LockfileInput } from '../types.js';

/** The parts of a package.json that decide roots and edge types. */
export type Manifest = {
  name?: string;
  version?: string;
  dependencies: Map<string, string>;
  devDependencies: Map<string, string>;
  optionalDependencies: Map<string, string>;
  peerDependencies: Map<string, string>;
  /** Yarn `resolutions` (the root manifest's only), pattern → range. */
  resolutions: Map<string, string>;
  workspaces: string[];
};

/** Reads `<dir>/package.json` beside the lockfile; undefined when it does not exist. */
export const readManifest = (input: LockfileInput, dir: string): Manifest | undefined => {
  const relative = dir === '.' || dir === '' ? 'package.json' : `${dir}/package.json`;
  const text = input.readSibling(relative);
  if (text === undefined) return undefined;
  const file = join(dirname(input.path), relative);
  const data = parseJsonInput(text, file);
  if (!isRecord(data)) throw new InputError(file, 'must be a JSON object');
  const ctx = { file };
  return {
    name: optionalString(data.name, ctx, 'name'),
    version: optionalString(data.version, ctx, 'version'),
    dependencies: optionalStringMap(data.dependencies, ctx, 'dependencies'),
    devDependencies: optionalStringMap(data.devDependencies, ctx, 'devDependencies'),
    optionalDependencies: optionalStringMap(data.optionalDependencies, ctx, 'optionalDependencies'),
    peerDependencies: optionalStringMap(data.peerDependencies, ctx, 'peerDependencies'),
    resolutions: optionalStringMap(data.resolutions, ctx, 'resolutions'),
    workspaces: workspacePatterns(data.workspaces, ctx),
  };
};

const workspacePatterns = (value: unknown, ctx: { file: string }): string[] => {
  if (value === undefined || value === null) return [];
  // Yarn classic also accepts `{ packages: [...], nohoist: [...] }`.
  const list = isRecord(value) ? (value.packages ?? []) : value;
  const path = isRecord(value) ? 'workspaces.packages' : 'workspaces';
  return expectArray(list, ctx, path).map((item, i) => expectString(item, ctx, `${path}[${i}]`));
};

/**
 * Expands workspace patterns to member folders relative to the lockfile's directory. Supports
 * what yarn users write: plain folders and a trailing `*` segment (`packages/*`); anything
 * else is reported back so the caller can warn.
 */
export const expandWorkspaces = (
  lockfilePath: string,
  patterns: string[],
): { folders: string[]; unsupported: string[] } => {
  const base = dirname(lockfilePath);
  const folders = new Set<string>();
  const unsupported: string[] = [];
  for (const raw of patterns) {
    const pattern = raw.replace(/^\.\//, '').replace(/\/+$/, '');
    if (pattern.startsWith('!') || pattern.split('/').includes('..')) {
      unsupported.push(raw);
      continue;
    }
    if (!/[*?[\]{}]/.test(pattern)) {
      folders.add(pattern);
      continue;
    }
    const star = /^((?:[^*?[\]{}/]+\/)*)\*$/.exec(pattern);
    if (!star) {
      unsupported.push(raw);
      continue;
    }
    const parent = star[1]!.replace(/\/$/, '');
    for (const child of listFolders(join(base, parent))) folders.add(parent ? `${parent}/${child}` : child);
  }
  return { folders: [...folders].sort(), unsupported };
};

const listFolders = (dir: string): string[] => {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name);
  } catch {
    return [];
  }
};
