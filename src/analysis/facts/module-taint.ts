import type { ESTree } from 'meriyah';
import type { CodeFact } from '../types.js';
import { type Folded, propertyName } from './fold.js';

/**
 * What one file's exports carry, and how an importer's walk sees it: the two halves of the
 * cross-file flow pass (cross-file.ts). The walk in ast-facts.ts records export sites as it leaves
 * them and resolves them once the file is done; with an import table it treats a relative
 * require/import of a module whose exports carry sources as those sources.
 */

type Node = ESTree.Node;

/** Sources an export carries as a value, and sources its function returns when called. */
export type ExportTaint = { value: CodeFact[]; returns: CodeFact[] };

/**
 * A file's exports. `names`: `default` is `module.exports = …` / `export default …`; other keys are
 * named exports (`exports.x`, `export const x`, and the properties of an exported object literal).
 * `reexports`: `name` `*` takes every name of `from`; `imported` `*` is the whole module.
 */
export type ModuleExports = {
  names: Map<string, ExportTaint>;
  reexports: { name: string; from: string; imported: string }[];
};

/** Relative specifier (as written) → what the imported module's exports carry. */
export type ImportTable = (specifier: string) => ModuleExports | undefined;

/** The walk's state the recorder reads when the file is done. */
export type TaintView = {
  resolve: (node: Node | null | undefined) => string | undefined;
  fold: (node: Node) => Folded | undefined;
  nodeTaint: (node: Node) => CodeFact[] | undefined;
  /** Taint of a top-level name once the walk is done. */
  nameTaint: (name: string) => CodeFact[] | undefined;
  /** Sources a function (by its walk name) returns. */
  returnsOf: (name: string) => CodeFact[] | undefined;
  functionName: (node: Node) => string | undefined;
};

const MAX_TAINT = 4;
/**
 * Environment variables worth following into another file: the whole environment, or a name that
 * holds a credential (the names credential-exfil-chain calls secret). `PORT` or `DEBUG` read in a
 * config module and used elsewhere is how packages are built, and re-walking every importer of
 * every config module is what it would cost. Other sources (credential-file reads, home directory,
 * host identity, downloaded data) always cross.
 */
const SECRET_ENV_KEY =
  /TOKEN|SECRET|PASS|PWD|KEY|AUTH|CRED|SESSION|COOKIE|^AWS_|^NPM_|^GH_|^GITHUB_|^AZURE_|^GOOGLE_/i;

/** A source the cross-file pass follows out of its module. */
export const crossesFiles = (fact: CodeFact): boolean =>
  fact.kind !== 'env-read' || fact.key === '*' || fact.key === '?' || SECRET_ENV_KEY.test(fact.key);

const MAX_SITES = 2000;
const EXPORT_STAR = new Set(['__exportStar', '__reExport']);

export const isRelative = (specifier: string): boolean =>
  specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..';

/** Functions whose name the walk would not know, but that an export site can hand out. */
export const exportedFunctionName = (node: Node, parent: Node | undefined): string | undefined =>
  parent?.type === 'AssignmentExpression' ||
  parent?.type === 'Property' ||
  parent?.type === 'ExportDefaultDeclaration'
    ? `\0fn${node.start ?? 0}`
    : undefined;

