import { closeSync, type Dirent, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Advisory } from '../core/advisory.js';
import { InputError } from '../core/errors.js';
import { decodeUtf8, readInputFile } from '../core/input.js';
import type { AdvisoryStore, ImportSource, ImportStats } from '../store/store.js';
import { parseOsvText } from './osv-record.js';
import { DEFAULT_ZIP_LIMITS, type ZipLimits, zipEntries } from './zip-entries.js';

/** One OSV record as read: `advisory` is undefined when the record names no npm package. */
export type OsvRecordRead = { name: string; advisory: Advisory | undefined };

export type ImportResult = ImportStats & { seconds: number; source: ImportSource };

export type ImportOptions = {
  /** Defaults to `file:<absolute path>`. */
  source?: ImportSource;
  zipLimits?: ZipLimits;
};

/**
 * Imports an OSV export (`all.zip`), a directory of OSV or GitHub advisory-database JSON files
 * (recursive), or one JSON file. One transaction: a malformed record raises InputError naming the
 * file or zip entry, and nothing is written. Incremental: only newer `modified` replaces.
 */
export const importOsv = async (
  store: AdvisoryStore,
  path: string,
  options: ImportOptions = {},
): Promise<ImportResult> => {
  const started = performance.now();
  const absolute = resolve(path);
  const source = options.source ?? { name: `file:${absolute}`, location: absolute };
  let read = 0;
  let skipped = 0;
  async function* advisories(): AsyncGenerator<Advisory> {
    for await (const record of readOsvRecords(absolute, options.zipLimits)) {
      read++;
      if (record.advisory) yield record.advisory;
      else skipped++;
    }
  }
  const stats = await store.importAdvisories(advisories(), source);
  return { ...stats, read, skipped, seconds: (performance.now() - started) / 1000, source };
};

/** Every OSV record under `path`, validated and normalised, in a stable order. */
export async function* readOsvRecords(
  path: string,
  zipLimits: ZipLimits = DEFAULT_ZIP_LIMITS,
): AsyncGenerator<OsvRecordRead> {
  const kind = pathKind(path);
  if (kind === 'directory') {
    for (const file of jsonFilesUnder(path)) yield readJsonRecord(file);
  } else if (kind === 'zip') {
    for await (const entry of zipEntries(path, (name) => name.toLowerCase().endsWith('.json'), zipLimits)) {
      yield { name: entry.name, advisory: parseOsvText(decodeUtf8(entry.bytes, entry.name), entry.name) };
    }
  } else yield readJsonRecord(path);
}

const readJsonRecord = (file: string): OsvRecordRead => ({
  name: file,
  advisory: parseOsvText(readInputFile(file), file),
});

const pathKind = (path: string): 'directory' | 'zip' | 'json' => {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(path, code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? error})`);
  }
  if (isDirectory) return 'directory';
  const magic = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, magic, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  if (magic[0] === 0x50 && magic[1] === 0x4b) return 'zip';
  if (path.toLowerCase().endsWith('.zip'))
    throw new InputError(path, 'is not a zip archive (no PK signature)');
  return 'json';
};

/**
 * `*.json` files below `root`, depth first in name order. Symbolic links are not followed and
 * dot-directories (`.git`, `.github`) are skipped: the GitHub advisory-database checkout has both.
 */
const jsonFilesUnder = (root: string): string[] => {
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw new InputError(dir, `cannot be listed (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.json')) files.push(full);
    }
  };
  walk(root);
  return files;
};
