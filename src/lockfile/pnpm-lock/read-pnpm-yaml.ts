import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import { InputError } from '../../core/errors.js';

export type PnpmYaml = {
  /** The main lockfile document as plain data. */
  data: unknown;
  /** `line:column` of each key of the top-level maps named in `keyedSections`. */
  keyPositions: Map<string, Map<string, string>>;
};

const keyedSections = new Set(['importers', 'packages', 'snapshots']);

/**
 * Parses pnpm-lock.yaml with js-yaml's core schema (no tags beyond the core ones; duplicate keys
 * are errors). js-yaml is used rather than `yaml` because it is about 14× faster on real
 * lockfiles (45 ms against 600 ms for an 850 KB file), which dominates a scan's time.
 * pnpm ≥ 11 may prefix the lockfile with an "env" document (`---` first line) holding the package
 * manager's own packages; the project is the last one. pnpm never writes anchors or aliases, so
 * any shared node is refused: a walk over an alias graph could otherwise expand exponentially.
 */
export const readPnpmYaml = (text: string, file: string): PnpmYaml => {
  if (text.trim() === '') throw new InputError(file, 'is empty');
  if (text.includes('\u0000')) throw new InputError(file, 'is a binary file, not a pnpm-lock.yaml');
  let docs: unknown[];
  try {
    docs = loadAll(text, undefined, { schema: CORE_SCHEMA, filename: file });
  } catch (error) {
    throw asInputError(error, file);
  }
  docs = docs.filter((doc) => doc !== null && doc !== undefined);
  if (docs.length === 0) throw new InputError(file, 'holds no YAML document');
  if (docs.length > 2 || (docs.length === 2 && !text.startsWith('---'))) {
    throw new InputError(
      file,
      `holds ${docs.length} YAML documents; a pnpm lockfile has one (after an optional env document)`,
      secondDocumentPosition(text),
    );
  }
  const data = docs[docs.length - 1];
  refuseSharedNodes(data, file);
  return { data, keyPositions: sectionKeyPositions(text, docs.length === 2) };
};

/** Throws when one object is reachable twice (a YAML alias); iterative, so depth cannot overflow. */
const refuseSharedNodes = (root: unknown, file: string): void => {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (seen.has(value)) throw new InputError(file, 'uses YAML anchors and aliases, which pnpm never writes');
    seen.add(value);
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
};

/**
 * Positions of the keys directly under `importers:`, `packages:` and `snapshots:`, from a line
 * scan (pnpm writes them at two spaces of indentation, plain or single-quoted).
 */
const sectionKeyPositions = (text: string, skipFirstDocument: boolean): Map<string, Map<string, string>> => {
  const out = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  let line = 0;
  let start = 0;
  let inMain = !skipFirstDocument;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    const first = text.charCodeAt(start);
    if (first === 45 /* - */ && text.startsWith('---', start) && line > 1) inMain = true;
    else if (inMain && first !== 32 && first !== 35 && end > start) {
      const colon = text.indexOf(':', start);
      const key = colon > start && colon < end ? text.slice(start, colon) : '';
      current = keyedSections.has(key) ? new Map() : undefined;
      if (current) out.set(key, current);
    } else if (
      current &&
      first === 32 &&
      text.charCodeAt(start + 1) === 32 &&
      text.charCodeAt(start + 2) !== 32
    ) {
      const key = readKey(text.slice(start + 2, end));
      if (key !== undefined) current.set(key, `${line}:3`);
    }
    start = end + 1;
  }
  return out;
};

const readKey = (rest: string): string | undefined => {
  if (rest.startsWith("'")) {
    const close = rest.indexOf("':");
    return close > 0 ? rest.slice(1, close).replaceAll("''", "'") : undefined;
  }
  if (rest.startsWith('"')) {
    const close = rest.indexOf('":');
    return close > 0 ? rest.slice(1, close) : undefined;
  }
  const colon = rest.lastIndexOf(':');
  return colon > 0 ? rest.slice(0, colon) : undefined;
};

const secondDocumentPosition = (text: string): string => {
  const lines = text.split('\n');
  const index = lines.findIndex((l, i) => i > 0 && l.startsWith('---'));
  return `${index + 1}:1`;
};

const asInputError = (error: unknown, file: string): InputError => {
  if (error instanceof InputError) return error;
  if (error instanceof RangeError) return new InputError(file, 'YAML nested too deeply to read');
  if (error instanceof YAMLException) {
    const mark = error.mark as { line: number; column: number } | undefined;
    const reason = error.reason || 'unreadable YAML';
    return new InputError(
      file,
      `invalid YAML: ${reason}`,
      mark ? `${mark.line + 1}:${mark.column + 1}` : undefined,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new InputError(file, `unreadable YAML: ${message.split('\n')[0]}`);
};
