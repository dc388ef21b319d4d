import type { JsonRecord } from '../../core/shape.js';
import { expectRecord, expectString } from '../../core/shape.js';
import { boolField, stringField } from './fields.js';
import { installNameOf, type LockEntry, memberPath } from './lock-entry.js';
import { manifestDeps } from './manifest-deps.js';
import { classifyResolved, type ReadContext } from './read-context.js';
import { expectRegistryVersion } from './registry-version.js';

/** lockfileVersion 2 and 3: the flat `packages` map keyed by install location. */
export const readPackages = (packages: JsonRecord, rc: ReadContext): LockEntry[] => {
  const entries: LockEntry[] = [];
  for (const key of Object.keys(packages)) {
    entries.push(readEntry(key, packages[key], rc));
  }
  return entries;
};

const readEntry = (key: string, value: unknown, rc: ReadContext): LockEntry => {
  const path = memberPath('packages', key);
  const record = expectRecord(value, rc, path);
  // devOptional (needed by dev, or optionally by prod) makes a package neither dev-only nor
  // optional-only; npm then leaves `dev` and `optional` unset, which is what we keep.
  boolField(record, 'devOptional', rc, path);
  const name = stringField(record, 'name', rc, path);
  const resolved = stringField(record, 'resolved', rc, path);
  const entry: LockEntry = {
    key,
    jsonPath: path,
    kind: 'installed',
    installName: '',
    name: name ?? '',
    version: '',
    source: 'registry',
    resolved,
    integrity: stringField(record, 'integrity', rc, path),
    dev: boolField(record, 'dev', rc, path),
    optional: boolField(record, 'optional', rc, path),
    peer: boolField(record, 'peer', rc, path),
    bundled: boolField(record, 'inBundle', rc, path),
    deps: [],
    line: rc.lines.get(key),
  };
  const installName = key === '' ? undefined : installNameOf(key);
  if (installName === undefined) {
    // The root ('') or a folder package: a workspace member or a link target, with its full manifest.
    entry.kind = key === '' ? 'root' : 'folder';
    entry.source = key === '' ? 'root' : 'link';
    if (name === undefined && key !== '') entry.name = key.slice(key.lastIndexOf('/') + 1);
    entry.version = stringField(record, 'version', rc, path) ?? '';
    entry.deps = manifestDeps(record, rc, path, { includeDev: true });
    return entry;
  }
  entry.installName = installName;
  entry.name = name ?? installName;
  if (boolField(record, 'link', rc, path)) {
    entry.kind = 'link';
    entry.source = 'link';
    entry.target = expectString(resolved, rc, `${path}.resolved`);
    return entry;
  }
  // No `resolved` happens for bundled packages and with npm's omit-lockfile-registry-resolved.
  entry.source = classifyResolved(resolved, entry.name, rc);
  entry.version =
    entry.source === 'registry'
      ? expectRegistryVersion(record.version, rc, `${path}.version`)
      : (stringField(record, 'version', rc, path) ?? '');
  entry.deps = manifestDeps(record, rc, path, { includeDev: false });
  return entry;
};
