import { type Document, isMap, isScalar, LineCounter, parseAllDocuments } from 'yaml';
import { InputError } from '../../core/errors.js';

/** Aliases are never written by pnpm; a few are tolerated, more is an expansion attack. */
const MAX_ALIAS_COUNT = 10;

export type PnpmYaml = {
  /** The main lockfile document as plain data. */
  data: unknown;
  /** `line:column` of each key of the top-level maps named in `keyedSections`. */
  keyPositions: Map<string, Map<string, string>>;
};

const keyedSections = ['importers', 'packages', 'snapshots'];

/**
 * Parses pnpm-lock.yaml with YAML 1.2 core schema, unique keys, no tags beyond the core ones
 * and an alias budget. pnpm ≥ 11 may prefix the lockfile with an "env" document
 * (`---` first line) holding the package manager's own packages; the project is the last one.
 */
export const readPnpmYaml = (text: string, file: string): PnpmYaml => {
  if (text.trim() === '') throw new InputError(file, 'is empty');
  if (text.includes('\u0000')) throw new InputError(file, 'is a binary file, not a pnpm-lock.yaml');
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      lineCounter,
      uniqueKeys: true,
      strict: true,
      schema: 'core',
      merge: false,
      resolveKnownTags: false,
      customTags: [],
      prettyErrors: false,
    }) as Document.Parsed[];
  } catch (error) {
    throw asInputError(error, file);
  }
  if (!Array.isArray(docs) || docs.length === 0) throw new InputError(file, 'holds no YAML document');
  const position = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${line}:${col}`;
  };
  for (const doc of docs) {
    const problem = doc.errors[0] ?? doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
    if (problem) {
      const message = problem.message.split('\n')[0]?.replace(/ at line \d+, column \d+.*$/, '') ?? '';
      throw new InputError(file, `invalid YAML: ${message}`, position(problem.pos[0]));
    }
  }
  if (docs.length > 2 || (docs.length === 2 && !text.startsWith('---'))) {
    const second = docs[1]!;
    throw new InputError(
      file,
      `holds ${docs.length} YAML documents; a pnpm lockfile has one (after an optional env document)`,
      position(second.range[0]),
    );
  }
  const doc = docs[docs.length - 1]!;
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw asInputError(error, file);
  }
  return { data, keyPositions: sectionKeyPositions(doc, position) };
};

const sectionKeyPositions = (
  doc: Document.Parsed,
  position: (offset: number) => string,
): Map<string, Map<string, string>> => {
  const out = new Map<string, Map<string, string>>();
  if (!isMap(doc.contents)) return out;
  for (const section of keyedSections) {
    const map = doc.contents.get(section, true);
    if (!isMap(map)) continue;
    const keys = new Map<string, string>();
    for (const item of map.items) {
      if (isScalar(item.key) && item.key.range) keys.set(String(item.key.value), position(item.key.range[0]));
    }
    out.set(section, keys);
  }
  return out;
};

const asInputError = (error: unknown, file: string): InputError => {
  if (error instanceof InputError) return error;
  if (error instanceof RangeError) return new InputError(file, 'YAML nested too deeply to read');
  const message = error instanceof Error ? error.message : String(error);
  if (/alias/i.test(message)) return new InputError(file, `too many YAML aliases (over ${MAX_ALIAS_COUNT})`);
  return new InputError(file, `unreadable YAML: ${message.split('\n')[0]}`);
};
