import { readFileSync, statSync } from 'node:fs';
import { InputError } from './errors.js';

/** Largest input file we read (lockfiles, SBOMs, single OSV files). Real lockfiles stay far below. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/** Deepest JSON nesting accepted. package-lock v1 trees nest two levels per node_modules level. */
export const MAX_JSON_DEPTH = 1000;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a user-supplied text file with a size limit and strict UTF-8 decoding. */
export const readInputFile = (path: string, maxBytes = MAX_INPUT_BYTES): string => {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new InputError(path, 'is not a regular file');
    size = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(path, describeFsError(error));
  }
  if (size > maxBytes) {
    throw new InputError(
      path,
      `is ${formatMiB(size)}, over the ${formatMiB(maxBytes)} limit for one input file`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(path, describeFsError(error));
  }
  return decodeUtf8(bytes, path);
};

export const decodeUtf8 = (bytes: Uint8Array, name: string): string => {
  try {
    const text = utf8.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw new InputError(
      name,
      `is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8Offset(bytes)})`,
    );
  }
};

/**
 * JSON.parse with the checks untrusted lockfiles and advisories need:
 * nesting depth, `__proto__` keys, and syntax errors reported as line:column.
 */
export const parseJsonInput = (text: string, name: string): unknown => {
  checkJsonDepth(text, name);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const match = /position (\d+)/.exec(message);
    if (match) {
      const { line, column } = lineColumnAt(text, Number(match[1]));
      throw new InputError(name, `invalid JSON: ${stripPosition(message)}`, `${line}:${column}`);
    }
    if (text.trim() === '') throw new InputError(name, 'is empty');
    // Node 20 gives no position for a truncated document; the end of the text is where it broke.
    if (/end of JSON input/.test(message)) {
      const { line, column } = lineColumnAt(text, text.length);
      throw new InputError(name, `invalid JSON: ${message}`, `${line}:${column}`);
    }
    throw new InputError(name, `invalid JSON: ${message}`);
  }
  // JSON.parse makes `__proto__` an own key (harmless in itself), but no lockfile, advisory or
  // packument has one, and code that copies keys onto plain objects would be polluted by it.
  // Only keys count: READMEs inside packuments quote "__proto__" in their text.
  if (text.includes('"__proto__"')) {
    const path = protoKeyPath(value);
    if (path !== undefined) {
      const key = /"__proto__"\s*:/.exec(text);
      const at = key ? lineColumnAt(text, key.index) : undefined;
      throw new InputError(
        name,
        `contains a "__proto__" key (at ${path}), which no valid input has`,
        at ? `${at.line}:${at.column}` : undefined,
      );
    }
  }
  return value;
};

/** JSON path of the first own `__proto__` key, walking iteratively. */
const protoKeyPath = (root: unknown): string | undefined => {
  const stack: [unknown, string][] = [[root, '$']];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        stack.push([item, `${path}[${i}]`]);
      });
      continue;
    }
    if (Object.hasOwn(value, '__proto__')) return `${path}.__proto__`;
    for (const [key, child] of Object.entries(value)) stack.push([child, `${path}.${key}`]);
  }
  return undefined;
};

const stripPosition = (message: string): string =>
  message
    .replace(/\s*in JSON at position \d+.*$/, '')
    .replace(/\s*at position \d+.*$/, '')
    .replace(/\s*\(line \d+ column \d+\)$/, '');

/** Linear scan for bracket depth outside strings, so hostile nesting fails fast and clearly. */
export const checkJsonDepth = (text: string, name: string, maxDepth = MAX_JSON_DEPTH): void => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > maxDepth) {
        const { line, column } = lineColumnAt(text, i);
        throw new InputError(name, `nesting deeper than ${maxDepth} levels`, `${line}:${column}`);
      }
    } else if (c === 125 || c === 93) depth--;
  }
};

export const lineColumnAt = (text: string, offset: number): { line: number; column: number } => {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
};

const firstInvalidUtf8Offset = (bytes: Uint8Array): number => {
  let lo = 0;
  let hi = bytes.length;
  // Binary search for the shortest invalid prefix; a cut inside a valid multi-byte char also fails,
  // so widen by 3 bytes when testing.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isValidUtf8Prefix(bytes, mid + 1)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

const isValidUtf8Prefix = (bytes: Uint8Array, end: number): boolean => {
  for (let extra = 0; extra <= 3; extra++) {
    try {
      utf8.decode(bytes.subarray(0, Math.min(bytes.length, end + extra)));
      return true;
    } catch {
      // try a slightly longer prefix
    }
  }
  return false;
};

const describeFsError = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return `cannot be read (${code ?? String(error)})`;
};

const formatMiB = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
