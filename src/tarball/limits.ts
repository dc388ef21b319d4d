/** Bounds on reading one package tarball. A real npm package stays far below every default. */
export type TarballLimits = {
  /** Bytes of the decompressed tar stream (headers, padding and file contents). */
  maxUnpackedBytes: number;
  /** Tar entries of any type, including directories and rejected ones. */
  maxEntries: number;
  /** Declared size of one file. */
  maxFileBytes: number;
  /** Decompressed bytes per compressed byte, checked once output passes `ratioFloorBytes`. */
  maxRatio: number;
  /** Output below this is never judged by ratio: tiny archives compress oddly well. */
  ratioFloorBytes: number;
  /** Wall-clock time for the whole read. */
  timeMs: number;
};

export type TarballLimitName = 'unpacked-size' | 'entries' | 'file-size' | 'ratio' | 'time';

const MiB = 1024 * 1024;

export const DEFAULT_TARBALL_LIMITS: Readonly<TarballLimits> = {
  maxUnpackedBytes: 256 * MiB,
  maxEntries: 20_000,
  maxFileBytes: 64 * MiB,
  maxRatio: 200,
  ratioFloorBytes: 1 * MiB,
  timeMs: 30_000,
};

export const resolveLimits = (limits: Partial<TarballLimits> = {}): TarballLimits => ({
  ...DEFAULT_TARBALL_LIMITS,
  ...limits,
});
