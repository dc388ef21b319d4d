import semver from 'semver';
import { isRecord } from '../../core/shape.js';
import type { DiffSide } from '../analyze-side.js';
import type { PackageDelta } from '../delta.js';
import type { GradedTransition } from '../metadata/grading.js';

/**
 * Release features: what one release changed, as a fixed list of numbers a person can read
 * ("gained the network capability", "74 % of the files changed"). Every feature is oriented so
 * that a larger value is the more unusual one; 0 is "nothing of the kind changed".
 */

/** Bumped when a feature's computation changes: cached training rows (evals/anomaly) are redone. */
export const FEATURES_VERSION = 2;

/**
 * Features correlated by construction (a big rewrite changes many files, the size and the file
 * count at once) form one family; the score counts each family once, by its most unusual feature.
 */
export type FeatureFamily =
  | 'volume'
  | 'capability'
  | 'endpoint'
  | 'files'
  | 'manifest'
  | 'dependencies'
  | 'threat'
  | 'release';

export type FeatureSpec = {
  name: string;
  /** A short noun for reasons and summaries: "new hosts", "files changed". */
  label: string;
  family: FeatureFamily;
  /** One line saying what the value means. */
  description: string;
  /** How a value is written in a reason: a count, a share, a ratio or a yes/no. */
  unit: 'count' | 'share' | 'log-ratio' | 'rarity' | 'flag' | 'jump';
  /**
   * Thresholds at which the model counts "releases with a value at least this large"; for the
   * continuous features the training script replaces them with quantiles of the training data.
   */
  edges: number[];
};

const COUNT_EDGES = [0, 1, 2, 3, 5, 10, 20, 50];
const FLAG_EDGES = [0, 1];
const RARITY_EDGES = [0, 1, 2, 3, 4, 5];

/** Capabilities (as `Assessment.capabilities` names them) that each get a feature of their own. */
export const WATCHED_CAPABILITIES = [
  'network',
  'shell',
  'install-scripts',
  'env',
  'eval',
  'os',
  'obfuscated',
  'native',
  'hidden-unicode',
] as const;

const CAPABILITY_WORDS: Record<(typeof WATCHED_CAPABILITIES)[number], string> = {
  network: 'network access (http, net, dns, fetch, …)',
  shell: 'child processes (child_process exec/spawn)',
  'install-scripts':
    'install-time hooks a registry install runs (preinstall/install/postinstall or binding.gyp)',
  env: 'environment variable reads (process.env)',
  eval: 'dynamic code (eval, Function, vm)',
  os: 'host reconnaissance (os.homedir, hostname, userInfo, networkInterfaces)',
  obfuscated: 'obfuscated code',
  native: 'native code (binaries, .node addons, binding.gyp)',
  'hidden-unicode': 'hidden Unicode characters (invisible, bidi, variation selectors)',
};

const CAPABILITY_LABELS: Record<(typeof WATCHED_CAPABILITIES)[number], string> = {
  network: 'network access',
  shell: 'child processes',
  'install-scripts': 'install scripts',
  env: 'environment reads',
  eval: 'dynamic code (eval)',
  os: 'host reconnaissance (os)',
  obfuscated: 'obfuscated code',
  native: 'native code',
  'hidden-unicode': 'hidden Unicode',
};

const gains = (capability: (typeof WATCHED_CAPABILITIES)[number]): FeatureSpec => ({
  name: `gains_${capability.replace('-', '_')}`,
  label: `gains ${CAPABILITY_LABELS[capability]}`,
  family: 'capability',
  description: `gains ${CAPABILITY_WORDS[capability]}: 1 when the new release has it and the old one did not`,
  unit: 'flag',
  edges: FLAG_EDGES,
});

