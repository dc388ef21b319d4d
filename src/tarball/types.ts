import type { TarballLimitName } from './limits.js';

/** One regular file of a package, read into memory. */
export type TarballFile = {
  /** POSIX path inside the package, top folder removed: `lib/index.js`. */
  path: string;
  size: number;
  /** Permission bits from the tar header (`0o755` for an executable). */
  mode: number;
  bytes: Uint8Array;
};

/** Entry-level findings: each names the entry as written in the archive (escaped for printing). */
export type TarballEntryProblemKind =
  | 'path-traversal'
  | 'absolute-path'
  | 'symlink'
  | 'hardlink'
  | 'special-file'
  | 'duplicate-path'
  | 'non-utf8-name'
  | 'control-characters'
  | 'outside-top-folder'
  | 'unsupported-entry';

export type TarballProblem =
  | { kind: 'limit'; limit: TarballLimitName; message: string }
  | { kind: TarballEntryProblemKind; entry: string; message: string }
  | { kind: 'package-json'; entry: 'package.json'; message: string };

export type TarballContents = {
  /** Regular files by normalised path, in archive order. A duplicated path holds the last copy. */
  files: ReadonlyMap<string, TarballFile>;
  problems: TarballProblem[];
  /** The folder npm packed into (`package` for npm, the repo name for some GitHub tarballs). */
  topFolder?: string;
  /** Tar entries seen, of every type. */
  entries: number;
  /** Decompressed tar bytes read. */
  unpackedBytes: number;
  /** False when a limit stopped the read: `files` then holds what came before. */
  complete: boolean;
};

/** The archive itself is broken (not gzip, truncated, bad tar header). */
export class TarballError extends Error {
  readonly source: string;
  /** What was read before the damage. */
  readonly partial: TarballContents;

  constructor(source: string, message: string, partial: TarballContents) {
    super(`${source}: ${message}`);
    this.name = 'TarballError';
    this.source = source;
    this.partial = partial;
  }
}
