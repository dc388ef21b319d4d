import { closeSync, openSync, readSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { DependencyGraph, LockfileFormat } from '../core/graph.js';
import { parseJsonInput, readInputFile } from '../core/input.js';
import { isRecord, optionalString } from '../core/shape.js';
import { bunLockbError, isBunLockb } from '../lockfile/bun-lock/bun-binary.js';
import { chooseParser } from '../lockfile/index.js';
import { managerFromField } from '../lockfile/package-json/package-json.js';
import type { LockfileParser } from '../lockfile/types.js';
import { discoverInventory, statKind } from './discover.js';
import { siblingFiles } from './sibling-files.js';

export type InventoryManager = 'npm' | 'yarn' | 'pnpm' | 'bun' | 'unknown';

export type Inventory = {
  graph: DependencyGraph;
  /** The package manager whose commands and override syntax apply. */
  manager: InventoryManager;
  /** Absolute path of the file that was read. */
  file: string;
  /** Absolute path of the directory holding it (a monorepo member is scanned from its root). */
  directory: string;
};

export type InventoryOptions = {
  /** Project directory to discover an inventory in; default the current directory. */
  dir?: string;
  /** An explicit lockfile or SBOM; wins over `dir`. */
  lockfile?: string;
};

/** Reads the project's dependency inventory. Every problem with the input is an InputError. */
export const loadInventory = (options: InventoryOptions = {}): Inventory => {
  let file: string;
  const warnings: string[] = [];
  if (options.lockfile !== undefined) {
    file = resolve(options.lockfile);
    const kind = statKind(file);
    if (kind === 'missing') throw new InputError(file, 'does not exist');
    if (kind === 'dir') {
      throw new InputError(
        file,
        'is a directory; give --lockfile a file, or the directory as the scan argument',
      );
    }
  } else {
    const found = discoverInventory(options.dir ?? process.cwd());
    file = found.file;
    warnings.push(...found.warnings);
  }
  const directory = dirname(file);
  const content = readInventoryText(file);
  const choice = chooseParser(file, content);
  if (choice.warning) warnings.push(choice.warning);
  const files = siblingFiles(file, directory);
  const graph = runParser(choice.parser, {
    path: file,
    content,
    readSibling: files.readSibling,
    listDir: files.listDir,
  });
  graph.warnings.push(...warnings);
  return { graph, manager: managerOf(graph.format, content, file), file, directory };
};

/** The file's text. Bun's binary lockfile gets the bun parser's advice instead of a UTF-8 error. */
const readInventoryText = (file: string): string => {
  if (basename(file) === 'bun.lockb') throw bunLockbError(file);
  try {
    return readInputFile(file);
  } catch (error) {
    if (error instanceof InputError && /not valid UTF-8/.test(error.message) && isBunLockb(head(file, 64))) {
      throw bunLockbError(file);
    }
    throw error;
  }
};

const head = (file: string, length: number): Uint8Array => {
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, length, 0));
  } finally {
    closeSync(fd);
  }
};

const runParser = (
  parser: LockfileParser,
  input: Parameters<LockfileParser['parse']>[0],
): DependencyGraph => {
  try {
    return parser.parse(input);
  } catch (error) {
    // A parser's recursion limit reached by hostile nesting is an input problem, not a crash.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new InputError(input.path, 'is nested too deeply to read');
    }
    throw error;
  }
};

const managerOf = (format: LockfileFormat, content: string, file: string): InventoryManager => {
  switch (format) {
    case 'package-lock':
    case 'npm-shrinkwrap':
      return 'npm';
    case 'yarn-classic':
    case 'yarn-berry':
      return 'yarn';
    case 'pnpm-lock':
      return 'pnpm';
    case 'bun-lock':
      return 'bun';
    case 'cyclonedx':
      return 'unknown';
    case 'package-json': {
      const doc = parseJsonInput(content, file);
      const field = isRecord(doc)
        ? optionalString(doc.packageManager, { file }, 'packageManager')
        : undefined;
      return managerFromField(field) ?? 'npm';
    }
  }
};