/** The fixed feature list, in report order. */
export const FEATURES: readonly FeatureSpec[] = [
  {
    name: 'files_changed_share',
    label: 'files changed',
    family: 'volume',
    description: 'share of the files (of both releases together) added, removed or changed',
    unit: 'share',
    edges: [0, 0.25, 0.5, 0.75, 0.9, 1],
  },
  {
    name: 'files_added_share',
    label: 'files new',
    family: 'volume',
    description: "share of the new release's files that did not exist in the old one",
    unit: 'share',
    edges: [0, 0.25, 0.5, 0.75, 0.9, 1],
  },
  {
    name: 'size_log_ratio',
    label: 'size change',
    family: 'volume',
    description: 'how much the unpacked size changed, |ln(new bytes / old bytes)| (0.69 = doubled or halved)',
    unit: 'log-ratio',
    edges: [0, 0.1, 0.25, 0.5, 1, 2],
  },
  {
    name: 'file_count_log_ratio',
    label: 'file-count change',
    family: 'volume',
    description: 'how much the number of files changed, |ln(new count / old count)|',
    unit: 'log-ratio',
    edges: [0, 0.1, 0.25, 0.5, 1, 2],
  },
  ...WATCHED_CAPABILITIES.map(gains),
  {
    name: 'gains_other_capabilities',
    label: 'other capabilities gained',
    family: 'capability',
    description: 'number of other capabilities gained (filesystem, crypto, worker, remote dependencies, …)',
    unit: 'count',
    edges: COUNT_EDGES,
  },
  {
    name: 'new_hosts',
    label: 'new hosts',
    family: 'endpoint',
    description: 'number of URL hosts referenced for the first time',
    unit: 'count',
    edges: COUNT_EDGES,
  },
  {
    name: 'new_ips',
    label: 'new IP addresses',
    family: 'endpoint',
    description: 'number of IP addresses referenced for the first time',
    unit: 'count',
    edges: COUNT_EDGES,
  },
  {
    name: 'new_sensitive_paths',
    label: 'new sensitive paths',
    family: 'endpoint',
    description:
      'number of sensitive paths (credential files, SSH keys, wallets, …) referenced for the first time',
    unit: 'count',
    edges: COUNT_EDGES,
  },
  {
    name: 'new_obfuscated_files',
    label: 'newly obfuscated files',
    family: 'files',
    description: 'number of files obfuscated in the new release that were not before (or did not exist)',
    unit: 'count',
    edges: COUNT_EDGES,
  },
  {
    name: 'new_minified_files',
    label: 'newly minified files',
    family: 'files',
    description:
      'number of files minified in the new release that were not before (or did not exist); source maps not counted',
    unit: 'count',
    edges: COUNT_EDGES,
  },
  {
    name: 'new_binary_files',
    label: 'new binary files',
    family: 'files',
    description: 'number of binary files (ELF, PE, Mach-O, wasm, …) new in the release',
    unit: 'count',
    edges: COUNT_EDGES,
  },
  {
    name: 'new_dependencies',
    label: 'new dependencies',
    family: 'dependencies',
    description: 'number of dependencies (regular, optional, peer) added',
    unit: 'count',
    edges: COUNT_EDGES,
  },
  {
    name: 'own_new_dependencies_rarity',
    label: "new dependencies, rare in the package's own history",
    family: 'dependencies',
    description:
      "when dependencies are added: −log2 of the share of the package's earlier releases (registry document) that added any; 0 otherwise",
    unit: 'rarity',
    edges: RARITY_EDGES,
  },
  {
    name: 'install_script_changes',
    label: 'install scripts added or changed',
    family: 'manifest',
    description:
      'number of install-time lifecycle scripts (preinstall, install, postinstall) added or whose command changed',
    unit: 'count',
    edges: COUNT_EDGES,
  },
  {
    name: 'repository_changed',
    label: 'repository changed',
    family: 'manifest',
    description: 'the repository URL in the manifest changed or disappeared',
    unit: 'flag',
    edges: FLAG_EDGES,
  },
  {
    name: 'new_threat_rules',
    label: 'new threat rules',
    family: 'threat',
    description: 'number of threat rules with a finding new in this release',
    unit: 'count',
    edges: COUNT_EDGES,
  },
  {
    name: 'threat_score_increase',
    label: 'threat score increase',
    family: 'threat',
    description: "rise of the analyser's 0–10 threat score from the old release to the new one",
    unit: 'count',
    edges: [0, 0.5, 1, 2, 4, 7.5],
  },
  {
    name: 'semver_jump',
    label: 'version step',
    family: 'release',
    description: 'size of the version step: 0 patch, 1 minor, 2 major, 3 several majors at once',
    unit: 'jump',
    edges: [0, 1, 2, 3],
  },
  {
    name: 'own_version_jump_rarity',
    label: "version step, rare in the package's own history",
    family: 'release',
    description:
      "for a minor step or more: −log2 of the share of the package's earlier releases that stepped at least as far; 0 for a patch",
    unit: 'rarity',
    edges: RARITY_EDGES,
  },
];

export const FEATURE_NAMES: readonly string[] = FEATURES.map((feature) => feature.name);

/** What a package is, read from the OLD release: the new one is what an attacker controls. */
export type PeerKind = 'types' | 'native' | 'cli' | 'lib';
export type PeerSize = 'tiny' | 'small' | 'medium' | 'large';
export type PeerGroup = { kind: PeerKind; size: PeerSize; key: string };

export type ReleaseFeatures = {
  /** Feature values by name; an own-history feature is absent without a registry document or history. */
  values: Record<string, number>;
  peer: PeerGroup;
  /** What lies behind a value, for the reasons: the capabilities, hosts, paths, files, scripts. */
  details: Record<string, string[]>;
};

