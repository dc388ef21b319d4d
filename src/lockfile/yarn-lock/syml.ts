import { parseSyml } from '@yarnpkg/parsers';
import { InputError } from '../../core/errors.js';
import { lineColumnAt } from '../../core/input.js';

export type YarnLockText = {
  berry: boolean;
  /** Top-level keys as written (Berry: comma-joined descriptors; classic: one descriptor each). */
  entries: Map<string, unknown>;
  metadata?: unknown;
  /** 1-based line of each descriptor's key line, for positions in messages and nodes. */
  lines: Map<string, number>;
};

const CLASSIC_HEADER = '# yarn lockfile v1\n';
/** Yarn classic writes at most two indentation levels (4 spaces); deeper input is hostile. */
const MAX_CLASSIC_INDENT = 16;
/**
 * The classic grammar builds each document with one spread call over all its entries, which
 * overflows the stack somewhere above 120,000 entries; parse in chunks far below that.
 */
const CLASSIC_CHUNK_ENTRIES = 20_000;

const BERRY_METADATA = /^(?:__metadata|"__metadata"):/m;

export const parseYarnLockText = (text: string, file: string): YarnLockText => {
  rejectProtoKeys(text, file);
  const lines = keyLines(text);
  if (BERRY_METADATA.test(text)) {
    const data = runParser(text, file, 0);
    const entries = new Map<string, unknown>();
    let metadata: unknown;
    for (const [key, value] of Object.entries(data)) {
      if (key === '__metadata') metadata = value;
      else entries.set(key, value);
    }
    return { berry: true, entries, metadata, lines };
  }
  checkClassicIndent(text, file);
  const entries = new Map<string, unknown>();
  for (const chunk of classicChunks(text)) {
    const data = runParser(CLASSIC_HEADER + chunk.text, file, chunk.firstLine - 2);
    for (const [key, value] of Object.entries(data)) entries.set(key, value);
  }
  return { berry: false, entries, lines };
};

/**
 * The classic grammar merges entries with Object.assign, so a `__proto__` key would replace the
 * prototype of the parsed document. No valid lockfile contains the word; reject it up front.
 */
const rejectProtoKeys = (text: string, file: string): void => {
  const at = text.indexOf('__proto__');
  if (at === -1) return;
  const { line, column } = lineColumnAt(text, at);
  throw new InputError(file, 'contains "__proto__", which no valid yarn.lock has', `${line}:${column}`);
};

const runParser = (text: string, file: string, lineOffset: number): Record<string, unknown> => {
  let data: unknown;
  try {
    data = parseSyml(text);
  } catch (error) {
    throw toInputError(error, file, lineOffset);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new InputError(file, 'is not a yarn.lock: the top level must be a mapping of entries');
  return data as Record<string, unknown>;
};

type PegError = { location?: { start?: { line?: number; column?: number } } };
type YamlError = { mark?: { line?: number; column?: number }; reason?: string };

const toInputError = (error: unknown, file: string, lineOffset: number): InputError => {
  if (error instanceof RangeError)
    return new InputError(file, 'is nested too deeply or too large for the yarn.lock parser');
  const message = error instanceof Error ? error.message : String(error);
  const peg = (error as PegError).location?.start;
  if (peg?.line !== undefined) {
    const line = Math.max(1, peg.line + lineOffset);
    return new InputError(file, `invalid yarn.lock: ${message}`, `${line}:${peg.column ?? 1}`);
  }
  const mark = (error as YamlError).mark;
  if (mark?.line !== undefined) {
    const reason = (error as YamlError).reason ?? message.split('\n')[0];
    return new InputError(file, `invalid yarn.lock: ${reason}`, `${mark.line + 1}:${(mark.column ?? 0) + 1}`);
  }
  return new InputError(file, `invalid yarn.lock: ${message.split('\n')[0]}`);
};

const checkClassicIndent = (text: string, file: string): void => {
  const deep = new RegExp(`^ {${MAX_CLASSIC_INDENT + 1},}\\S`, 'm').exec(text);
  if (!deep) return;
  const { line } = lineColumnAt(text, deep.index);
  throw new InputError(file, 'indented deeper than any yarn.lock entry', `${line}:1`);
};

/** Splits a classic lockfile at top-level entry lines, keeping each chunk's first line number. */
const classicChunks = (text: string): { text: string; firstLine: number }[] => {
  const lines = text.split('\n');
  const chunks: { text: string; firstLine: number }[] = [];
  let start = 0;
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!isTopLevelKeyLine(lines[i]!)) continue;
    if (count === CLASSIC_CHUNK_ENTRIES) {
      chunks.push({ text: lines.slice(start, i).join('\n'), firstLine: start + 1 });
      start = i;
      count = 0;
    }
    count++;
  }
  chunks.push({ text: lines.slice(start).join('\n'), firstLine: start + 1 });
  return chunks;
};

const isTopLevelKeyLine = (line: string): boolean => {
  const c = line.charCodeAt(0);
  return line.length > 0 && c !== 32 && c !== 9 && c !== 35 /* # */ && c !== 13;
};

/** Maps every descriptor written on a top-level key line to that line. */
const keyLines = (text: string): Map<string, number> => {
  const out = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!isTopLevelKeyLine(line)) continue;
    const key = keyOf(line.replace(/\r$/, ''));
    for (const part of key.split(',')) {
      const descriptor = part.trim().replace(/^"/, '').replace(/"$/, '');
      if (descriptor !== '' && !out.has(descriptor)) out.set(descriptor, i + 1);
    }
  }
  return out;
};

/** The key part of `key:` / `"key": value` / `"a@1", "a@2":` (quoted keys end at the last `":`). */
const keyOf = (line: string): string => {
  if (line.startsWith('"')) {
    const end = line.lastIndexOf('":');
    return end === -1 ? line : line.slice(0, end + 1);
  }
  const end = line.search(/:(?:\s|$)/);
  return end === -1 ? line : line.slice(0, end);
};
