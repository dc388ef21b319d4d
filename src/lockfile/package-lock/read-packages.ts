import type { JsonRecord } from '../../core/shape.js';
import { expectRecord, expectString, optionalBoolean, optionalString } from '../../core/shape.js';
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
  const flag = (field: string) => optionalBoolean(record[field], rc, `${path}.${field}`) ?? false;
  const base = {
    key,
    jsonPath: path,
    dev: flag('dev'),
    optional: flag('optional'),
    peer: flag('peer'),
    bundled: flag('inBundle'),
    line: rc.lines.get(key),
  };
  // devOptional: needed by dev (required) or by prod (optional), so neither dev-only nor optional-only.
  flag('devOptional');
  const name = optionalString(record.name, rc, `${path}.name`);
  const integrity = optionalString(record.integrity, rc, `${path}.integrity`);

  if (key === '') {
    return {
      ...base,
      kind: 'root',
      installName: '',
      name: name ?? '',
      version: optionalString(record.version, rc, `${path}.version`) ?? '',
      source: 'root',
      deps: manifestDeps(record, rc, path, { includeDev: true }),
    };
  }
  const installName = installNameOf(key);
  if (installName === undefined) {
    return {
      ...base,
      kind: 'folder',
      installName: '',
      name: name ?? key.slice(key.lastIndexOf('/') + 1),
      version: optionalString(record.version, rc, `${path}.version`) ?? '',
      // The builder decides between `workspace` and `link` from the root's workspace globs.
      source: 'link',
      deps: manifestDeps(record, rc, path, { includeDev: true }),
    };
  }
  if (flag('link')) {
    const target = expectString(record.resolved, rc, `${path}.resolved`);
    return {
      ...base,
      kind: 'link',
      installName,
      name: name ?? installName,
      version: '',
      source: 'link',
      target,
      deps: [],
    };
  }
  const realName = name ?? installName;
  const resolved = optionalString(record.resolved, rc, `${path}.resolved`);
  // No `resolved` happens for bundled packages and with npm's omit-lockfile-registry-resolved.
  const source = classifyResolved(resolved, realName, rc);
  const version =
    source === 'registry'
      ? expectRegistryVersion(record.version, rc, `${path}.version`)
      : (optionalString(record.version, rc, `${path}.version`) ?? '');
  return {
    ...base,
    kind: 'installed',
    installName,
    name: realName,
    version,
    source,
    ...(resolved !== undefined && { resolved }),
    ...(integrity !== undefined && { integrity }),
    deps: manifestDeps(record, rc, path, { includeDev: false }),
  };
};
