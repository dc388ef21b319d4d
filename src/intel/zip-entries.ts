import { readFileSync, statSync } from 'node:fs';
import zlib, { inflateRawSync } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { InputError } from '../core/errors.js';

/** Limits for untrusted archives. Nothing is written to disk, so entry paths need no checks. */
export type ZipLimits = {
  /** The archive is read into memory (see zipEntries). */
  maxArchiveBytes: number;
  maxEntries: number;
  /** Largest uncompressed entry. */
  maxEntryBytes: number;
  /** Sum of all uncompressed entries read. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio for an entry above `ratioFloorBytes` (zip bombs). */
  maxRatio: number;
  ratioFloorBytes: number;
};

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxArchiveBytes: 2 * 1024 * 1024 * 1024,
  maxEntries: 2_000_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

export type ZipEntry = { name: string; bytes: Buffer };

/**
 * Yields the entries of a zip whose names satisfy `wanted`, one at a time, each checked against the
 * limits before it is inflated. yauzl reads the central directory (zip64 included); the archive is
 * held in memory because yauzl's per-entry streams cost ~150 µs each, which is most of an import
 * of 200,000 entries. Data is inflated synchronously with the declared size as a hard cap and
 * checked against the declared CRC-32.
 */
export async function* zipEntries(
  path: string,
  wanted: (fileName: string) => boolean,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): AsyncGenerator<ZipEntry> {
  const buffer = readArchive(path, limits);
  const zip = await openZip(buffer, path);
  try {
    if (zip.entryCount > limits.maxEntries)
      throw new InputError(path, `has ${zip.entryCount} entries, over the limit of ${limits.maxEntries}`);
    let total = 0;
    for (;;) {
      const entry = await nextEntry(zip, path);
      if (!entry) return;
      if (entry.fileName.endsWith('/') || !wanted(entry.fileName)) continue;
      const name = `${path}:${printable(entry.fileName)}`;
      checkEntry(entry, name, limits);
      total += entry.uncompressedSize;
      if (total > limits.maxTotalBytes)
        throw new InputError(path, `inflates to more than ${limits.maxTotalBytes} bytes, over the limit`);
      yield { name, bytes: inflateEntry(buffer, entry, name) };
    }
  } finally {
    zip.close();
  }
}

const readArchive = (path: string, limits: ZipLimits): Buffer => {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new InputError(path, `cannot be read (${message(error)})`);
  }
  if (size > limits.maxArchiveBytes)
    throw new InputError(
      path,
      `is ${size} bytes, over the ${limits.maxArchiveBytes}-byte limit for an archive`,
    );
  try {
    return readFileSync(path);
  } catch (error) {
    throw new InputError(path, `cannot be read (${message(error)})`);
  }
};

const checkEntry = (entry: Entry, name: string, limits: ZipLimits): void => {
  if (entry.isEncrypted()) throw new InputError(name, 'is encrypted');
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
    throw new InputError(
      name,
      `uses compression method ${entry.compressionMethod}; only stored and deflate are read`,
    );
  if (entry.uncompressedSize > limits.maxEntryBytes)
    throw new InputError(
      name,
      `is ${entry.uncompressedSize} bytes, over the ${limits.maxEntryBytes}-byte limit`,
    );
  const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
  if (entry.uncompressedSize > limits.ratioFloorBytes && ratio > limits.maxRatio)
    throw new InputError(
      name,
      `compresses ${Math.round(ratio)}:1 (${entry.uncompressedSize} bytes from ${entry.compressedSize}), over the ${limits.maxRatio}:1 limit; refusing a possible zip bomb`,
    );
};

const LOCAL_HEADER_SIGNATURE = 0x04034b50;

const inflateEntry = (buffer: Buffer, entry: Entry, name: string): Buffer => {
  const offset = entry.relativeOffsetOfLocalHeader;
  if (offset + 30 > buffer.length || buffer.readUInt32LE(offset) !== LOCAL_HEADER_SIGNATURE)
    throw new InputError(name, 'has no valid local file header');
  const start = offset + 30 + buffer.readUInt16LE(offset + 26) + buffer.readUInt16LE(offset + 28);
  const end = start + entry.compressedSize;
  if (end > buffer.length) throw new InputError(name, 'extends past the end of the archive');
  const raw = buffer.subarray(start, end);
  let data: Buffer;
  if (entry.compressionMethod === 0) data = raw;
  else {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    } catch (error) {
      throw new InputError(name, `cannot be inflated (${message(error)})`);
    }
  }
  if (data.length !== entry.uncompressedSize)
    throw new InputError(
      name,
      `inflates to ${data.length} bytes, not the declared ${entry.uncompressedSize}`,
    );
  if (crc32 && crc32(data) !== entry.crc32) throw new InputError(name, 'fails its CRC-32 check');
  return data;
};

// zlib.crc32 arrived in Node 20.15; on older runtimes the size check above still applies.
const crc32 = (zlib as { crc32?: (data: Buffer) => number }).crc32;

const openZip = (buffer: Buffer, path: string): Promise<ZipFile> =>
  new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      buffer,
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: false },
      (error, zip) => {
        if (error || !zip) reject(new InputError(path, `is not a valid zip archive (${message(error)})`));
        else resolve(zip);
      },
    );
  });

const nextEntry = (zip: ZipFile, path: string): Promise<Entry | undefined> =>
  new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: Entry) => {
      cleanup();
      resolve(entry);
    };
    const onEnd = () => {
      cleanup();
      resolve(undefined);
    };
    const onError = (error: unknown) => {
      cleanup();
      reject(new InputError(path, `is not a valid zip archive (${message(error)})`));
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });

/** Entry names come from the archive: keep terminal control characters out of messages. */
const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
