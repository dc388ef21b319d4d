import { createGunzip, type Gunzip } from 'node:zlib';
import tar, { type Header } from 'tar-stream';
import { normaliseEntryName } from './entry-path.js';
import { resolveLimits, type TarballLimitName, type TarballLimits } from './limits.js';
import {
  type TarballContents,
  type TarballEntryProblemKind,
  TarballError,
  type TarballFile,
  type TarballProblem,
} from './types.js';

export type ReadTarballOptions = {
  /** Names the tarball in errors: `left-pad@1.3.0`, a URL, a file. */
  source?: string;
  limits?: Partial<TarballLimits>;
};

const SPECIAL_TYPES = new Set(['character-device', 'block-device', 'fifo']);

/**
 * Gunzip output chunk. Larger chunks halve the time on many-file packages (fewer stream turns);
 * the size and ratio limits may overshoot by at most one chunk.
 */
const GUNZIP_CHUNK_BYTES = 256 * 1024;

/**
 * Reads an npm package tarball (gzip or plain tar) into memory. Nothing is written to disk and
 * no link is followed. Streaming, hence async: gunzip output is checked chunk by chunk, so a
 * decompression bomb stops at the limit instead of being inflated whole, and a time limit can
 * fire between chunks. A limit or a refused entry is a problem in the result; only a broken
 * archive rejects, with a `TarballError` holding what was read before the damage.
 */
