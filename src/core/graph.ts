/** The dependency graph every inventory source produces. No I/O here. */

export type LockfileFormat =
  | 'package-lock'
  | 'npm-shrinkwrap'
  | 'yarn-classic'
  | 'yarn-berry'
  | 'pnpm-lock'
  | 'bun-lock'
  | 'package-json'
  | 'cyclonedx';

/** Where a node's code comes from. Anything but `registry` bypasses the registry and is a risk signal. */
export type SourceKind = 'registry' | 'git' | 'tarball' | 'directory' | 'link' | 'workspace' | 'root';

export type DependencyType = 'prod' | 'dev' | 'optional' | 'peer' | 'peerOptional';

export type DepNode = {
  /** Unique within the graph. Registry packages use `name@version`; local ones a path-like id. */
  id: string;
  /** The real package name (for an alias `foo: npm:bar@1`, this is `bar`). */
  name: string;
  version: string;
  /** Names the package is installed under when that differs from `name` (npm aliases). */
  aliases?: string[];
  resolved?: string;
  integrity?: string;
  source: SourceKind;
  /** Reachable only through dev edges from the roots. */
  dev: boolean;
  /** Reachable only through optional edges (or flagged optional by the lockfile). */
  optional: boolean;
  /** Present only because a peer dependency asked for it. */
  peer: boolean;
  /** Shipped inside its parent's tarball (npm bundleDependencies). */
  bundled: boolean;
  /** Path of the workspace member, relative to the lockfile's directory, when the node is one. */
  workspace?: string;
  /** 1-based line in the lockfile where the node is declared, where the format gives it cheaply. */
  line?: number;
  /**
   * Set when `version` is a declared range or specifier (`^1.2.0`, `latest`), not an installed
   * version: the input was a package.json without a lockfile.
   */
  declaredRange?: true;
};

export type DepEdge = {
  from: string;
  to: string;
  /** The key the dependency is declared under (an alias name for `npm:` aliases). */
  name: string;
  /** The declared range or specifier, as written. */
  range: string;
  type: DependencyType;
};

export type DependencyGraph = {
  format: LockfileFormat;
  /** Absolute path of the file the graph was read from. */
  file: string;
  /** Lockfile format version as the file states it (e.g. 3, '9.0', 'v1'), if any. */
  formatVersion?: string | number;
  /** Ids of the root project and of each workspace member. */
  roots: string[];
  nodes: Map<string, DepNode>;
  edges: DepEdge[];
  /** Non-fatal notes for the user (e.g. "no lockfile: declared ranges only"). */
  warnings: string[];
};

export const isRegistryNode = (node: DepNode): boolean => node.source === 'registry';

/** Local nodes (the root, workspace members, links) are never matched against registry advisories. */
export const isLocalNode = (node: DepNode): boolean =>
  node.source === 'root' ||
  node.source === 'workspace' ||
  node.source === 'link' ||
  node.source === 'directory';
