import semver from 'semver';
import { isRecord, type JsonRecord } from '../../core/shape.js';
import {
  extractManifestFacts,
  INSTALL_HOOKS,
  type RemoteDependency,
  stringEntries,
} from './manifest-facts.js';
import { normaliseRepositoryUrl, repositoryName } from './repository-url.js';
import { checkTyposquat, type PopularIndex, popularIndex, type TyposquatMatch } from './typosquat.js';

export type ManifestField = 'name' | 'version' | 'scripts' | 'dependencies' | 'optionalDependencies' | 'bin';

/** Registry and tarball disagree on one entry; `undefined` on a side means the entry is absent there. */
export type ManifestMismatch = {
  field: ManifestField;
  /** The script hook, dependency or bin name; absent for name and version. */
  key?: string;
  registry: string | undefined;
  tarball: string | undefined;
};

/** Structured metadata observations, for rules to turn into findings. */
export type MetadataSignal =
  | { kind: 'manifest-confusion'; mismatches: ManifestMismatch[] }
  | { kind: 'security-holding'; version: string }
  | { kind: 'deprecated'; version: string; message: string }
  | { kind: 'version-jump'; version: string; previous?: string; majors: number }
  | { kind: 'missing-repository' }
  | { kind: 'repository-of-popular-package'; repository: string; popular: string }
  | { kind: 'remote-dependency'; dependency: RemoteDependency }
  | { kind: 'typosquat'; match: TyposquatMatch }
  | { kind: 'install-hook-added'; version: string; previous: string; hooks: AddedHook[] }
  | { kind: 'patch-adds-dependencies'; version: string; previous: string; added: AddedDependency[] };

/** A preinstall/install/postinstall hook this version has and the previous version had none of. */
export type AddedHook = { hook: string; command: string };

/** A dependency this version installs that the previous version named in no dependency field. */
export type AddedDependency = {
  name: string;
  spec: string;
  field: 'dependencies' | 'optionalDependencies';
  /**
   * A file that names the dependency as a module specifier (`'name'`, `"name/…"`, a template
   * `` `name/${x}` ``: type declarations, computed requires), or `package.json` when its
   * `imports`/`exports`/`browser` maps resolve to it. Absent when nothing in the package names it.
   */
  mentionedIn?: string;
};

export type MetadataInput = {
  /** The registry document (full packument), parsed but unvalidated. */
  packument: unknown;
  /** The version under analysis. */
  version: string;
  /** The package.json read from that version's tarball, when it was downloaded. */
  tarballManifest?: unknown;
  /** The tarball's files, to recognise npm's own `node-gyp rebuild` install hook. */
  files?: ReadonlyMap<string, { bytes: Uint8Array }>;
  popular?: PopularIndex;
};

/** A first version this high, or a jump this many majors, is the dependency-confusion signature. */
const HIGH_FIRST_MAJOR = 99;
const MAJOR_JUMP = 3;
/** npm's placeholders: `0.0.1-security`, `0.0.2-security` (crossenv), optionally `.N`. */
const HOLDING_VERSION = /^0\.0\.\d+-security(?:\.\d+)?$/;
/** The hooks npm runs on `npm install` of the package as a dependency. */
const RUN_ON_INSTALL = ['preinstall', 'install', 'postinstall'] as const;
/** Every field in which a previous version may already have named a dependency. */
const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies'];

/**
 * Registry-metadata signals for one version. Never throws on hostile documents: what cannot be
 * read yields no signal.
 */