export const createExportRecorder = () => {
  const sites: { name: string; value: Node }[] = [];
  const reexports: ModuleExports['reexports'] = [];
  const locals: { name: string; local: string }[] = [];
  const full = () => sites.length + reexports.length + locals.length > MAX_SITES;

  const moduleOf = (node: Node | null | undefined, view: TaintView): string | undefined => {
    if (node?.type !== 'CallExpression') return undefined;
    const module = view.resolve(node);
    return module !== undefined && isRelative(module) ? module : undefined;
  };

  // Called as the walk leaves the node, from the walk's own switch on node types: most nodes are
  // not export sites, and one more read of `type` on every node cost ~5% of the walk.
  /** `module.exports = …`, `module.exports.x = …`, `exports.x = …` */
  const assignment = (node: ESTree.AssignmentExpression, view: TaintView) => {
    if (node.operator !== '=' || node.left.type !== 'MemberExpression' || full()) return;
    const root = node.left.object;
    const exportsRoot =
      (root.type === 'Identifier' && (root.name === 'exports' || root.name === 'module')) ||
      (root.type === 'MemberExpression' &&
        root.object.type === 'Identifier' &&
        root.object.name === 'module');
    if (!exportsRoot) return;
    const target = view.resolve(node.left as Node);
    const right = node.right as Node;
    let name: string | undefined;
    if (target === 'module.exports') name = 'default';
    else if (target?.startsWith('module.exports.')) name = target.slice(15);
    else if (target?.startsWith('exports.')) name = target.slice(8);
    if (name === undefined || name.includes('.')) return;
    // module.exports = require('./x'); exports.y = require('./x').y
    const whole = moduleOf(right, view);
    if (whole !== undefined) {
      reexports.push({ name: name === 'default' ? '*' : name, from: whole, imported: '*' });
      return;
    }
    if (right.type === 'MemberExpression') {
      const from = moduleOf(right.object as Node, view);
      const imported = propertyName(right, view.fold);
      if (from !== undefined && imported !== undefined) {
        reexports.push({ name: name === 'default' ? '*' : name, from, imported });
        return;
      }
    }
    sites.push({ name, value: right });
  };

  /** tsc's and esbuild's `export * from`: `__exportStar(require('./x'), exports)` */
  const call = (node: ESTree.CallExpression, view: TaintView) => {
    const callee = node.callee;
    const name =
      callee.type === 'Identifier'
        ? callee.name
        : callee.type === 'MemberExpression' && callee.property.type === 'Identifier'
          ? callee.property.name
          : undefined;
    if (name === undefined || !EXPORT_STAR.has(name) || full()) return;
    const from = moduleOf(node.arguments[0] as Node, view);
    if (from !== undefined) reexports.push({ name: '*', from, imported: '*' });
  };

  /** `export default …`, `export * from`, `export const/function …`, `export { a as b } [from]` */
  const declaration = (
    node: ESTree.ExportDefaultDeclaration | ESTree.ExportAllDeclaration | ESTree.ExportNamedDeclaration,
    _view: TaintView,
  ) => {
    if (full()) return;
    if (node.type === 'ExportDefaultDeclaration') {
      sites.push({ name: 'default', value: node.declaration as Node });
      return;
    }
    if (node.type === 'ExportAllDeclaration') {
      const from = node.source.value;
      // `export * as ns from` is a namespace object: its members are not tracked.
      if (typeof from === 'string' && isRelative(from) && !node.exported)
        reexports.push({ name: '*', from, imported: '*' });
      return;
    }
    const declared = node.declaration;
    if (declared?.type === 'FunctionDeclaration' && declared.id)
      locals.push({ name: declared.id.name, local: declared.id.name });
    if (declared?.type === 'VariableDeclaration') {
      for (const d of declared.declarations) {
        if (d.id.type === 'Identifier') locals.push({ name: d.id.name, local: d.id.name });
      }
    }
    const from = node.source?.value;
    for (const s of node.specifiers) {
      if (s.type !== 'ExportSpecifier') continue;
      const local = s.local.type === 'Identifier' ? s.local.name : String(s.local.value);
      const name = s.exported.type === 'Identifier' ? s.exported.name : String(s.exported.value);
      if (typeof from === 'string') {
        if (isRelative(from)) reexports.push({ name, from, imported: local });
      } else locals.push({ name, local });
    }
  };

  /** What the file's exports carry, once the walk is done; undefined when nothing. */
  const summary = (view: TaintView): ModuleExports | undefined => {
    const names = new Map<string, ExportTaint>();
    const add = (name: string, taint: Partial<ExportTaint>) => {
      if (!taint.value?.length && !taint.returns?.length) return;
      const current = names.get(name) ?? { value: [], returns: [] };
      for (const key of ['value', 'returns'] as const) {
        for (const f of taint[key] ?? []) {
          if (current[key].length < MAX_TAINT && !current[key].includes(f) && crossesFiles(f))
            current[key].push(f);
        }
      }
      if (current.value.length > 0 || current.returns.length > 0) names.set(name, current);
    };
    const ofName = (local: string): Partial<ExportTaint> => ({
      value: view.nameTaint(local) ?? [],
      returns: view.returnsOf(local) ?? [],
    });
    const ofValue = (value: Node): Partial<ExportTaint> => {
      switch (value.type) {
        case 'Identifier':
          return ofName(value.name);
        case 'FunctionExpression':
        case 'ArrowFunctionExpression':
        case 'FunctionDeclaration': {
          const name = view.functionName(value);
          return { returns: (name === undefined ? undefined : view.returnsOf(name)) ?? [] };
        }
        default:
          return { value: view.nodeTaint(value) ?? [] };
      }
    };
    for (const { name, value } of sites) {
      if (value.type === 'ObjectExpression') {
        // module.exports = { collect, send: post }: each property is a named export. The object
        // as a whole is left clean: an importer's `config` name would carry `config.token` into
        // every `config.url` it uses.
        for (const p of value.properties) {
          if (p.type !== 'Property') continue;
          const key = p.computed ? view.fold(p.key as Node)?.value : propertyKey(p.key as Node);
          if (key !== undefined) add(key, ofValue(p.value as Node));
        }
        continue;
      }
      add(name, ofValue(value));
    }
    for (const { name, local } of locals) add(name, ofName(local));
    return names.size > 0 || reexports.length > 0 ? { names, reexports } : undefined;
  };

  return { assignment, call, declaration, summary };
};

