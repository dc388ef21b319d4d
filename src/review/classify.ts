import semver from 'semver';
import { type DepNode, isLocalNode, type SourceKind } from '../core/graph.js';

export type ChangeKind = 'added' | 'removed' | 'upgraded' | 'downgraded' | 'repinned';

/** One version of a package as a lockfile pins it. */
export type LockedPackage = {
  name: string;
  version: string;
  integrity?: string;
  resolved?: string;
  source: SourceKind;
  /** Every occurrence is reachable only through dev dependencies. */
  dev: boolean;
};

/** A package version that differs between two lockfiles. */
export type PackageChange =
  | { kind: 'added'; name: string; to: LockedPackage }
  | { kind: 'removed'; name: string; from: LockedPackage }
  | { kind: 'upgraded' | 'downgraded'; name: string; from: LockedPackage; to: LockedPackage }
  /** The same version with another integrity: different bytes under a version already reviewed. */
  | { kind: 'repinned'; name: string; from: LockedPackage; to: LockedPackage };

/**
 * The package versions added, removed, upgraded and downgraded from `base` to `head`, and those
 * `head` pins with another integrity than `base` (repinned); other versions in both are left out. Local code (the root, workspaces, links, directories) and
 * copies bundled inside another tarball are not dependencies of their own here.
 *
 * A name with several versions is paired version by version: first within the same major
 * (`1.0.0 → 1.2.0` beside `2.0.0 → 2.1.0`), then in order; what is left over is added or removed.
 */
export const classifyChanges = (base: Iterable<DepNode>, head: Iterable<DepNode>): PackageChange[] => {
  const before = byName(base);
  const after = byName(head);
  const changes: PackageChange[] = [];
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(name) ?? new Map<string, LockedPackage>();
    const current = after.get(name) ?? new Map<string, LockedPackage>();
    const gone = [...old.values()].filter((p) => !current.has(p.version)).sort(byVersion);
    const fresh = [...current.values()].filter((p) => !old.has(p.version)).sort(byVersion);
    const { pairs, left, right } = pairVersions(gone, fresh);
    for (const [from, to] of pairs)
      changes.push({
        kind: compareVersions(to.version, from.version) < 0 ? 'downgraded' : 'upgraded',
        name,
        from,
        to,
      });
    for (const from of left) changes.push({ kind: 'removed', name, from });
    for (const [version, to] of current) {
      const from = old.get(version);
      if (from?.integrity !== undefined && to.integrity !== undefined && from.integrity !== to.integrity)
        changes.push({ kind: 'repinned', name, from, to });
    }
    for (const to of right) changes.push({ kind: 'added', name, to });
  }
  return changes.sort(
    (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || compareVersions(versionOf(a), versionOf(b)),
  );
};

const versionOf = (change: PackageChange): string =>
  (change.kind === 'removed' ? change.from : change.to).version;

const byName = (nodes: Iterable<DepNode>): Map<string, Map<string, LockedPackage>> => {
  const out = new Map<string, Map<string, LockedPackage>>();
  for (const node of nodes) {
    if (isLocalNode(node) || node.bundled || node.declaredRange) continue;
    let versions = out.get(node.name);
    if (!versions) {
      versions = new Map();
      out.set(node.name, versions);
    }
    const seen = versions.get(node.version);
    if (seen) {
      seen.dev &&= node.dev;
      seen.integrity ??= node.integrity;
      seen.resolved ??= node.resolved;
      continue;
    }
    const locked: LockedPackage = {
      name: node.name,
      version: node.version,
      source: node.source,
      dev: node.dev,
    };
    if (node.integrity !== undefined) locked.integrity = node.integrity;
    if (node.resolved !== undefined) locked.resolved = node.resolved;
    versions.set(node.version, locked);
  }
  return out;
};

/** Same-major pairs first, then the rest in version order. Both lists ascend. */
export const pairVersions = <T extends { version: string }>(
  gone: readonly T[],
  fresh: readonly T[],
): { pairs: [T, T][]; left: T[]; right: T[] } => {
  const pairs: [T, T][] = [];
  const left = [...gone];
  const right = [...fresh];
  for (const major of new Set(gone.map((p) => majorOf(p.version)).filter((m) => m !== undefined))) {
    const olds = left.filter((p) => majorOf(p.version) === major);
    const news = right.filter((p) => majorOf(p.version) === major);
    // Pair the newest with the newest: `1.1 → 1.3` and `1.0 → 1.2` rather than across.
    const count = Math.min(olds.length, news.length);
    for (let i = 1; i <= count; i++) {
      const from = olds[olds.length - i]!;
      const to = news[news.length - i]!;
      pairs.push([from, to]);
      left.splice(left.indexOf(from), 1);
      right.splice(right.indexOf(to), 1);
    }
  }
  const count = Math.min(left.length, right.length);
  for (let i = 1; i <= count; i++) pairs.push([left[left.length - i]!, right[right.length - i]!]);
  return { pairs, left: left.slice(0, left.length - count), right: right.slice(0, right.length - count) };
};

const majorOf = (version: string): number | undefined =>
  semver.valid(version) === null ? undefined : semver.major(version);

/** semver order where both are versions, text order otherwise (git or tarball specifiers). */
export const compareVersions = (a: string, b: string): number => {
  if (semver.valid(a) !== null && semver.valid(b) !== null) return semver.compare(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
};

const byVersion = (a: { version: string }, b: { version: string }): number =>
  compareVersions(a.version, b.version);