export const metadataSignals = (input: MetadataInput): MetadataSignal[] => {
  const signals: MetadataSignal[] = [];
  const doc = isRecord(input.packument) ? input.packument : {};
  const versions = isRecord(doc.versions) ? doc.versions : {};
  const registryManifest = Object.hasOwn(versions, input.version) ? versions[input.version] : undefined;
  const name = typeof doc.name === 'string' ? doc.name : '';

  if (input.tarballManifest !== undefined && isRecord(registryManifest)) {
    const mismatches = compareManifests(registryManifest, input.tarballManifest, input.files);
    if (mismatches.length > 0) signals.push({ kind: 'manifest-confusion', mismatches });
  }

  const latest = isRecord(doc['dist-tags']) ? doc['dist-tags'].latest : undefined;
  for (const version of new Set([input.version, typeof latest === 'string' ? latest : ''])) {
    if (HOLDING_VERSION.test(version)) signals.push({ kind: 'security-holding', version });
  }

  if (
    isRecord(registryManifest) &&
    typeof registryManifest.deprecated === 'string' &&
    registryManifest.deprecated !== ''
  ) {
    signals.push({ kind: 'deprecated', version: input.version, message: registryManifest.deprecated });
  }

  const jump = versionJump(Object.keys(versions), input.version);
  if (jump) signals.push(jump);

  // npm installs from the tarball, so its manifest is the one that counts when we have it.
  const manifest = input.tarballManifest ?? registryManifest;
  const previous = previousVersion(Object.keys(versions), input.version);
  if (previous !== undefined) {
    const before = versions[previous];
    const hooks = addedInstallHooks(before, manifest);
    if (hooks.length > 0)
      signals.push({ kind: 'install-hook-added', version: input.version, previous, hooks });
    // New features bring new dependencies; a bug-fix release rarely needs one (axios 1.14.1 did).
    const added =
      semver.diff(previous, input.version) === 'patch'
        ? markMentions(addedDependencies(before, manifest), manifest, input.files)
        : [];
    if (added.length > 0)
      signals.push({ kind: 'patch-adds-dependencies', version: input.version, previous, added });
  }

  const facts = extractManifestFacts(manifest, input.files ?? new Map());
  const packageName = facts.name || name;
  for (const dependency of facts.remoteDependencies) signals.push({ kind: 'remote-dependency', dependency });

  const popular = input.popular ?? popularIndex();
  const repository = facts.repository ?? repositoryFrom(doc.repository);
  if (repository === undefined) signals.push({ kind: 'missing-repository' });
  else {
    const borrowed = borrowedRepository(packageName, repository, popular);
    if (borrowed) signals.push({ kind: 'repository-of-popular-package', repository, popular: borrowed });
  }

  const squat = packageName === '' ? undefined : checkTyposquat(packageName, popular);
  if (squat) signals.push({ kind: 'typosquat', match: squat });
  return signals;
};

const repositoryFrom = (value: unknown): string | undefined => {
  const raw =
    typeof value === 'string'
      ? value
      : isRecord(value) && typeof value.url === 'string'
        ? value.url
        : undefined;
  return raw === undefined ? undefined : normaliseRepositoryUrl(raw);
};

/**
 * The popular package whose repository this package claims (StarJacking), if any. A package may
 * legitimately live in a popular monorepo (`react-dom` in facebook/react), so a name that extends
 * the repository's name, or shares its scope, is not reported.
 */
export const borrowedRepository = (
  name: string,
  repository: string,
  popular: PopularIndex,
): string | undefined => {
  const repo = repositoryName(repository);
  if (repo === undefined || !popular.names.has(repo)) return undefined;
  const lower = name.toLowerCase();
  const bare = lower.startsWith('@') ? lower.slice(lower.indexOf('/') + 1) : lower;
  const scope = lower.startsWith('@') ? lower.slice(1, lower.indexOf('/')) : undefined;
  if (bare === repo || bare.startsWith(`${repo}-`) || bare.startsWith(`${repo}.`) || scope === repo)
    return undefined;
  if (bare.endsWith(`-${repo}`) || popular.names.has(lower)) return undefined;
  return repo;
};

/**
 * A jump of several majors over the version just below in semver order (so a backport, published
 * after a newer major, compares with its own line), or a first version of 99 or more. Publish
 * times are not used: mirrors rewrite them.
 */
const versionJump = (
  keys: string[],
  version: string,
): Extract<MetadataSignal, { kind: 'version-jump' }> | undefined => {
  if (semver.valid(version) !== version) return undefined;
  const major = semver.major(version);
  const previous = previousVersion(keys, version);
  if (previous === undefined) {
    return major >= HIGH_FIRST_MAJOR ? { kind: 'version-jump', version, majors: major } : undefined;
  }
  const majors = major - semver.major(previous);
  return majors >= MAJOR_JUMP ? { kind: 'version-jump', version, previous, majors } : undefined;
};

/**
 * The version published just below `version` in semver order (publish times cannot be trusted:
 * mirrors rewrite them, and a backport is published after newer majors). Holding placeholders are
 * not releases of the code.
 */
export const previousVersion = (keys: readonly string[], version: string): string | undefined => {
  if (semver.valid(version) !== version) return undefined;
  let best: string | undefined;
  for (const key of keys) {
    if (semver.valid(key) !== key || HOLDING_VERSION.test(key) || !semver.lt(key, version)) continue;
    if (best === undefined || semver.gt(key, best)) best = key;
  }
  return best;
};

const runOnInstall = (doc: unknown): Map<string, string> =>
  new Map(
    stringEntries(isRecord(doc) ? doc.scripts : undefined, '$.scripts', []).filter(([key]) =>
      (RUN_ON_INSTALL as readonly string[]).includes(key),
    ),
  );

/**
 * The install hooks of `current` when `previous` had none (the ua-parser-js, coa and rc hijacks
 * added a preinstall to a package that never had one). A hook changed or added beside an existing
 * one is not reported: the package already ran code at install.
 */
const addedInstallHooks = (previous: unknown, current: unknown): AddedHook[] => {
  if (!isRecord(previous) || runOnInstall(previous).size > 0) return [];
  return [...runOnInstall(current)].map(([hook, command]) => ({ hook, command }));
};