export type ReleaseInput = {
  from: DiffSide;
  to: DiffSide;
  delta: PackageDelta;
  /** Graded registry-metadata transitions of `to` (only `repository-changed` is read: see docs). */
  metadata?: readonly GradedTransition[];
  /** The package's registry document, for its own history of version steps and added dependencies. */
  packument?: unknown;
};

/** At least this many earlier steps before the package's own history says anything. */
const MIN_HISTORY = 4;
/** At most this many earlier steps are read (the recent habit of the package). */
const MAX_HISTORY = 30;

export const releaseFeatures = (input: ReleaseInput): ReleaseFeatures => {
  const { from, to, delta } = input;
  const values: Record<string, number> = {};
  const details: Record<string, string[]> = {};
  const union = new Set([...from.files.keys(), ...to.files.keys()]).size;
  const touched = delta.files.added.length + delta.files.removed.length + delta.files.changed.length;
  values.files_changed_share = union === 0 ? 0 : touched / union;
  values.files_added_share = to.files.size === 0 ? 0 : delta.files.added.length / to.files.size;
  const fromBytes = totalBytes(from);
  const toBytes = totalBytes(to);
  values.size_log_ratio = Math.abs(Math.log((toBytes + 1) / (fromBytes + 1)));
  values.file_count_log_ratio = Math.abs(Math.log((to.files.size + 1) / (from.files.size + 1)));
  const added = new Set(delta.added);
  for (const capability of WATCHED_CAPABILITIES) {
    const name = `gains_${capability.replace('-', '_')}`;
    values[name] = added.has(capability) ? 1 : 0;
  }
  // `prepare` runs only when installing from git, not from the registry: a release that adds a
  // build step has not gained an install hook.
  values.gains_install_scripts = installHooks(to).length > 0 && installHooks(from).length === 0 ? 1 : 0;
  if (values.gains_install_scripts === 1) details.gains_install_scripts = installHooks(to);
  const watched = new Set<string>(WATCHED_CAPABILITIES);
  const others = delta.added.filter((capability) => !watched.has(capability));
  values.gains_other_capabilities = others.length;
  if (others.length > 0) details.gains_other_capabilities = others;

  count(values, details, 'new_hosts', delta.hosts);
  count(values, details, 'new_ips', delta.ips);
  count(values, details, 'new_sensitive_paths', delta.sensitivePaths);
  count(values, details, 'new_obfuscated_files', delta.obfuscatedFiles);
  // Source maps are one long line of JSON, not code: not counted as minified code.
  count(
    values,
    details,
    'new_minified_files',
    delta.minifiedFiles.filter((file) => !file.endsWith('.map')),
  );
  count(values, details, 'new_binary_files', delta.binaryFiles);
  count(
    values,
    details,
    'new_dependencies',
    delta.dependencies.added.map((dependency) => dependency.name),
  );
  count(
    values,
    details,
    'install_script_changes',
    delta.installScripts
      .filter((change) => REGISTRY_INSTALL_SCRIPTS.has(change.script))
      .map((change) => `${change.script}: ${change.to}`),
  );
  const repository = (input.metadata ?? []).find((change) => change.kind === 'repository-changed');
  values.repository_changed = repository === undefined ? 0 : 1;
  if (repository !== undefined) details.repository_changed = [repository.message];
  count(values, details, 'new_threat_rules', [...new Set(delta.findings.map((finding) => finding.rule))]);
  values.threat_score_increase = Math.max(0, round(to.assessment.score - from.assessment.score));
  values.semver_jump = semverJump(from.assessment.version, to.assessment.version);
  const steps = ownSteps(input.packument, to.assessment.version);
  if (steps.length >= MIN_HISTORY) {
    const addsDependencies = delta.dependencies.added.length > 0;
    const adding = steps.filter((step) => step.addedDependencies > 0).length;
    values.own_new_dependencies_rarity = addsDependencies ? rarity(adding, steps.length) : 0;
    if (addsDependencies)
      details.own_new_dependencies_rarity = [`${adding} of its ${steps.length} earlier releases added one`];
    const jump = values.semver_jump;
    const asFar = steps.filter((step) => step.jump >= jump).length;
    values.own_version_jump_rarity = jump > 0 ? rarity(asFar, steps.length) : 0;
    if (jump > 0)
      details.own_version_jump_rarity = [`${asFar} of its ${steps.length} earlier releases stepped as far`];
  }
  return { values, peer: peerGroup(from), details };
};

/** Lifecycle scripts npm runs when a package is installed from the registry. */
const REGISTRY_INSTALL_SCRIPTS: ReadonlySet<string> = new Set(['preinstall', 'install', 'postinstall']);

/** The install-time hooks a registry install runs: install scripts and `binding.gyp` (node-gyp). */
const installHooks = (side: DiffSide): string[] => {
  const hooks = Object.keys(side.facts.manifest.installScripts).filter((script) =>
    REGISTRY_INSTALL_SCRIPTS.has(script),
  );
  if (side.facts.manifest.bindingGyp !== undefined) hooks.push('binding.gyp');
  return hooks.sort();
};

