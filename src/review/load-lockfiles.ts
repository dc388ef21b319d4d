import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { InputError } from '../core/errors.js';
import type { DependencyGraph } from '../core/graph.js';
import { decodeUtf8, MAX_INPUT_BYTES } from '../core/input.js';
import { type Inventory, loadInventory } from '../inventory/load-inventory.js';
import { chooseParser } from '../lockfile/index.js';

/** A lockfile read for a review, and how to name it in a report. */
export type LoadedLockfile = { graph: DependencyGraph; label: string; file: string };

/**
 * A lockfile (any format `scan` reads) or, without a path, the project's lockfile in `dir` as
 * `scan` finds it. A bare package.json has declared ranges, not versions: nothing to compare.
 */
export const loadLockfile = (path: string | undefined, dir: string = process.cwd()): LoadedLockfile => {
  const inventory: Inventory =
    path === undefined ? loadInventory({ dir }) : loadInventory({ lockfile: path });
  if (inventory.graph.format === 'package-json')
    throw new InputError(
      inventory.file,
      'is a package.json without a lockfile: review compares installed versions',
    );
  return {
    graph: inventory.graph,
    label: path ?? relative(dir, inventory.file) ?? inventory.file,
    file: inventory.file,
  };
};

const GIT_MAX_BUFFER = MAX_INPUT_BYTES + 1024;

/**
 * The same lockfile as it is at a git revision (`git show <ref>:<path>`), parsed with the files
 * beside it (package.json, workspace manifests) read from that revision too.
 */
export const loadGitBase = (ref: string, headFile: string): LoadedLockfile => {
  if (ref === '' || ref.startsWith('-') || /[\0\n\r]/.test(ref))
    throw new InputError(`--base ${JSON.stringify(ref)}`, 'is not a git revision');
  const directory = dirname(headFile);
  let root: string;
  try {
    root = git(directory, ['rev-parse', '--show-toplevel']).toString('utf8').trim();
  } catch {
    throw new InputError(
      headFile,
      'is not inside a git repository (--base reads the base lockfile from git)',
    );
  }
  const rel = relative(realpathSync(root), realpathSync(headFile)).split(sep).join('/');
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])
      .toString('utf8')
      .trim();
  } catch {
    throw new InputError(`--base ${ref}`, `is not a commit in ${root}`);
  }
  const show = (path: string): Buffer | undefined => {
    try {
      return git(root, ['cat-file', 'blob', `${commit}:${path}`]);
    } catch {
      return undefined;
    }
  };
  const label = `${ref}:${rel}`;
  const bytes = show(rel);
  if (bytes === undefined) throw new InputError(label, 'does not exist at that revision');
  const content = decodeUtf8(bytes, label);
  const dirRel = posix.dirname(rel);
  const inside = (relativePath: string): string | undefined => {
    const joined = posix.normalize(posix.join(dirRel, relativePath));
    if (joined.startsWith('../') || joined === '..' || posix.isAbsolute(relativePath)) {
      throw new InputError(label, `refers to a path outside its directory: ${relativePath}`);
    }
    return joined === '.' ? '' : joined;
  };
  const path = join(root, rel);
  try {
    const choice = chooseParser(path, content);
    const graph = choice.parser.parse({
      path,
      content,
      readSibling: (relativePath) => {
        const target = show(inside(relativePath)!);
        return target === undefined ? undefined : decodeUtf8(target, `${ref}:${relativePath}`);
      },
      listDir: (relativePath) => {
        const target = inside(relativePath === '' ? '.' : relativePath)!;
        try {
          const listing = git(root, ['ls-tree', '-z', commit, '--', target === '' ? '.' : `${target}/`])
            .toString('utf8')
            .split('\0')
            .filter(Boolean);
          return listing
            .filter((line) => line.split(' ')[1] === 'tree')
            .map((line) => posix.basename(line.slice(line.indexOf('\t') + 1)))
            .sort();
        } catch {
          return undefined;
        }
      },
    });
    if (choice.warning) graph.warnings.push(choice.warning);
    if (graph.format === 'package-json')
      throw new InputError(label, 'is a package.json without a lockfile: review compares installed versions');
    return { graph, label, file: path };
  } catch (error) {
    if (error instanceof InputError) {
      // The parser names the working-tree path; the text it read is the revision's.
      throw new InputError(
        label,
        error.message.startsWith(`${path}`)
          ? error.message.slice(path.length).replace(/^:\s*/, '')
          : error.message,
      );
    }
    if (error instanceof RangeError && /call stack/i.test(error.message))
      throw new InputError(label, 'is nested too deeply to read');
    throw error;
  }
};

const git = (cwd: string, args: string[]): Buffer =>
  execFileSync('git', ['-C', cwd, ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: GIT_MAX_BUFFER,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
