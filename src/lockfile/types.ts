import type { DependencyGraph, LockfileFormat } from '../core/graph.js';

export type LockfileInput = {
  /** Absolute path of the lockfile. */
  path: string;
  /** Its text, already size-checked and UTF-8 decoded. */
  content: string;
  /**
   * Reads a file relative to the lockfile's directory (the root package.json, workspace
   * manifests). Returns undefined when the file does not exist. Size and UTF-8 checked.
   */
  readSibling: (relativePath: string) => string | undefined;
  /**
   * Names of the subdirectories of a directory relative to the lockfile's directory (for
   * workspace globs); undefined when it does not exist. Optional: not every caller can list.
   */
  listDir?: (relativePath: string) => string[] | undefined;
};

/** One lockfile format (scalibr's extractor shape: a cheap prefilter plus a parser). */
export type LockfileParser = {
  /** Path-like, unique and stable: `lockfile/package-lock`. Doubles as a CLI selector. */
  name: string;
  format: LockfileFormat;
  /** Decides from the file name alone. */
  matches: (fileName: string) => boolean;
  /** Parses or throws InputError naming the file and, where known, the position. */
  parse: (input: LockfileInput) => DependencyGraph;
};
