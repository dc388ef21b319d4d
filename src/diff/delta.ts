import { createHash } from 'node:crypto';
import { CREDENTIAL_PATH_CATEGORIES } from '../analysis/facts/string-signals.js';
import { type BenignPattern, classifyInstallScript } from '../analysis/manifest/install-script.js';
import type { BehaviorFinding, CodeFact, PackageFacts } from '../analysis/types.js';
import type { DiffSide } from './analyze-side.js';
import { type ExportsRemoved, entrySurface, exportsRemoved } from './exports.js';
import { type RiskyHunks, riskyHunks } from './hunks.js';
import type { DependencyRegistryInfo } from './new-dependencies.js';

/** A dependency present on one side only, or whose specifier changed. */
export type DependencyChange = {
  name: string;
  field: string;
  from?: string;
  to?: string;
  /** For a dependency new in `to`: what the registry says about it and its own verdict, when looked up. */
  registry?: DependencyRegistryInfo;
};

/** What changed between two versions of a package, as sets of things new (or gone) in `to`. */
export type PackageDelta = {
  /** Capabilities `to` has and `from` lacks, and the reverse. */
  added: string[];
  removed: string[];
  /**
   * Install-time lifecycle scripts added or whose command changed, with the package files the new
   * command runs and, when every part of it is a known-benign command (node-gyp, prebuild-install…), which.
   */
  installScripts: {
    script: string;
    from?: string;
    to: string;
    runsFiles: string[];
    benign?: BenignPattern;
  }[];
  /** URL hosts and IP addresses first seen in `to`. */
  hosts: string[];
  ips: string[];
  /** Sensitive paths (credential files, SSH keys, …) first referenced in `to`. */
  sensitivePaths: string[];
  /** The files of `to` that reference new credential stores among them (SSH keys, .npmrc, cloud keys, wallets…). */
  credentialFiles: string[];
  /** Files that are obfuscated, minified or binary in `to` and were not (or did not exist) in `from`. */
  obfuscatedFiles: string[];
  minifiedFiles: string[];
  binaryFiles: string[];
  dependencies: { added: DependencyChange[]; removed: DependencyChange[]; changed: DependencyChange[] };
  files: { added: string[]; removed: string[]; changed: string[] };
  /** Threat findings of `to` with no finding of the same rule on the same file in `from`. */
  findings: BehaviorFinding[];
  /** Export subpaths, bins and main-entry names `to` no longer offers. */
  exportsRemoved: ExportsRemoved;
  /** Changed stretches of added and changed files that touch risky lines of `to`. */
  hunks: RiskyHunks;
};

const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

export const computeDelta = (from: DiffSide, to: DiffSide): PackageDelta => {
  const fromCaps = new Set(from.assessment.capabilities);
  const toCaps = new Set(to.assessment.capabilities);
  const hosts = newValues(from.facts, to.facts, (f) => (f.kind === 'url' ? f.host : undefined));
  const ips = newValues(from.facts, to.facts, (f) => (f.kind === 'ip' ? f.value : undefined));
  const files = fileChanges(from.files, to.files);
  const sensitivePaths = newValues(from.facts, to.facts, (f) =>
    f.kind === 'sensitive-path' ? f.value : undefined,
  );
  return {
    added: [...toCaps].filter((c) => !fromCaps.has(c)).sort(),
    removed: [...fromCaps].filter((c) => !toCaps.has(c)).sort(),
    installScripts: installScriptChanges(from.facts, to.facts, to.files),
    hosts,
    ips,
    sensitivePaths,
    credentialFiles: [
      ...new Set(
        to.facts.code
          .filter(
            (f) =>
              f.kind === 'sensitive-path' &&
              CREDENTIAL_PATH_CATEGORIES.has(f.category) &&
              sensitivePaths.includes(f.value),
          )
          .map((f) => f.at.file),
      ),
    ].sort(),
    obfuscatedFiles: newFiles(from.facts, to.facts, (facts) => obfuscatedFiles(facts)),
    minifiedFiles: newFiles(from.facts, to.facts, (facts) =>
      facts.files.filter((f) => f.minified).map((f) => f.file),
    ),
    binaryFiles: newFiles(from.facts, to.facts, (facts) =>
      facts.files.filter((f) => f.binary !== undefined).map((f) => f.file),
    ),
    dependencies: dependencyChanges(from.manifest, to.manifest),
    files,
    findings: newThreats(from, to, new Set([...files.added, ...files.changed])),
    exportsRemoved: exportsRemoved(
      entrySurface(from.manifest, from.files),
      entrySurface(to.manifest, to.files),
      from.assessment.version,
      to.assessment.version,
    ),
    hunks: riskyHunks(from, to, [...files.added, ...files.changed], new Set([...hosts, ...ips])),
  };
};

