import type { ESTree } from 'meriyah';
import semver from 'semver';
import { parseSource } from '../analysis/parse/index.js';

type Files = ReadonlyMap<string, { bytes: Uint8Array }>;

/** What a package offers its users: `exports` subpaths, bins, and its main entry's named exports. */
export type EntrySurface = {
  /** `exports` subpaths (`.`, `./feature`); absent without an `exports` field (every file is reachable). */
  subpaths?: string[];
  bins: string[];
  /** The main entry as the manifest names it (`exports["."]`, else `main`, else `index.js`). */
  mainSpec: string;
  /** The file it resolves to; absent when it resolves to no file of the package. */
  mainFile?: string;
  /** The main entry's exported names (`default` is the module's whole value); absent when unreadable. */
  names?: string[];
  /** The main entry parsed and holds no statement: no code at all. */
  emptyEntry: boolean;
};

/** What `to` no longer offers that `from` did. */
export type ExportsRemoved = {
  subpaths: string[];
  bins: string[];
  /** Named exports of the main entry gone in `to`. */
  names: string[];
  /** `from`'s main entry resolved to a file and `to`'s does not (or its `.` export is gone). */
  mainRemoved: boolean;
  /** `to`'s main entry exists but exports nothing or holds no code, where `from`'s exported something. */
  mainEmptied: boolean;
  /**
   * The version change allows breaking changes (`to` outside `^from`: a major bump, or a minor one
   * in 0.x), which explains removals; `unknown` when either version is not semver.
   */
  breaking: boolean | 'unknown';
};

const MAX_FOLLOW_DEPTH = 3;
const MAX_NAMES = 500;

/** The surface of one side. */
export const entrySurface = (manifest: Record<string, unknown>, files: Files): EntrySurface => {
  const exportsField = manifest.exports;
  const subpaths = exportSubpaths(exportsField);
  const dot = subpaths === undefined ? undefined : dotTarget(exportsField);
  const main = typeof manifest.main === 'string' && manifest.main.trim() !== '' ? manifest.main : 'index.js';
  // Node reads `exports` first when there is one: with no `.` there, the package has no main entry.
  const mainSpec = subpaths === undefined ? main : (dot ?? '');
  const mainFile = mainSpec === '' ? undefined : resolveFile(files, normalize(mainSpec));
  const surface: EntrySurface = { bins: binNames(manifest), mainSpec, emptyEntry: false };
  if (subpaths !== undefined) surface.subpaths = subpaths;
  if (mainFile === undefined) return surface;
  surface.mainFile = mainFile;
  const read = moduleNames(files, mainFile, 0);
  if (read.names !== undefined) surface.names = [...read.names].sort();
  surface.emptyEntry = read.empty;
  return surface;
};

/** The removals between two sides' surfaces. */
export const exportsRemoved = (
  from: EntrySurface,
  to: EntrySurface,
  fromVersion: string,
  toVersion: string,
): ExportsRemoved => {
  const gone = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
    a === undefined || b === undefined ? [] : a.filter((x) => !b.includes(x));
  const subpaths = to.subpaths === undefined ? [] : gone(from.subpaths, to.subpaths);
  const mainRemoved = from.mainFile !== undefined && (to.mainFile === undefined || subpaths.includes('.'));
  // An unreadable `from` entry (a UMD bundle) still counts as having exported something unless empty.
  const fromExported =
    (from.names?.length ?? 0) > 0 ||
    (from.names === undefined && from.mainFile !== undefined && !from.emptyEntry);
  const mainEmptied =
    !mainRemoved && to.mainFile !== undefined && fromExported && (to.emptyEntry || to.names?.length === 0);
  return {
    subpaths,
    bins: gone(from.bins, to.bins),
    names: mainRemoved ? [] : gone(from.names, to.names),
    mainRemoved,
    mainEmptied,
    breaking: breakingBump(fromVersion, toVersion),
  };
};

/** True when nothing was removed. */
export const nothingRemoved = (r: ExportsRemoved): boolean =>
  r.subpaths.length === 0 && r.bins.length === 0 && r.names.length === 0 && !r.mainRemoved && !r.mainEmptied;

/** `to` outside `^from` (npm's own notion of a compatible release). */
export const breakingBump = (from: string, to: string): boolean | 'unknown' => {
  if (semver.valid(from) === null || semver.valid(to) === null) return 'unknown';
  return !semver.satisfies(to, `^${from}`, { includePrerelease: true });
};

const exportSubpaths = (field: unknown): string[] | undefined => {
  if (field === undefined || field === null) return undefined;
  if (typeof field === 'string' || Array.isArray(field)) return ['.'];
  if (typeof field !== 'object') return undefined;
  const keys = Object.keys(field);
  // `{ "import": …, "require": … }` is sugar for `{ ".": { … } }`.
  return keys.some((k) => k.startsWith('.')) ? keys.filter((k) => k.startsWith('.')).sort() : ['.'];
};

