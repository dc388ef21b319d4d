import { posix } from 'node:path';
import type { CodeFact } from '../types.js';
import { extractFileFacts, type FileFacts } from './extract-file.js';
import { type ExportTaint, isRelative, type ModuleExports } from './module-taint.js';

/**
 * Flows across a package's own modules: a source in one file (lib/collect.js returns the .npmrc)
 * reaching a sink in another (index.js posts what `require('./lib/collect')` gives). Each file is
 * first extracted alone, which records what its exports carry (module-taint.ts). Then every file
 * that imports, by a relative specifier, a module whose exports carry sources is walked again
 * with those imports as sources; the flows it finds start at the original source fact (file A) and
 * end at the sink (file B). A file that passes an import on through its own exports makes its
 * importers walk again, for a few rounds. Bounded: the package's own files, MAX_ROUNDS rounds,
 * MAX_WALKS re-walks of MAX_REWALK_CHARS in all, re-exports followed MAX_REEXPORT_DEPTH deep.
 */

const MAX_ROUNDS = 3;
const MAX_WALKS = 200;
const MAX_REEXPORT_DEPTH = 3;
const MAX_FLOWS = 100;
/** Characters walked again in all, so a package of many large importers costs at most this more. */
const MAX_REWALK_CHARS = 20 * 1024 * 1024;

const EXTENSIONS = ['', '.js', '.cjs', '.mjs', '.ts', '.tsx', '.mts', '.cts', '.jsx'];
const INDEX = [
  'index.js',
  'index.cjs',
  'index.mjs',
  'index.ts',
  'index.tsx',
  'index.mts',
  'index.cts',
  'index.jsx',
];
/** TypeScript sources import `./x.js` meaning `./x.ts`. */
const TS_FOR_JS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
  '.jsx': ['.tsx'],
};

/**
 * A relative specifier resolved like Node within the package: the file, the file plus an
 * extension, the folder's index, and for TypeScript `./x.js` → `./x.ts`. Undefined when it leaves
 * the package or names no file we have.
 */
export const resolveRelative = (
  from: string,
  specifier: string,
  has: (file: string) => boolean,
): string | undefined => {
  if (!isRelative(specifier)) return undefined;
  const joined = posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\/+$/, '');
  if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return undefined;
  const base = joined === '.' ? '' : joined;
  if (base !== '') {
    for (const ext of EXTENSIONS) if (has(base + ext)) return base + ext;
    const ext = posix.extname(base);
    for (const ts of TS_FOR_JS[ext] ?? []) {
      const candidate = base.slice(0, -ext.length) + ts;
      if (has(candidate)) return candidate;
    }
  }
  for (const index of INDEX) {
    const candidate = base === '' ? index : `${base}/${index}`;
    if (has(candidate)) return candidate;
  }
  return undefined;
};

type ModuleInfo = { exports: ModuleExports | undefined; imports: string[]; sinks: boolean };

/** Calls a flow can end at (ast-facts.ts SINKS). */
const SINK_CATEGORIES = new Set(['network', 'process', 'filesystem-write', 'dns', 'eval']);