export const readTarball = (bytes: Uint8Array, options: ReadTarballOptions = {}): Promise<TarballContents> =>
  new Promise((resolve, reject) => {
    const limits = resolveLimits(options.limits);
    const source = options.source ?? 'tarball';
    const files = new Map<string, TarballFile>();
    const problems: TarballProblem[] = [];
    const contents: TarballContents = { files, problems, entries: 0, unpackedBytes: 0, complete: true };

    // latin1 keeps each name byte as one char, so a non-UTF-8 name can be told apart (see entry-path.ts).
    const extract = tar.extract({ filenameEncoding: 'latin1' } as Parameters<typeof tar.extract>[0]);
    const gunzip: Gunzip | undefined = isGzip(bytes)
      ? createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES })
      : undefined;
    let settled = false;
    let tarFinished = false;
    let entryOpen = false;

    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      gunzip?.destroy();
      extract.destroy();
      if (error !== undefined && contents.complete) {
        reject(new TarballError(source, describeArchiveError(error, gunzip !== undefined), contents));
      } else resolve(contents);
    };
    const stopAt = (limit: TarballLimitName, message: string) => {
      if (settled) return;
      contents.complete = false;
      problems.push({ kind: 'limit', limit, message });
      settle();
    };
    const refuse = (kind: TarballEntryProblemKind, entry: string, message: string) => {
      problems.push({ kind, entry, message });
    };

    const timer = setTimeout(
      () => stopAt('time', `reading took longer than ${limits.timeMs} ms; stopped`),
      limits.timeMs,
    );

    extract.on('entry', (header: Header, stream, next) => {
      stream.on('error', () => {});
      if (settled) return;
      contents.entries++;
      if (contents.entries > limits.maxEntries) {
        return stopAt('entries', `more than ${limits.maxEntries} entries; stopped`);
      }
      const skip = () => {
        stream.on('end', () => next());
        stream.resume();
      };
      const fromPax = typeof (header.pax as { path?: unknown } | null | undefined)?.path === 'string';
      const name = normaliseEntryName(header.name, fromPax);
      const type: string = header.type ?? 'file';

      if (type === 'directory') {
        if (!name.ok && name.kind !== 'outside-top-folder') refuse(name.kind, name.printable, name.message);
        return skip();
      }
      if (!name.ok) {
        refuse(name.kind, name.printable, name.message);
        return skip();
      }
      if (type === 'symlink' || type === 'link') {
        const target = normaliseEntryName(header.linkname ?? '', false).printable;
        const kind = type === 'symlink' ? 'symlink' : 'hardlink';
        refuse(kind, name.printable, `${name.printable}: ${kind} to "${target}" (not followed)`);
        return skip();
      }
      if (SPECIAL_TYPES.has(type)) {
        refuse('special-file', name.printable, `${name.printable}: ${type} entry (ignored)`);
        return skip();
      }
      if (type !== 'file' && type !== 'contiguous-file') {
        refuse('unsupported-entry', name.printable, `${name.printable}: unsupported ${type} entry (ignored)`);
        return skip();
      }
      const size = header.size ?? 0;
      if (size > limits.maxFileBytes) {
        return stopAt(
          'file-size',
          `${name.printable} is ${size} bytes, over the ${limits.maxFileBytes} byte limit for one file; stopped`,
        );
      }
      if (contents.topFolder === undefined) contents.topFolder = name.topFolder;
      const chunks: Buffer[] = [];
      entryOpen = true;
      stream.on('data', (chunk) => {
        chunks.push(chunk as Buffer);
      });
      stream.on('end', () => {
        entryOpen = false;
        if (settled) return;
        if (files.has(name.path)) {
          files.delete(name.path);
          refuse(
            'duplicate-path',
            name.printable,
            `${name.printable}: path appears more than once (last kept)`,
          );
        }
        // Always a copy: tar-stream hands out views into 256 KiB gunzip chunks, which a small file
        // would otherwise keep alive for as long as the contents live.
        const data = Buffer.concat(chunks);
        files.set(name.path, {
          path: name.path,
          size: data.byteLength,
          mode: (header.mode ?? 0o644) & 0o7777,
          bytes: data,
        });
        if (tarFinished) settle();
        else next();
      });
    });
    extract.on('error', (error: unknown) => settle(error));
    extract.on('finish', () => {
      tarFinished = true;
      if (!entryOpen) settle();
    });

    const feed = (chunk: Buffer): boolean => {
      contents.unpackedBytes += chunk.byteLength;
      if (contents.unpackedBytes > limits.maxUnpackedBytes) {
        stopAt('unpacked-size', `unpacks to more than ${limits.maxUnpackedBytes} bytes; stopped`);
        return false;
      }
      if (
        contents.unpackedBytes > limits.ratioFloorBytes &&
        contents.unpackedBytes > limits.maxRatio * bytes.byteLength
      ) {
        stopAt(
          'ratio',
          `unpacks to more than ${limits.maxRatio} times its ${bytes.byteLength} compressed bytes (a decompression bomb?); stopped`,
        );
        return false;
      }
      return extract.write(chunk);
    };

    if (gunzip) {
      gunzip.on('data', (chunk: Buffer) => {
        if (settled) return;
        if (!feed(chunk)) gunzip.pause();
      });
      extract.on('drain', () => {
        if (!settled) gunzip.resume();
      });
      gunzip.on('end', () => {
        if (!settled) extract.end(undefined);
      });
      gunzip.on('error', (error: unknown) => settle(error));
      gunzip.end(bytes);
    } else if (isUstar(bytes)) {
      feed(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if (!settled) extract.end(undefined);
    } else {
      settle(new Error('not an archive'));
    }
  });

const isGzip = (bytes: Uint8Array): boolean => bytes[0] === 0x1f && bytes[1] === 0x8b;

/** npm always gzips; a plain tar is accepted only with the ustar magic, as node-tar would read it. */
const isUstar = (bytes: Uint8Array): boolean =>
  bytes.byteLength >= 512 && Buffer.from(bytes.subarray(257, 262)).toString('latin1') === 'ustar';

const describeArchiveError = (error: unknown, gzip: boolean): string => {
  const message = error instanceof Error ? error.message : String(error);
  if (message === 'not an archive') return 'is neither gzip nor tar data';
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)) return 'gzip data is truncated';
  if (code === 'Z_DATA_ERROR') return `gzip data is corrupt (${message})`;
  if (/Invalid tar header/i.test(message)) {
    return `tar data is corrupt (invalid tar header${gzip ? ' after gunzip' : ''})`;
  }
  if (/Unexpected end of data/i.test(message)) return 'tar data is truncated';
  return `cannot be read (${message})`;
};
