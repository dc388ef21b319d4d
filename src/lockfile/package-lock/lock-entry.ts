import type { DependencyType, SourceKind } from '../../core/graph.js';

/**
 * One entry of a package-lock, whatever its version: the root, a folder package (workspace
 * member or link target), an installed package at a `node_modules/...` location, or a link.
 * Both readers (v1 tree, v2/v3 `packages`) produce these; the graph builder only sees these.
 */
export type LockEntry = {
  /** Location as npm writes it in v2/v3: `''`, `node_modules/a/node_modules/b`, `workspaces/x`. */
  key: string;
  /** JSON path of the entry in the file, for error messages. */
  jsonPath: string;
  kind: EntryKind;
  /** The name the package is installed under (last `node_modules/` segment); '' for root and folders. */
  installName: string;
  /** The real package name. */
  name: string;
  version: string;
  source: SourceKind;
  resolved: string | undefined;
  integrity: string | undefined;
  /** For `link` entries: the key of the folder entry it points to. */
  target?: string | undefined;
  dev: boolean;
  optional: boolean;
  peer: boolean;
  bundled: boolean;
  deps: DeclaredDep[];
  line: number | undefined;
};

export type EntryKind = 'root' | 'folder' | 'installed' | 'link';

export type DeclaredDep = {
  name: string;
  range: string;
  type: DependencyType;
  /** v1 `requires` do not say which field declared them; the builder infers `optional` from the target. */
  untyped?: true;
};

/** `packages["node_modules/foo"]`, `dependencies["a"].dependencies["b"]`: unambiguous for any key. */
export const memberPath = (parent: string, key: string): string => `${parent}[${JSON.stringify(key)}]`;

const INSTALLED = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)$/;

/** The install name of a `node_modules/...` key, or undefined for folder keys. */
export const installNameOf = (key: string): string | undefined => INSTALLED.exec(key)?.[1];