const count = (
  values: Record<string, number>,
  details: Record<string, string[]>,
  name: string,
  items: readonly string[],
): void => {
  values[name] = items.length;
  if (items.length > 0) details[name] = [...items];
};

const round = (value: number): number => Math.round(value * 1000) / 1000;

const totalBytes = (side: DiffSide): number => {
  let sum = 0;
  for (const file of side.files.values()) sum += file.bytes.length;
  return sum;
};

/**
 * 0 patch, 1 minor, 2 major, 3 more than one major at once (1.x → 3.x), in either direction; 0
 * when either version is not semver. Prereleases count as the release they lead to.
 */
export const semverJump = (from: string, to: string): number => {
  const a = semver.parse(from);
  const b = semver.parse(to);
  if (a === null || b === null) return 0;
  const [low, high] = a.compare(b) <= 0 ? [a, b] : [b, a];
  if (high.major - low.major >= 2) return 3;
  if (high.major !== low.major) return 2;
  if (high.minor !== low.minor) return 1;
  return 0;
};

const TINY_FILES = 8;
const SMALL_FILES = 30;
const MEDIUM_FILES = 200;

/**
 * The peer group of a release: the kind and size of the package before it. `types`: a type-only
 * package (an `@types/` name, or `.d.ts` files and no JavaScript); `native`: install hooks
 * (preinstall, install, postinstall, `binding.gyp`) or binary files; `cli`: a `bin`; `lib`: anything else. Size by file count.
 */
export const peerGroup = (side: DiffSide): PeerGroup => {
  const files = side.files.size;
  const size: PeerSize =
    files < TINY_FILES ? 'tiny' : files < SMALL_FILES ? 'small' : files < MEDIUM_FILES ? 'medium' : 'large';
  const kind = peerKind(side);
  return { kind, size, key: `${kind}/${size}` };
};

const peerKind = (side: DiffSide): PeerKind => {
  const manifest = side.facts.manifest;
  if (installHooks(side).length > 0 || side.facts.files.some((file) => file.binary !== undefined))
    return 'native';
  const paths = [...side.files.keys()];
  const name = manifest.name || side.assessment.name;
  const javascript = paths.some((path) => /\.(?:[cm]?js|jsx)$/i.test(path));
  if (name.startsWith('@types/') || (!javascript && paths.some((path) => path.endsWith('.d.ts'))))
    return 'types';
  if (Object.keys(manifest.bin).length > 0) return 'cli';
  return 'lib';
};

/** One earlier step of the package: consecutive stable releases, in semver order. */
type Step = { jump: number; addedDependencies: number };

/** −log2 of a smoothed share: how rare `count` in `total` is. */
const rarity = (count: number, total: number): number => round(-Math.log2((count + 0.5) / (total + 1)));

/**
 * The package's earlier steps (consecutive stable releases below `to`, the last MAX_HISTORY of
 * them) from its registry document: the version step and how many dependencies each added. Both
 * are real on registry mirrors; sizes and file counts (`dist.unpackedSize`, `dist.fileCount`) are
 * stripped by some (this project's among them), so they are not read.
 */
const ownSteps = (packument: unknown, toVersion: string): Step[] => {
  if (!isRecord(packument) || !isRecord(packument.versions)) return [];
  const target = semver.parse(toVersion);
  if (target === null) return [];
  const versions = packument.versions;
  const earlier: { version: semver.SemVer; manifest: unknown }[] = [];
  for (const key of Object.keys(versions)) {
    const version = semver.parse(key);
    if (version === null || version.prerelease.length > 0 || version.compare(target) >= 0) continue;
    earlier.push({ version, manifest: Object.hasOwn(versions, key) ? versions[key] : undefined });
  }
  earlier.sort((a, b) => a.version.compare(b.version));
  const recent = earlier.slice(-(MAX_HISTORY + 1));
  const steps: Step[] = [];
  for (let index = 1; index < recent.length; index++) {
    const before = dependencyNames(recent[index - 1]!.manifest);
    const after = dependencyNames(recent[index]!.manifest);
    let added = 0;
    for (const name of after) if (!before.has(name)) added++;
    steps.push({
      jump: semverJump(recent[index - 1]!.version.version, recent[index]!.version.version),
      addedDependencies: added,
    });
  }
  return steps;
};

const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

const dependencyNames = (manifest: unknown): Set<string> => {
  const names = new Set<string>();
  if (!isRecord(manifest)) return names;
  for (const field of DEPENDENCY_FIELDS) {
    const value = Object.hasOwn(manifest, field) ? manifest[field] : undefined;
    if (isRecord(value)) for (const name of Object.keys(value)) names.add(`${field}\0${name}`);
  }
  return names;
};