const propertyKey = (key: Node): string | undefined =>
  key.type === 'Identifier' ? key.name : key.type === 'Literal' ? String(key.value) : undefined;

/**
 * For an importer's walk: the sources a node carries because it is (part of) a relative import.
 * `require('./a')` and a name bound to it carry the module's `default` value; `a.x` the named
 * export's value; a call of either what that function returns.
 */
export const createImportSeeder = (
  imports: ImportTable,
  resolve: (node: Node | null | undefined) => string | undefined,
) => {
  const cache = new Map<string, { module: ModuleExports; member: string | undefined } | null>();
  /** './lib/a.js.collect' → the module './lib/a.js' and its member 'collect' (longest match first). */
  const lookUp = (path: string) => {
    const cached = cache.get(path);
    if (cached !== undefined) return cached ?? undefined;
    let found: { module: ModuleExports; member: string | undefined } | null = null;
    let spec = path;
    const members: string[] = [];
    for (let i = 0; i < 4 && spec.length > 0; i++) {
      const module = isRelative(spec) ? imports(spec) : undefined;
      if (module) {
        found = { module, member: members[members.length - 1] };
        break;
      }
      const dot = spec.lastIndexOf('.');
      if (dot <= 0 || spec.lastIndexOf('/') > dot) break;
      members.push(spec.slice(dot + 1));
      spec = spec.slice(0, dot);
    }
    if (cache.size < 1000) cache.set(path, found);
    return found ?? undefined;
  };
  const taintAt = (path: string | undefined, kind: keyof ExportTaint): CodeFact[] | undefined => {
    if (path === undefined || !isRelative(path)) return undefined;
    const found = lookUp(path);
    if (!found) return undefined;
    const taint = found.module.names.get(found.member ?? 'default')?.[kind];
    return taint && taint.length > 0 ? taint : undefined;
  };
  return (node: Node, parent: Node | undefined): CodeFact[] | undefined => {
    const callee = parent?.type === 'CallExpression' && parent.callee === node;
    const object = parent?.type === 'MemberExpression' && parent.object === node;
    switch (node.type) {
      case 'CallExpression': {
        const module = resolve(node);
        if (module !== undefined && isRelative(module))
          return callee || object ? undefined : taintAt(module, 'value');
        return taintAt(resolve(node.callee as Node), 'returns');
      }
      case 'Identifier':
      case 'MemberExpression':
        if (callee || object) return undefined;
        if (parent?.type === 'MemberExpression' && parent.property === node && !parent.computed)
          return undefined;
        if (parent?.type === 'Property' && parent.key === node && !parent.computed && !parent.shorthand)
          return undefined;
        return taintAt(resolve(node), 'value');
      default:
        return undefined;
    }
  };
};