const dotTarget = (field: unknown): string | undefined => {
  if (typeof field === 'string' || Array.isArray(field)) return conditionTarget(field, 0);
  if (typeof field !== 'object' || field === null) return undefined;
  const record = field as Record<string, unknown>;
  return Object.keys(record).some((k) => k.startsWith('.'))
    ? conditionTarget(record['.'], 0)
    : conditionTarget(record, 0);
};

const CONDITION_ORDER = ['require', 'node', 'import', 'default'];

/** The first file a conditions object or fallback array points to, preferring CommonJS then Node. */
const conditionTarget = (value: unknown, depth: number): string | undefined => {
  if (depth > 8) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const target = conditionTarget(item, depth + 1);
      if (target !== undefined) return target;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const keys = [
    ...CONDITION_ORDER.filter((k) => k in record),
    ...Object.keys(record).filter((k) => !CONDITION_ORDER.includes(k) && k !== 'types'),
  ];
  for (const key of keys) {
    const target = conditionTarget(record[key], depth + 1);
    if (target !== undefined) return target;
  }
  return undefined;
};

const binNames = (manifest: Record<string, unknown>): string[] => {
  const bin = manifest.bin;
  if (typeof bin === 'string' && typeof manifest.name === 'string')
    return [manifest.name.replace(/^@[^/]+\//, '')];
  if (typeof bin !== 'object' || bin === null || Array.isArray(bin)) return [];
  return Object.keys(bin).sort();
};

/** `./lib/../index.js` → `index.js`; `null` when it leaves the package. */
const normalize = (path: string): string => {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
};

const EXTENSIONS = ['', '.js', '.cjs', '.mjs', '.json', '.node', '.ts'];

/** Node's file resolution for a path inside the package: exact, with an extension, or a directory index. */
const resolveFile = (files: Files, path: string): string | undefined => {
  for (const ext of EXTENSIONS) if (path !== '' && files.has(path + ext)) return path + ext;
  const dir = path === '' ? '' : `${path}/`;
  for (const ext of EXTENSIONS.slice(1)) if (files.has(`${dir}index${ext}`)) return `${dir}index${ext}`;
  return undefined;
};

const MAX_ENTRY_CHARS = 1024 * 1024;
const UMD = /typeof\s+(?:exports|module|define)\b|__webpack_require__|\bdefine\.amd\b/;
const DYNAMIC_EXPORTS =
  /\bexports\s*\[\s*(?![\s'"`\d])|defineProperty\(\s*(?:module\.)?exports\s*,\s*(?![\s'"`])|\b(?:assign|extend|_export|__exportStar|__export)\s*\(\s*(?:module\.)?exports\b/;

type ModuleNames = { names?: Set<string>; empty: boolean };

/**
 * A module's exported names from its top-level statements: ESM `export`, CommonJS `module.exports`
 * / `exports.x` assignments, `Object.defineProperty(exports, …)`, and re-exports of relative
 * modules followed a few levels. UMD wrappers and bundles hide their exports: `names` is then
 * absent, so nothing is claimed removed from a file this cannot read.
 */
const moduleNames = (files: Files, file: string, depth: number): ModuleNames => {
  const bytes = files.get(file)?.bytes;
  if (bytes === undefined) return { empty: false };
  const text = new TextDecoder().decode(bytes);
  if (file.endsWith('.json')) return { names: new Set(['default']), empty: false };
  if (file.endsWith('.node')) return { empty: false };
  // A bundle's exports are not readable from its top level; parsing a large one costs time for nothing.
  if (text.length > MAX_ENTRY_CHARS) return { empty: false };
  const parsed = parseSource(text, file, { comments: false });
  if (!parsed.ok) return { empty: false };
  const body = parsed.program.body.filter(
    (s) => !(s.type === 'ExpressionStatement' && 'directive' in s && typeof s.directive === 'string'),
  );
  if (body.length === 0) return { names: new Set(), empty: true };
  // UMD wrappers, and exports named at run time (Babel's `export *` loop, Object.assign(exports, …)).
  if (UMD.test(parsed.code) || DYNAMIC_EXPORTS.test(parsed.code)) return { empty: false };
  const names = new Set<string>();
  let opaque = false;
  /** `export *` forwards all but `default`; `module.exports = require(…)` forwards the whole module. */
  const follow = (specifier: string, withDefault = false) => {
    if (!specifier.startsWith('.') || depth >= MAX_FOLLOW_DEPTH) {
      opaque = true;
      return;
    }
    const base = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    const target = resolveFile(files, normalize(base + specifier));
    const inner = target === undefined ? undefined : moduleNames(files, target, depth + 1).names;
    if (inner === undefined) opaque = true;
    else for (const name of inner) if (withDefault || name !== 'default') names.add(name);
  };
  const objectLiterals = new Map<string, ESTree.ObjectExpression>();
  for (const statement of body)
    if (statement.type === 'VariableDeclaration')
      for (const d of statement.declarations)
        if (d.id.type === 'Identifier' && d.init?.type === 'ObjectExpression')
          objectLiterals.set(d.id.name, d.init);

  const assignment = (node: ESTree.Expression): void => {
    if (node.type === 'SequenceExpression') {
      for (const e of node.expressions) assignment(e);
      return;
    }
    if (node.type === 'CallExpression') {
      reexportCall(node);
      return;
    }
    if (node.type !== 'AssignmentExpression' || node.operator !== '=') return;
    const target = exportTarget(node.left);
    if (target === 'module') {
      const right = node.right;
      const object = right.type === 'Identifier' ? objectLiterals.get(right.name) : right;
      const required = requiredSpecifier(right);
      if (object?.type === 'ObjectExpression') {
        names.add('default');
        for (const property of object.properties) {
          const key =
            property.type === 'Property' ? propertyName(property.key, property.computed) : undefined;
          if (key === undefined) opaque = true;
          else names.add(key);
        }
      } else if (required !== undefined) follow(required, true);
      else names.add('default');
    } else if (target !== undefined && target !== '__esModule') names.add(target);
    if (node.right.type === 'AssignmentExpression') assignment(node.right);
  };

  /** `Object.defineProperty(exports, 'x', …)`, `__exportStar(require('./x'), exports)`. */
  const reexportCall = (node: ESTree.CallExpression): void => {
    const callee = node.callee;
    const calleeName =
      callee.type === 'Identifier'
        ? callee.name
        : callee.type === 'MemberExpression' && callee.property.type === 'Identifier'
          ? callee.property.name
          : undefined;
    const [first, second] = node.arguments;
    if (calleeName === 'defineProperty' && first && exportTarget(first as ESTree.Expression) === 'module') {
      const key = second?.type === 'Literal' && typeof second.value === 'string' ? second.value : undefined;
      if (key !== undefined && key !== '__esModule') names.add(key);
    } else if (calleeName !== undefined && /^(?:__exportStar|__export)$/.test(calleeName) && first) {
      const specifier = requiredSpecifier(first as ESTree.Expression);
      if (specifier !== undefined) follow(specifier);
    }
  };

  for (const statement of body) {
    if (names.size > MAX_NAMES) break;
    switch (statement.type) {
      case 'ExportNamedDeclaration': {
        const declaration = statement.declaration;
        if (declaration?.type === 'VariableDeclaration') {
          for (const d of declaration.declarations) for (const id of patternNames(d.id)) names.add(id);
        } else if (declaration && 'id' in declaration && declaration.id?.type === 'Identifier')
          names.add(declaration.id.name);
        for (const specifier of statement.specifiers) {
          const exported = specifier.exported;
          names.add(exported.type === 'Identifier' ? exported.name : String(exported.value));
        }
        break;
      }
      case 'ExportDefaultDeclaration':
        names.add('default');
        break;
      case 'ExportAllDeclaration':
        if (statement.exported)
          names.add(
            statement.exported.type === 'Identifier'
              ? statement.exported.name
              : String(statement.exported.value),
          );
        else if (typeof statement.source.value === 'string') follow(statement.source.value);
        break;
      case 'ExpressionStatement':
        assignment(statement.expression);
        break;
      default:
        break;
    }
  }
  // Exports assigned inside a branch or a try (`inherits`, `safe-buffer`, `signal-exit`) are not
  // top-level statements: having read none where the code assigns some says nothing was understood.
  if (names.size === 0 && /\b(?:module\.)?exports\b|\bexport\b/.test(parsed.code)) opaque = true;
  return opaque ? { empty: false } : { names, empty: false };
};

/** `module.exports` → `module`; `exports.x` / `module.exports.x` / `exports['x']` → `x`. */
const exportTarget = (node: ESTree.Expression | ESTree.Pattern | ESTree.Super | ESTree.PrivateIdentifier) => {
  if (node.type === 'Identifier' && node.name === 'exports') return 'module';
  if (node.type !== 'MemberExpression') return undefined;
  const object = node.object;
  const key = propertyName(node.property, node.computed);
  if (object.type === 'Identifier' && object.name === 'module' && key === 'exports') return 'module';
  if (object.type === 'Identifier' && object.name === 'exports') return key;
  if (exportTarget(object) === 'module' && object.type === 'MemberExpression') return key;
  return undefined;
};

const propertyName = (key: ESTree.Node, computed: boolean): string | undefined => {
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number'))
    return String(key.value);
  return undefined;
};

const requiredSpecifier = (node: ESTree.Expression): string | undefined =>
  node.type === 'CallExpression' &&
  node.callee.type === 'Identifier' &&
  node.callee.name === 'require' &&
  node.arguments[0]?.type === 'Literal' &&
  typeof node.arguments[0].value === 'string'
    ? node.arguments[0].value
    : undefined;

const patternNames = (pattern: ESTree.Node): string[] => {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'ObjectPattern':
      return pattern.properties.flatMap((p) => patternNames(p.type === 'RestElement' ? p.argument : p.value));
    case 'ArrayPattern':
      return pattern.elements.flatMap((e) => (e ? patternNames(e) : []));
    case 'AssignmentPattern':
      return patternNames(pattern.left);
    case 'RestElement':
      return patternNames(pattern.argument);
    default:
      return [];
  }
};
