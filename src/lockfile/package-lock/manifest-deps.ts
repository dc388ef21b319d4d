import type { Shape } from '../../core/shape.js';
import { expectRecord, expectString, isRecord, optionalBoolean } from '../../core/shape.js';
import { type DeclaredDep, memberPath } from './lock-entry.js';

type Manifest = Record<string, unknown>;

/**
 * The dependencies a manifest-shaped record declares (a v2/v3 entry or a package.json), with
 * npm's precedence (arborist's load order, later wins): peer, prod, optional, dev. A name in both
 * dependencies and devDependencies is a dev dependency, as `npm ls --omit=dev` shows.
 */
export const manifestDeps = (
  manifest: Manifest,
  ctx: Shape,
  path: string,
  options: { includeDev: boolean },
): DeclaredDep[] => {
  const byName = new Map<string, DeclaredDep>();
  const field = (name: string) => `${path}.${name}`;
  if (manifest.peerDependencies !== undefined) {
    const meta = peerMeta(manifest.peerDependenciesMeta, ctx, field('peerDependenciesMeta'));
    for (const [name, range] of stringMap(manifest.peerDependencies, ctx, field('peerDependencies'))) {
      byName.set(name, { name, range, type: meta.has(name) ? 'peerOptional' : 'peer' });
    }
  }
  if (manifest.dependencies !== undefined) {
    for (const [name, range] of stringMap(manifest.dependencies, ctx, field('dependencies'))) {
      byName.set(name, { name, range, type: 'prod' });
    }
  }
  if (manifest.optionalDependencies !== undefined) {
    for (const [name, range] of stringMap(
      manifest.optionalDependencies,
      ctx,
      field('optionalDependencies'),
    )) {
      byName.set(name, { name, range, type: 'optional' });
    }
  }
  if (options.includeDev && manifest.devDependencies !== undefined) {
    for (const [name, range] of stringMap(manifest.devDependencies, ctx, field('devDependencies'))) {
      byName.set(name, { name, range, type: 'dev' });
    }
  }
  return [...byName.values()];
};

/** A `{name: range}` map; every value must be a string. */
export const stringMap = (value: unknown, ctx: Shape, path: string): [string, string][] => {
  if (value === undefined || value === null) return [];
  const record = expectRecord(value, ctx, path);
  const out: [string, string][] = [];
  for (const key of Object.keys(record)) {
    const range = record[key];
    out.push([key, typeof range === 'string' ? range : expectString(range, ctx, memberPath(path, key))]);
  }
  return out;
};

/** Names whose peer dependency is marked optional. */
const peerMeta = (value: unknown, ctx: Shape, path: string): Set<string> => {
  const optional = new Set<string>();
  if (value === undefined || value === null) return optional;
  const record = expectRecord(value, ctx, path);
  for (const key of Object.keys(record)) {
    const entry = record[key];
    const entryPath = memberPath(path, key);
    if (!isRecord(entry)) expectRecord(entry, ctx, entryPath);
    else if (optionalBoolean(entry.optional, ctx, `${entryPath}.optional`)) optional.add(key);
  }
  return optional;
};