const installScriptChanges = (
  from: PackageFacts,
  to: PackageFacts,
  files: ReadonlyMap<string, unknown>,
): PackageDelta['installScripts'] =>
  Object.entries(to.manifest.installScripts)
    .filter(([script, command]) => from.manifest.installScripts[script] !== command)
    .map(([script, command]) => {
      const before = from.manifest.installScripts[script];
      const { runsFiles, benign } = classifyInstallScript(script, command, files);
      return {
        script,
        ...(before === undefined ? {} : { from: before }),
        to: command,
        runsFiles,
        // `node file.js` is only as benign as the file, which the rules judge: not a pattern to show.
        ...(benign === undefined || benign === 'node-install-file' ? {} : { benign }),
      };
    })
    .sort((a, b) => a.script.localeCompare(b.script));

const newValues = (
  from: PackageFacts,
  to: PackageFacts,
  pick: (fact: CodeFact) => string | undefined,
): string[] => {
  const before = new Set(from.code.map(pick));
  const after = new Set<string>();
  for (const fact of to.code) {
    const value = pick(fact);
    if (value !== undefined && value !== '' && !before.has(value)) after.add(value);
  }
  return [...after].sort();
};

const obfuscatedFiles = (facts: PackageFacts): string[] => [
  ...new Set(facts.code.filter((f) => f.kind === 'obfuscation').map((f) => f.at.file)),
];

const newFiles = (
  from: PackageFacts,
  to: PackageFacts,
  pick: (facts: PackageFacts) => string[],
): string[] => {
  const before = new Set(pick(from));
  return [...new Set(pick(to))].filter((file) => !before.has(file)).sort();
};

/** Dependencies added, removed and with a changed specifier between two manifests. */
export const dependencyChanges = (
  from: Record<string, unknown>,
  to: Record<string, unknown>,
): PackageDelta['dependencies'] => {
  const out: PackageDelta['dependencies'] = { added: [], removed: [], changed: [] };
  for (const field of DEPENDENCY_FIELDS) {
    const before = specifiers(from[field]);
    const after = specifiers(to[field]);
    for (const [name, spec] of after) {
      const old = before.get(name);
      if (old === undefined) out.added.push({ name, field, to: spec });
      else if (old !== spec) out.changed.push({ name, field, from: old, to: spec });
    }
    for (const [name, spec] of before) if (!after.has(name)) out.removed.push({ name, field, from: spec });
  }
  return out;
};

const specifiers = (value: unknown): Map<string, string> => {
  const map = new Map<string, string>();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return map;
  for (const [name, spec] of Object.entries(value))
    map.set(name, typeof spec === 'string' ? spec : String(spec));
  return map;
};

const fileChanges = (
  from: ReadonlyMap<string, { bytes: Uint8Array }>,
  to: ReadonlyMap<string, { bytes: Uint8Array }>,
): PackageDelta['files'] => {
  const out: PackageDelta['files'] = { added: [], removed: [], changed: [] };
  for (const [path, file] of to) {
    const before = from.get(path);
    if (!before) out.added.push(path);
    else if (hash(before.bytes) !== hash(file.bytes)) out.changed.push(path);
  }
  for (const path of from.keys()) if (!to.has(path)) out.removed.push(path);
  for (const list of Object.values(out)) list.sort();
  return out;
};

const hash = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const newThreats = (from: DiffSide, to: DiffSide, changed: ReadonlySet<string>): BehaviorFinding[] => {
  const key = (f: BehaviorFinding) => `${f.rule}\0${f.file ?? ''}`;
  const before = new Set(from.assessment.findings.filter((f) => f.kind === 'threat').map(key));
  // A file whose analysis did not finish in `from` (time budget, fact cap) and that `to` ships
  // unchanged: what `to` finds there, `from` would have found; it is no change of this release.
  const unread = new Set(from.facts.files.filter((f) => f.factsTruncated).map((f) => f.file));
  return to.assessment.findings.filter(
    (f) =>
      f.kind === 'threat' &&
      !before.has(key(f)) &&
      !(f.file !== undefined && unread.has(f.file) && !changed.has(f.file)),
  );
};