/** Collects each extracted file, then finds the flows between them. */
export const createCrossFilePass = () => {
  const modules = new Map<string, ModuleInfo>();
  /** What the last `flows` call cost: files walked again and their characters. */
  const stats = { walks: 0, chars: 0 };

  const add = (file: string, extracted: FileFacts) => {
    const imports = new Set<string>();
    let sinks = false;
    for (const fact of extracted.facts) {
      if (fact.kind === 'import' && !fact.computed && isRelative(fact.module)) imports.add(fact.module);
      else if (fact.kind === 'call' && SINK_CATEGORIES.has(fact.category)) sinks = true;
    }
    modules.set(file, { exports: extracted.exports, imports: [...imports], sinks });
  };

  /** `deadline`: a `performance.now()` time after which no file is walked again. */
  const flows = (text: (file: string) => string, deadline = Number.POSITIVE_INFINITY): CodeFact[] => {
    const has = (file: string) => modules.has(file);
    const found: CodeFact[] = [];
    const seen = new Set<string>();
    const walkedWith = new Map<string, string>();
    let walks = 0;
    let budget = MAX_REWALK_CHARS;
    const relevant = filesLeadingToSinks(modules, has);
    for (let round = 0, changed = true; changed && round < MAX_ROUNDS; round++) {
      changed = false;
      const effective = effectiveExports(modules, has);
      for (const [file, info] of modules) {
        if (walks >= MAX_WALKS || found.length >= MAX_FLOWS || performance.now() >= deadline) break;
        if (!relevant.has(file)) continue;
        const table = new Map<string, ModuleExports>();
        for (const specifier of info.imports) {
          const target = resolveRelative(file, specifier, has);
          const exports = target === undefined || target === file ? undefined : effective(target);
          if (exports && carriesSources(exports)) table.set(specifier, exports);
        }
        if (table.size === 0) continue;
        // Walk again only when what the file imports changed since its last walk.
        const signature = [...table].map(([s, e]) => `${s}=${exportsSignature(e)}`).join('|');
        if (walkedWith.get(file) === signature) continue;
        walkedWith.set(file, signature);
        const source = text(file);
        if (source.length > budget) continue;
        budget -= source.length;
        walks++;
        stats.walks++;
        stats.chars += source.length;
        const result = extractFileFacts(file, source, {
          imports: (specifier) => table.get(specifier),
          timeBudgetMs: Math.max(1, Math.min(5000, deadline - performance.now())),
        });
        // A flow whose source this walk did not create started in another file (or came back
        // to this one through another); the rest was found when the file was extracted alone.
        const own = new Set(result.facts);
        for (const fact of result.facts) {
          if (fact.kind !== 'flow' || own.has(fact.from)) continue;
          const key = `${locationKey(fact.from)}>${locationKey(fact.to)}`;
          if (seen.has(key) || found.length >= MAX_FLOWS) continue;
          seen.add(key);
          found.push(fact);
        }
        if (exportsSignature(result.exports) !== exportsSignature(info.exports)) {
          info.exports = result.exports;
          changed = true;
        }
      }
    }
    return found;
  };

  return { add, flows, stats };
};

/**
 * Files worth walking again: those with a sink call, and the modules they import, directly or
 * through others (a module that only passes a source on matters when its importer sends it).
 */
const filesLeadingToSinks = (
  modules: Map<string, ModuleInfo>,
  has: (file: string) => boolean,
): Set<string> => {
  const relevant = new Set<string>();
  const queue: string[] = [];
  for (const [file, info] of modules) {
    if (info.sinks) {
      relevant.add(file);
      queue.push(file);
    }
  }
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const specifier of modules.get(file)?.imports ?? []) {
      const target = resolveRelative(file, specifier, has);
      if (target !== undefined && !relevant.has(target)) {
        relevant.add(target);
        queue.push(target);
      }
    }
  }
  return relevant;
};

const locationKey = (fact: CodeFact): string =>
  `${fact.kind}@${fact.at.file}:${fact.at.line}:${fact.at.column}`;

const carriesSources = (exports: ModuleExports): boolean => {
  for (const taint of exports.names.values())
    if (taint.value.length > 0 || taint.returns.length > 0) return true;
  return false;
};

const exportsSignature = (exports: ModuleExports | undefined): string => {
  if (!exports) return '';
  const parts: string[] = [];
  for (const [name, taint] of exports.names) {
    parts.push(
      `${name}:${taint.value.map(locationKey).join(',')}/${taint.returns.map(locationKey).join(',')}`,
    );
  }
  for (const r of exports.reexports) parts.push(`${r.name}<${r.from}#${r.imported}`);
  return parts.join(';');
};

/** Each module's names with its re-exports followed (memoised for one round). */
const effectiveExports = (modules: Map<string, ModuleInfo>, has: (file: string) => boolean) => {
  const memo = new Map<string, ModuleExports | undefined>();
  const effective = (file: string, depth = 0, path: string[] = []): ModuleExports | undefined => {
    if (memo.has(file)) return memo.get(file);
    const own = modules.get(file)?.exports;
    if (!own || own.reexports.length === 0 || depth >= MAX_REEXPORT_DEPTH) return own;
    const names = new Map<string, ExportTaint>(own.names);
    for (const r of own.reexports) {
      const target = resolveRelative(file, r.from, has);
      if (target === undefined || target === file || path.includes(target)) continue;
      const theirs = effective(target, depth + 1, [...path, file]);
      if (!theirs) continue;
      if (r.name === '*') {
        for (const [name, taint] of theirs.names) if (!names.has(name)) names.set(name, taint);
      } else {
        const taint = theirs.names.get(r.imported === '*' ? 'default' : r.imported);
        if (taint && !names.has(r.name)) names.set(r.name, taint);
      }
    }
    const result = { names, reexports: [] };
    if (depth === 0) memo.set(file, result);
    return result;
  };
  return (file: string) => effective(file);
};
