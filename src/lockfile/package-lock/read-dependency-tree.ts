import semver from 'semver';
import { InputError } from '../../core/errors.js';
import type { SourceKind } from '../../core/graph.js';
import { expectRecord, expectString, optionalBoolean, optionalString } from '../../core/shape.js';
import { type DeclaredDep, type LockEntry, memberPath } from './lock-entry.js';
import { stringMap } from './manifest-deps.js';
import { classifyResolved, type ReadContext } from './read-context.js';
import { expectRegistryVersion } from './registry-version.js';
import { sourceOfSpec } from './source-kind.js';

/**
 * lockfileVersion 1: the nested `dependencies` tree. Each entry becomes a LockEntry keyed by the
 * location npm would write in v2/v3 (`node_modules/a/node_modules/b`), so one builder serves both.
 */
export const readDependencyTree = (dependencies: unknown, rc: ReadContext): LockEntry[] => {
  const entries: LockEntry[] = [];
  readLevel(dependencies, 'dependencies', '', rc, entries);
  return entries;
};

const readLevel = (value: unknown, path: string, parentKey: string, rc: ReadContext, out: LockEntry[]) => {
  if (value === undefined || value === null) return;
  const level = expectRecord(value, rc, path);
  for (const installName of Object.keys(level)) {
    const key = parentKey === '' ? `node_modules/${installName}` : `${parentKey}/node_modules/${installName}`;
    const entryPath = memberPath(path, installName);
    out.push(readEntry(key, installName, level[installName], entryPath, rc));
    readLevel(
      expectRecord(level[installName], rc, entryPath).dependencies,
      `${entryPath}.dependencies`,
      key,
      rc,
      out,
    );
  }
};

const readEntry = (
  key: string,
  installName: string,
  value: unknown,
  path: string,
  rc: ReadContext,
): LockEntry => {
  const record = expectRecord(value, rc, path);
  const flag = (field: string) => optionalBoolean(record[field], rc, `${path}.${field}`) ?? false;
  const spec = expectString(record.version, rc, `${path}.version`);
  const resolvedField = optionalString(record.resolved, rc, `${path}.resolved`);
  const integrity = optionalString(record.integrity, rc, `${path}.integrity`);
  const identity = identify(spec, installName, resolvedField, `${path}.version`, rc);
  const deps: DeclaredDep[] = stringMap(record.requires, rc, `${path}.requires`).map(([name, range]) => ({
    name,
    range,
    type: 'prod',
    untyped: true,
  }));
  return {
    key,
    jsonPath: path,
    kind: 'installed',
    installName,
    name: identity.name,
    version: identity.version,
    source: identity.source,
    resolved: identity.resolved,
    integrity,
    dev: flag('dev'),
    optional: flag('optional'),
    peer: false,
    bundled: flag('bundled'),
    deps,
    line: rc.lines.get(key),
  };
};

type Identity = { name: string; version: string; source: SourceKind; resolved?: string };

/**
 * v1 `version` is an exact version, `npm:real@version` for an alias, or the spec of a non-registry
 * source (git URL, tarball URL, `file:` path). Non-registry entries state no package version, so
 * their node version is '' and `resolved` carries the spec.
 */
const identify = (
  spec: string,
  installName: string,
  resolved: string | undefined,
  path: string,
  rc: ReadContext,
): Identity => {
  if (spec.startsWith('npm:')) {
    const target = spec.slice(4);
    const at = target.lastIndexOf('@');
    if (at <= 0)
      throw new InputError(rc.file, `${path} is an alias without a version (${JSON.stringify(spec)})`);
    const name = target.slice(0, at);
    const version = expectRegistryVersion(target.slice(at + 1), rc, path);
    return withResolved({ name, version, source: classifyResolved(resolved, name, rc) }, resolved);
  }
  if (semver.valid(spec) !== null) {
    return withResolved(
      { name: installName, version: spec, source: classifyResolved(resolved, installName, rc) },
      resolved,
    );
  }
  const source = sourceOfSpec(spec, rc.registryHosts);
  const isSpec = source === 'git' || source === 'tarball' || spec.startsWith('file:');
  // Anything else in a version field ("latest", "^1.0.0") means the file was not written by npm.
  if (!isSpec) expectRegistryVersion(spec, rc, path);
  return { name: installName, version: '', source, resolved: spec };
};

const withResolved = (identity: Identity, resolved: string | undefined): Identity =>
  resolved === undefined ? identity : { ...identity, resolved };