/** Installed dependencies of `current` that `previous` named nowhere (axios → plain-crypto-js). */
const addedDependencies = (previous: unknown, current: unknown): AddedDependency[] => {
  if (!isRecord(previous) || !isRecord(current)) return [];
  const known = new Set(
    DEPENDENCY_FIELDS.flatMap((field) => stringEntries(previous[field], '', []).map(([k]) => k)),
  );
  const out: AddedDependency[] = [];
  for (const field of ['dependencies', 'optionalDependencies'] as const) {
    for (const [name, spec] of stringEntries(current[field], '', [])) {
      if (!known.has(name)) {
        known.add(name);
        out.push({ name, spec, field });
      }
    }
  }
  return out;
};

/** Files that say nothing about which modules the code loads. */
const PROSE_FILE =
  /(?:^|\/)(?:readme|changelog|changes|history|license|licence|notice|authors)[^/]*$|\.(?:md|markdown|txt)$/i;
/** Past this, a file is not searched for dependency names (bundles this large name what they import). */
const MAX_SEARCHED_FILE = 8 * 1024 * 1024;

/** Whether `text` names `name` as a module specifier: a quote or backtick, the name, then a quote or `/`. */
const namesModule = (text: string, name: string): boolean => {
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1];
    const after = text[at + name.length];
    if ((before === "'" || before === '"' || before === '`') && (after === before || after === '/'))
      return true;
  }
  return false;
};

const markMentions = (
  added: AddedDependency[],
  manifest: unknown,
  files: ReadonlyMap<string, { bytes: Uint8Array }> = new Map(),
): AddedDependency[] => {
  if (added.length === 0) return added;
  const maps = isRecord(manifest)
    ? JSON.stringify([manifest.imports, manifest.exports, manifest.browser, manifest['react-native']])
    : '';
  const decoder = new TextDecoder();
  const texts: [string, string][] = [];
  for (const [file, { bytes }] of files) {
    if (file === 'package.json' || PROSE_FILE.test(file) || bytes.byteLength > MAX_SEARCHED_FILE) continue;
    texts.push([file, decoder.decode(bytes)]);
  }
  return added.map((dependency) => {
    if (namesModule(maps, dependency.name)) return { ...dependency, mentionedIn: 'package.json' };
    const found = texts.find(([, text]) => namesModule(text, dependency.name));
    return found ? { ...dependency, mentionedIn: found[0] } : dependency;
  });
};

/**
 * Where the registry's copy of a version's manifest disagrees with the package.json in its
 * tarball (manifest confusion). npm's own publish-time normalisation is not reported: bin paths
 * lose `./`, a string bin becomes an object, and `install: node-gyp rebuild` is added when the
 * package has a binding.gyp.
 */
export const compareManifests = (
  registry: unknown,
  tarball: unknown,
  files: ReadonlyMap<string, unknown> = new Map(),
): ManifestMismatch[] => {
  const out: ManifestMismatch[] = [];
  const left = isRecord(registry) ? registry : {};
  const right = isRecord(tarball) ? tarball : {};
  for (const field of ['name', 'version'] as const) {
    const a = typeof left[field] === 'string' ? left[field] : undefined;
    const b = typeof right[field] === 'string' ? right[field] : undefined;
    if (a !== b) out.push({ field, registry: a, tarball: b });
  }
  const hooks = (doc: JsonRecord) =>
    new Map(
      stringEntries(doc.scripts, '$.scripts', []).filter(([key]) =>
        (INSTALL_HOOKS as readonly string[]).includes(key),
      ),
    );
  const registryHooks = hooks(left);
  if (
    files.has('binding.gyp') &&
    registryHooks.get('install') === 'node-gyp rebuild' &&
    !hooks(right).has('install')
  ) {
    registryHooks.delete('install');
  }
  diffMaps('scripts', registryHooks, hooks(right), out);
  for (const field of ['dependencies', 'optionalDependencies'] as const) {
    diffMaps(
      field,
      new Map(stringEntries(left[field], '', [])),
      new Map(stringEntries(right[field], '', [])),
      out,
    );
  }
  const name = typeof right.name === 'string' ? right.name : typeof left.name === 'string' ? left.name : '';
  diffMaps('bin', binMap(left.bin, name), binMap(right.bin, name), out);
  return out;
};

const binMap = (value: unknown, name: string): Map<string, string> => {
  const bin = extractManifestFacts({ name, bin: value }, new Map()).bin;
  return new Map(
    Object.entries(bin).map(([key, path]) => [key, path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '')]),
  );
};

const diffMaps = (
  field: ManifestField,
  registry: ReadonlyMap<string, string>,
  tarball: ReadonlyMap<string, string>,
  out: ManifestMismatch[],
): void => {
  for (const key of new Set([...registry.keys(), ...tarball.keys()])) {
    const a = registry.get(key);
    const b = tarball.get(key);
    if (a !== b) out.push({ field, key, registry: a, tarball: b });
  }
};
