import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { FileFacts } from './facts/extract-file.js';
import type { ExportTaint, ModuleExports } from './facts/module-taint.js';
import type { CodeFact } from './types.js';

/**
 * Per-file facts (extractFileFacts' result) kept by content, so analysing a release whose files
 * mostly did not change parses only the ones that did (`bulwark diff` with the older version
 * analysed before). Keyed by the analyser version, the file's path (facts carry it) and the
 * sha256 of its bytes. Entries are held encoded: every `get` returns fresh objects, so two
 * analyses never share (or mutate) each other's facts.
 */
export type FileFactsCache = {
  /** The key of `file` with these bytes (hashes the bytes once per bytes object). */
  key: (file: string, bytes: Uint8Array) => string;
  get: (key: string) => FileFacts | undefined;
  /** Only complete facts belong here: never a file whose walk a time budget cut short. */
  put: (key: string, facts: FileFacts) => void;
  /** Other results kept with the same lifetime (a whole package's analysis), already encoded. */
  getRecord: (key: string) => Uint8Array | undefined;
  putRecord: (key: string, data: Uint8Array) => void;
  /** What this cache served and stored since it was made (file entries). */
  stats: { hits: number; misses: number; stored: number };
};

/** Where encoded entries persist between runs (SQLite: file-facts-store.ts). */
export type FileFactsBackend = {
  get: (key: string) => Uint8Array | undefined;
};

/** Bumped when the encoding below changes; part of every key. */
const FORMAT = 1;
/** Entries at least this long (JSON bytes) are deflated; smaller ones gain little. */
const DEFLATE_FROM = 2048;
const RAW = 0;
const DEFLATED = 1;

/**
 * A cache of encoded entries in memory, in front of `backend` when given. `drain` hands over the
 * entries made since the last call and `used` the keys read (for the persistent store to write
 * and mark in one transaction).
 */
export const createFileFactsCache = (
  analyzerVersion: string,
  backend?: FileFactsBackend,
): FileFactsCache & { drain: () => Map<string, Uint8Array>; used: () => string[] } => {
  const memory = new Map<string, Uint8Array>();
  let written = new Map<string, Uint8Array>();
  let usedKeys = new Set<string>();
  const stats = { hits: 0, misses: 0, stored: 0 };
  // A package analysis asks for a file's key more than once (its own entry, the package's key).
  const keys = new WeakMap<Uint8Array, { file: string; key: string }>();
  const read = (key: string): Uint8Array | undefined => {
    let entry = memory.get(key);
    if (entry === undefined) {
      entry = backend?.get(key);
      if (entry !== undefined) memory.set(key, entry);
    }
    if (entry !== undefined) usedKeys.add(key);
    return entry;
  };
  const write = (key: string, entry: Uint8Array) => {
    memory.set(key, entry);
    written.set(key, entry);
  };
  return {
    key: (file, bytes) => {
      const known = keys.get(bytes);
      if (known?.file === file) return known.key;
      // JSON has no raw NUL, so the path cannot run into the bytes.
      const key = createHash('sha256')
        .update(`${JSON.stringify([FORMAT, analyzerVersion, file])}\0`)
        .update(bytes)
        .digest('hex');
      keys.set(bytes, { file, key });
      return key;
    },
    get: (key) => {
      const entry = read(key);
      const facts = entry === undefined ? undefined : decodeFileFacts(entry);
      if (facts) stats.hits++;
      else stats.misses++;
      return facts;
    },
    put: (key, facts) => {
      write(key, encodeFileFacts(facts));
      stats.stored++;
    },
    getRecord: read,
    putRecord: write,
    stats,
    drain: () => {
      const out = written;
      written = new Map();
      return out;
    },
    used: () => {
      const out = [...usedKeys];
      usedKeys = new Set();
      return out;
    },
  };
};

/**
 * Facts as stored. A flow's `from`/`to` and an export's taint point at facts of the same file;
 * they are written as indexes into `facts` (or inline when the fact is not there, e.g. past the
 * fact cap), so decoding gives back one object per fact, as extraction made them.
 */
type Ref = number | { f: Encoded };
type Encoded = Record<string, unknown>;
type Stored = {
  v: number;
  stats: FileFacts['stats'];
  facts: Encoded[];
  exports?: { names: [string, { value: Ref[]; returns: Ref[] }][]; reexports: ModuleExports['reexports'] };
};

export const encodeFileFacts = (facts: FileFacts): Uint8Array => {
  const index = new Map<CodeFact, number>();
  facts.facts.forEach((fact, i) => {
    if (!index.has(fact)) index.set(fact, i);
  });
  const ref = (fact: CodeFact): Ref => index.get(fact) ?? { f: encodeFact(fact) };
  const encodeFact = (fact: CodeFact): Encoded =>
    fact.kind === 'flow' ? { ...fact, from: ref(fact.from), to: ref(fact.to) } : fact;
  const stored: Stored = { v: FORMAT, stats: facts.stats, facts: facts.facts.map(encodeFact) };
  if (facts.exports) {
    stored.exports = {
      names: [...facts.exports.names].map(([name, taint]) => [
        name,
        { value: taint.value.map(ref), returns: taint.returns.map(ref) },
      ]),
      reexports: facts.exports.reexports,
    };
  }
  return packJson(stored);
};

/** JSON, deflated when long, behind a one-byte tag. */
export const packJson = (value: unknown): Uint8Array => {
  const json = Buffer.from(JSON.stringify(value));
  if (json.byteLength < DEFLATE_FROM) return Buffer.concat([Buffer.of(RAW), json]);
  return Buffer.concat([Buffer.of(DEFLATED), deflateRawSync(json, { level: 1 })]);
};

/** What packJson packed; undefined for anything else. */
export const unpackJson = (entry: Uint8Array): unknown => {
  try {
    const body = entry.subarray(1);
    const json = entry[0] === RAW ? body : entry[0] === DEFLATED ? inflateRawSync(body) : undefined;
    if (json === undefined) return undefined;
    return JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
};

/** Undefined for anything that is not an entry this code wrote (old format, corrupt row). */
export const decodeFileFacts = (entry: Uint8Array): FileFacts | undefined => {
  try {
    const stored = unpackJson(entry) as Stored | undefined;
    if (
      stored?.v !== FORMAT ||
      typeof stored.stats?.file !== 'string' ||
      !Array.isArray(stored.facts) ||
      (stored.exports !== undefined && !Array.isArray(stored.exports.names))
    )
      return undefined;
    const facts = stored.facts as unknown as CodeFact[];
    const resolve = (ref: Ref): CodeFact => {
      if (typeof ref === 'number') {
        const fact = facts[ref];
        if (fact === undefined) throw new Error('dangling fact reference');
        return fact;
      }
      return link(ref.f);
    };
    const link = (fact: Encoded): CodeFact => {
      if (fact.kind === 'flow') {
        fact.from = resolve(fact.from as Ref);
        fact.to = resolve(fact.to as Ref);
      }
      return fact as unknown as CodeFact;
    };
    // Flows first take their ends' indexes; the referenced facts are the array's own objects.
    for (const fact of stored.facts) link(fact);
    const result: FileFacts = { stats: stored.stats, facts };
    if (stored.exports) {
      const names = new Map<string, ExportTaint>();
      for (const [name, taint] of stored.exports.names)
        names.set(name, { value: taint.value.map(resolve), returns: taint.returns.map(resolve) });
      result.exports = { names, reexports: stored.exports.reexports ?? [] };
    }
    return result;
  } catch {
    return undefined;
  }
};
