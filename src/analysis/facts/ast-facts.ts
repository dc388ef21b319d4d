import type { ESTree } from 'meriyah';
import type { ApiCategory, CodeFact } from '../types.js';
import type { Collector } from './collector.js';
import { clip } from './excerpt.js';
import { createFolder, type Folded, propertyName } from './fold.js';
import {
  createExportRecorder,
  createImportSeeder,
  exportedFunctionName,
  type ImportTable,
  type ModuleExports,
  type TaintView,
} from './module-taint.js';
import { apiCategory, isRequirePath, normaliseModule } from './sensitive-apis.js';
import { detectorsByType, type ShapeContext, type ShapeDetector } from './shapes/index.js';
import { PATH_CATEGORIES } from './string-signals.js';

/**
 * One iterative walk over a parsed file (meriyah returns 1M-deep trees for `a+a+…`, so no
 * recursion over the tree): imports, sensitive calls resolved through aliases, env reads, folded
 * strings, obfuscator shapes, and source → sink flows. Names are tracked in one file-wide map
 * (function scopes are not separated): cheap and sound-ish, as the brief asks.
 */

export type AstWalkOptions = {
  maxNodes: number;
  deadline: number;
  /** Cross-file pass: relative imports whose exports carry sources (module-taint.ts). */
  imports?: ImportTable;
};
export type AstWalkResult = {
  truncated: boolean;
  identifiers: number;
  hexIdentifiers: number;
  /** What the file's exports carry; absent when nothing. */
  exports?: ModuleExports;
};

type Node = ESTree.Node;

/** The scheme and host a template literal starts with, when it starts with a URL whose host is complete. */
const URL_ORIGIN = /^(?:https?|wss?):\/\/[^\s/'"`?#]+(?=\/)/i;

const GLOBAL_OBJECTS = new Set(['global', 'globalThis', 'window', 'self']);
const SINKS = new Set<ApiCategory>(['network', 'process', 'filesystem-write', 'dns', 'eval']);
const HANDLE_SINK_METHODS = new Set(['write', 'end', 'send', 'emit', 'sendBeacon']);
const MUTATORS = new Set(['push', 'unshift', 'append', 'set', 'add', 'concat']);
const MAX_TAINT = 4;
const MAX_ARGS = 3;
/** A template's fixed start that names a host: `https://host/…`. */
const URL_HEAD = /^(?:https?|wss?):\/\/[\w.-]+(?::\d+)?\//i;
const MAX_ARG_LENGTH = 200;
const SKIP_KEYS = new Set(['type', 'start', 'end', 'range', 'loc', 'raw', 'regex', 'bigint']);
/** esbuild's and others' require shims in ESM bundles: a plain require, not an alias. */
const BUNDLER_REQUIRE = new Set(['__require']);
const INTEROP = new Set([
  '_interopRequireDefault',
  '_interopRequireWildcard',
  '__importDefault',
  '__importStar',
  '__toESM',
  '__toCommonJS',
  'tslib.__importDefault',
  'tslib.__importStar',
]);
const HEX_NAME = /^_0x[0-9a-f]{3,}$/i;
const SHAPES = detectorsByType();

export const walkAst = (
  program: ESTree.Program,
  text: string,
  out: Collector,
  options: AstWalkOptions,
): AstWalkResult => {
  const bindings = new Map<string, string>();
  // resolve() of the same member chain or call is asked for several times around one node (fold,
  // enterCall, enterMember, shape detectors): answers are kept until a binding or constant changes.
  let bindingsVersion = 0;
  let resolvedVersion = 0;
  const resolved = new Map<Node, string | undefined>();
  const setBinding = (name: string, path: string) => {
    if (bindings.get(name) === path) return;
    bindings.set(name, path);
    bindingsVersion++;
  };
  const setConstant = (name: string, value: Folded | null) => {
    constants.set(name, value);
    bindingsVersion++;
  };
  const constants = new Map<string, Folded | null>();
  // Variable taint per function scope: a name resolves to the innermost function that declares it
  // (blocks are not separated), so `config` in one function of a bundle does not taint another's.
  const scopes: Map<string, CodeFact[] | null>[] = [new Map()];
  /** The value each name of the scope at the same index was last given (ShapeContext.initOf). */
  const inits: Map<string, Node>[] = [new Map()];
  const pendingParams = new Map<Node, CodeFact[]>();
  const nodeTaint = new Map<Node, CodeFact[]>();
  const callFacts = new Map<Node, CodeFact>();
  const handles = new Map<string, CodeFact>();
  /** Sources a named function returns: `const p = collect()` carries what `collect` returned. */
  const returnTaint = new Map<string, CodeFact[]>();
  const functions: Node[] = [];
  const functionNames = new Map<Node, string>();
  const flowsSeen = new Set<string>();
  const signalsSeen = new Set<string>();
  const exportSites = createExportRecorder();
  const seed = options.imports ? createImportSeeder(options.imports, (node) => resolve(node)) : undefined;
  let identifiers = 0;
  let hexIdentifiers = 0;
  // Until a name or node carries taint, the exit-side taint look-ups can be skipped.
  let namesTainted = false;

  const resolve = (node: Node | null | undefined, depth = 0): string | undefined => {
    if (!node || depth > 8) return undefined;
    if (depth > 0 || (node.type !== 'MemberExpression' && node.type !== 'CallExpression'))
      return resolvePath(node, depth);
    if (resolvedVersion !== bindingsVersion) {
      resolved.clear();
      resolvedVersion = bindingsVersion;
    }
    if (resolved.has(node)) return resolved.get(node);
    const path = resolvePath(node, 0);
    resolved.set(node, path);
    return path;
  };

  const resolvePath = (node: Node, depth: number): string | undefined => {
    switch (node.type) {
      case 'Identifier': {
        const bound = bindings.get(node.name);
        if (bound !== undefined) return bound;
        return GLOBAL_OBJECTS.has(node.name) ? 'global' : node.name;
      }
      case 'ParenthesizedExpression':
        return resolve(node.expression, depth + 1);
      case 'ChainExpression':
        return resolve(node.expression, depth + 1);
      case 'SequenceExpression':
        return resolve(node.expressions[node.expressions.length - 1], depth + 1);
      case 'AwaitExpression':
        return resolve(node.argument, depth + 1);
      case 'ImportExpression': {
        const module = fold(node.source);
        return module ? normaliseModule(module.value) : undefined;
      }
      case 'MemberExpression': {
        const object = node.object as Node;
        const property = propertyName(node, fold);
        if (property === undefined) return undefined;
        // [].constructor.constructor is Function
        if (property === 'constructor' && object.type === 'MemberExpression') {
          if (propertyName(object, fold) === 'constructor') return 'Function';
        }
        const base = resolve(object, depth + 1);
        if (base === undefined) return undefined;
        // Transpiled ESM: `_fs.default.readFileSync` is `fs.readFileSync`.
        if (property === 'default' && base !== 'global') return base;
        if (base === 'global')
          return bindings.get(property) ?? (GLOBAL_OBJECTS.has(property) ? 'global' : property);
        return `${base}.${property}`;
      }
      case 'CallExpression': {
        const callee = resolve(node.callee as Node, depth + 1);
        if (isRequirePath(callee)) {
          const module = fold(node.arguments[0] as Node);
          return module ? normaliseModule(module.value) : undefined;
        }
        if (callee === 'module.createRequire') return 'require';
        // Bundler and compiler interop wrappers return the module they are given.
        if (callee !== undefined && INTEROP.has(callee)) return resolve(node.arguments[0] as Node, depth + 1);
        return undefined;
      }
      default:
        return undefined;
    }
  };

  const fold = createFolder({
    text,
    constant: (name) => constants.get(name) ?? undefined,
    resolve: (node) => resolve(node),
  });

  const taintOf = (node: Node | null | undefined): CodeFact[] | undefined =>
    node ? nodeTaint.get(node) : undefined;
  const addTaint = (map: Map<Node, CodeFact[]>, key: Node, facts: CodeFact[]) => {
    const current = map.get(key);
    if (!current) map.set(key, facts.slice(0, MAX_TAINT));
    else for (const f of facts) if (current.length < MAX_TAINT && !current.includes(f)) current.push(f);
  };
  const scopeOf = (name: string): Map<string, CodeFact[] | null> => {
    for (let i = scopes.length - 1; i > 0; i--) {
      const scope = scopes[i] as Map<string, CodeFact[] | null>;
      if (scope.has(name)) return scope;
    }
    return scopes[0] as Map<string, CodeFact[] | null>;
  };
  const declare = (name: string) => {
    const scope = scopes[scopes.length - 1] as Map<string, CodeFact[] | null>;
    if (!scope.has(name)) scope.set(name, null);
  };
  const taintOfName = (name: string): CodeFact[] | undefined => scopeOf(name).get(name) ?? undefined;
  const initOf = (name: string): Node | undefined => {
    for (let i = scopes.length - 1; i > 0; i--)
      if ((scopes[i] as Map<string, unknown>).has(name)) return inits[i]?.get(name);
    return inits[0]?.get(name);
  };
  /** `name = value` in the innermost scope declaring it; a value that is not an expression forgets it. */
  const setInit = (name: string, value: Node | null | undefined) => {
    let i = scopes.length - 1;
    while (i > 0 && !(scopes[i] as Map<string, unknown>).has(name)) i--;
    const map = inits[i] as Map<string, Node>;
    if (value) map.set(name, value);
    else map.delete(name);
  };
  const taintName = (name: string, facts: CodeFact[]) => {
    namesTainted = true;
    const scope = scopeOf(name);
    const current = scope.get(name) ?? [];
    for (const f of facts) if (current.length < MAX_TAINT && !current.includes(f)) current.push(f);
    scope.set(name, current);
  };

  const signal = (name: string, detail: string, offset: number, once = true) => {
    if (once && signalsSeen.has(name)) return;
    signalsSeen.add(name);
    out.add({ kind: 'obfuscation', signal: name, detail, at: out.at(offset) });
  };

  const namesIn = (pattern: Node | null | undefined, into: string[] = [], depth = 0): string[] => {
    if (!pattern || depth > 16 || into.length > 64) return into;
    switch (pattern.type) {
      case 'Identifier':
        into.push(pattern.name);
        break;
      case 'ObjectPattern':
        for (const p of pattern.properties)
          namesIn(p.type === 'RestElement' ? p.argument : (p.value as Node), into, depth + 1);
        break;
      case 'ArrayPattern':
        for (const e of pattern.elements) namesIn(e as Node | null, into, depth + 1);
        break;
      case 'AssignmentPattern':
        namesIn(pattern.left as Node, into, depth + 1);
        break;
      case 'RestElement':
        namesIn(pattern.argument as Node, into, depth + 1);
        break;
      case 'VariableDeclaration':
        for (const d of pattern.declarations) namesIn(d.id as Node, into, depth + 1);
        break;
      default:
        break;
    }
    return into;
  };

  const bind = (id: Node, init: Node | null | undefined) => {
    if (id.type === 'Identifier') {
      const path = init ? resolve(init) : undefined;
      if (path !== undefined && path !== id.name) setBinding(id.name, path);
      else if (bindings.delete(id.name)) bindingsVersion++;
      const value = init ? fold(init) : undefined;
      const previous = constants.get(id.name);
      if (previous === undefined && !constants.has(id.name) && value) setConstant(id.name, value);
      else if (previous && value && previous.value === value.value) return;
      else if (constants.has(id.name) || value) setConstant(id.name, null);
      return;
    }
    if (id.type !== 'ObjectPattern' || !init) return;
    const base = resolve(init);
    if (base === undefined) return;
    for (const p of id.properties) {
      if (p.type !== 'Property') continue;
      const key = p.computed
        ? fold(p.key as Node)?.value
        : p.key.type === 'Identifier'
          ? p.key.name
          : fold(p.key as Node)?.value;
      const local = p.value.type === 'AssignmentPattern' ? p.value.left : p.value;
      if (key === undefined || local.type !== 'Identifier') continue;
      setBinding(local.name, `${base}.${key}`);
      if (base === 'process.env') {
        const fact = out.add({ kind: 'env-read', key: clip(key, 200), at: out.at(p.start ?? 0) });
        if (fact) taintName(local.name, [fact]);
      }
    }
  };

  const bindImport = (node: ESTree.ImportDeclaration, module: string) => {
    for (const s of node.specifiers) {
      if (s.type === 'ImportSpecifier') {
        const imported = s.imported.type === 'Identifier' ? s.imported.name : String(s.imported.value);
        setBinding(s.local.name, imported === 'default' ? module : `${module}.${imported}`);
      } else setBinding(s.local.name, module);
    }
  };

  const argValue = (arg: Node | undefined): string => {
    if (!arg || arg.type === 'SpreadElement') return '';
    const value = fold(arg);
    if (value) return clip(value.value, MAX_ARG_LENGTH);
    // `https://api.github.com/repos/${repo}`: the fixed scheme and host say where it goes.
    const head = arg.type === 'TemplateLiteral' ? arg.quasis[0]?.value.cooked : undefined;
    return head && URL_HEAD.test(head) ? clip(head, MAX_ARG_LENGTH) : '';
  };

  const isDecoded = (arg: Node | undefined): boolean => {
    if (!arg) return false;
    const value = fold(arg);
    if (value?.from && value.from !== 'concat' && value.from !== 'unicode') return true;
    if (arg.type === 'CallExpression') {
      const callee = resolve(arg.callee as Node);
      if (
        callee === 'atob' ||
        callee === 'Buffer.from' ||
        callee === 'String.fromCharCode' ||
        callee === 'unescape'
      ) {
        return true;
      }
      if (arg.callee.type === 'MemberExpression' && propertyName(arg.callee, fold) === 'toString') {
        const inner = arg.callee.object as Node;
        return inner.type === 'CallExpression' && resolve(inner.callee as Node) === 'Buffer.from';
      }
    }
    return false;
  };

  const enterCall = (node: ESTree.CallExpression | ESTree.NewExpression) => {
    const callee = node.callee as Node;
    const args = node.arguments as Node[];
    const path = resolve(callee);
    const offset = node.start ?? 0;
    if (node.type === 'CallExpression' && (isRequirePath(path) || path === 'require.resolve')) {
      if (path === 'require.resolve') return;
      const arg = args[0];
      const module = fold(arg);
      const computed = !(arg?.type === 'Literal' && typeof arg.value === 'string');
      out.add({
        kind: 'import',
        module: module ? clip(normaliseModule(module.value), MAX_ARG_LENGTH) : '',
        dynamic: false,
        computed,
        at: out.at(offset),
      });
      const plain =
        (callee.type === 'Identifier' && (callee.name === 'require' || BUNDLER_REQUIRE.has(callee.name))) ||
        path === 'module.require' ||
        path === 'require.main.require';
      if (!plain)
        signal(
          'aliased-require',
          `require called as ${clip(text.slice(callee.start ?? 0, Math.min(callee.end ?? 0, (callee.start ?? 0) + 60)), 60)}`,
          offset,
          false,
        );
      return;
    }
    if (path === undefined) return;
    const first = args[0];
    const firstIsString =
      first !== undefined &&
      first.type !== 'ArrowFunctionExpression' &&
      first.type !== 'FunctionExpression' &&
      fold(first) !== undefined;
    const category = apiCategory(path, firstIsString);
    if (!category) return;
    const fact = out.add({
      kind: 'call',
      api: clip(path, 100),
      category,
      args: args.slice(0, MAX_ARGS).map(argValue),
      at: out.at(offset),
    });
    if (!fact) return;
    callFacts.set(node, fact);
    if (category === 'eval' && isDecoded(first))
      signal('decode-eval', `${path} runs a decoded string`, offset, false);
    if (category === 'os') addTaint(nodeTaint, node, [fact]);
    // What the network returns (download-and-execute): the result and the callbacks' parameters.
    if (category === 'network') {
      addTaint(nodeTaint, node, [fact]);
      for (const arg of args) {
        if (arg.type === 'ArrowFunctionExpression' || arg.type === 'FunctionExpression')
          pendingParams.set(arg, [fact]);
      }
    }
    if (category === 'filesystem-read') {
      const target = args[0] ? fold(args[0])?.value : undefined;
      if (target !== undefined && PATH_CATEGORIES.some(([, re]) => re.test(target))) {
        addTaint(nodeTaint, node, [fact]);
        // fs.readFile(path, (err, data) => …): the callback's parameters carry the file.
        const callback = args[args.length - 1];
        if (
          callback &&
          (callback.type === 'ArrowFunctionExpression' || callback.type === 'FunctionExpression')
        ) {
          pendingParams.set(callback, [fact]);
        }
      }
    }
  };

  const exitCall = (node: ESTree.CallExpression | ESTree.NewExpression) => {
    const args = node.arguments as Node[];
    let fact = callFacts.get(node);
    const callee = node.callee as Node;
    // req.write(data) on a handle returned by http.request & co., or chained on the call itself
    // (`https.request(options).end(token)`).
    if (
      !fact &&
      callee.type === 'MemberExpression' &&
      (callee.object.type === 'Identifier' ||
        callee.object.type === 'CallExpression' ||
        callee.object.type === 'NewExpression')
    ) {
      const object = callee.object as Node;
      const chained = object.type === 'Identifier' ? undefined : callFacts.get(object);
      const handle =
        object.type === 'Identifier'
          ? handles.get(object.name)
          : chained?.kind === 'call' && chained.category === 'network'
            ? chained
            : undefined;
      const method = propertyName(callee, fold);
      if (handle && method && HANDLE_SINK_METHODS.has(method) && handle.kind === 'call') {
        fact = {
          kind: 'call',
          api: `${handle.api}().${method}`,
          category: handle.category,
          args: args.slice(0, MAX_ARGS).map(argValue),
          at: out.at(node.start ?? 0),
        };
      }
    }
    const argTaint: CodeFact[] = [];
    for (const arg of args) for (const t of taintOf(arg) ?? []) if (!argTaint.includes(t)) argTaint.push(t);
    if (callee.type === 'Identifier') {
      const returned = returnTaint.get(callee.name);
      if (returned) addTaint(nodeTaint, node, returned);
    }
    if (fact && fact.kind === 'call' && SINKS.has(fact.category)) {
      const sinkTaint: CodeFact[] = [];
      for (const arg of sinkArguments(fact, args)) {
        for (const t of taintOf(arg) ?? []) if (!sinkTaint.includes(t)) sinkTaint.push(t);
      }
      for (const source of sinkTaint) {
        if (source === fact) continue;
        // Network data sent on over the network is a proxy or a client, not a leak.
        if (source.kind === 'call' && source.category === 'network' && fact.category === 'network') continue;
        const key = `${out.facts.indexOf(source)}:${source.at.file}:${source.at.line}:${source.at.column}:${fact.at.line}:${fact.at.column}`;
        if (flowsSeen.has(key)) continue;
        flowsSeen.add(key);
        out.add({ kind: 'flow', from: source, to: fact, at: fact.at });
      }
    }
    if (fact && fact.kind === 'call' && fact.category === 'filesystem-read' && argTaint.some(isHomeSource)) {
      addTaint(nodeTaint, node, [fact]);
    }
    // list.push(secret): the list now carries it.
    if (argTaint.length > 0 && callee.type === 'MemberExpression') {
      const method = propertyName(callee, fold);
      const root = rootName(callee.object as Node);
      if (method && MUTATORS.has(method) && root) taintName(root, argTaint);
      if (method === 'assign' && resolve(callee.object as Node) === 'Object') {
        const target = args[0] ? rootName(args[0]) : undefined;
        if (target) taintName(target, argTaint);
      }
    }
  };

  const enterMember = (node: ESTree.MemberExpression, parent: Node | undefined) => {
    const object = node.object as Node;
    if (parent?.type === 'AssignmentExpression' && parent.left === node) return;
    if (resolve(object) === 'process.env') {
      const key = propertyName(node, fold) ?? '?';
      const fact = out.add({ kind: 'env-read', key: clip(key, 200), at: out.at(node.start ?? 0) });
      if (fact) addTaint(nodeTaint, node, [fact]);
      return;
    }
    if (parent?.type === 'MemberExpression' && parent.object === node) return;
    if (parent?.type === 'VariableDeclarator' && parent.init === node && parent.id.type === 'ObjectPattern')
      return;
    if (resolve(node) === 'process.env') {
      const fact = out.add({ kind: 'env-read', key: '*', at: out.at(node.start ?? 0) });
      if (fact) addTaint(nodeTaint, node, [fact]);
    }
  };

  const maybeString = (node: Node, parent: Node | undefined) => {
    const value = fold(node);
    if (!value) {
      // `https://cdn.host/bin/${version}/x` does not fold, but its scheme and host are fixed.
      const head = node.type === 'TemplateLiteral' ? node.quasis[0]?.value.cooked : undefined;
      const origin = typeof head === 'string' ? URL_ORIGIN.exec(head)?.[0] : undefined;
      if (origin) out.addString({ value: origin }, node.start ?? 0);
      return;
    }
    if (parent && isFoldable(parent) && fold(parent)) return;
    out.addString(value, node.start ?? 0);
  };

  const shapes: ShapeContext = {
    node: program as Node,
    parent: undefined,
    functionDepth: 0,
    resolve: (node) => resolve(node),
    fold: (node) => fold(node),
    initOf,
    report: (shape, detail, offset) =>
      void out.add({
        kind: 'shape',
        shape,
        detail: clip(detail, 200),
        at: out.at(offset ?? shapes.node.start ?? 0),
      }),
  };

  const enter = (node: Node, parent: Node | undefined, detectors: readonly ShapeDetector[] | undefined) => {
    if (detectors) {
      shapes.node = node;
      shapes.parent = parent;
      shapes.functionDepth = scopes.length - 1;
      for (const detector of detectors) detector.detect(shapes);
    }
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        functions.push(node);
        const name =
          node.type !== 'ArrowFunctionExpression' && node.id
            ? node.id.name
            : parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier'
              ? parent.id.name
              : parent?.type === 'AssignmentExpression' && parent.left.type === 'Identifier'
                ? parent.left.name
                : exportedFunctionName(node, parent);
        if (name !== undefined) functionNames.set(node, name);
        if (node.type === 'FunctionDeclaration' && node.id) declare(node.id.name);
        scopes.push(new Map());
        inits.push(new Map());
        // A callback handed to a method of tainted data (`res.on('data', d => …)`,
        // `fetch(u).then(r => …)`) receives that data.
        let pending = pendingParams.get(node);
        if (!pending && parent?.type === 'CallExpression' && parent.callee.type === 'MemberExpression') {
          if ((parent.arguments as Node[]).includes(node)) pending = taintOf(parent.callee.object as Node);
        }
        for (const param of node.params) {
          for (const paramName of namesIn(param as Node)) {
            declare(paramName);
            if (pending) taintName(paramName, pending);
          }
        }
        break;
      }
      case 'Identifier':
        identifiers++;
        if (node.name.charCodeAt(0) === 95 && HEX_NAME.test(node.name)) hexIdentifiers++;
        break;
      case 'Literal':
        if (typeof node.value === 'string') maybeString(node, parent);
        break;
      case 'TemplateLiteral':
      case 'BinaryExpression':
        maybeString(node, parent);
        break;
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration': {
        const source = node.source;
        if (!source || typeof source.value !== 'string') break;
        const module = normaliseModule(source.value);
        out.add({
          kind: 'import',
          module: clip(module, MAX_ARG_LENGTH),
          dynamic: false,
          computed: false,
          at: out.at(node.start ?? 0),
        });
        if (node.type === 'ImportDeclaration') bindImport(node, module);
        break;
      }
      case 'ImportExpression': {
        const module = fold(node.source);
        out.add({
          kind: 'import',
          module: module ? clip(normaliseModule(module.value), MAX_ARG_LENGTH) : '',
          dynamic: true,
          computed: !(node.source.type === 'Literal' && typeof node.source.value === 'string'),
          at: out.at(node.start ?? 0),
        });
        break;
      }
      case 'VariableDeclarator':
        for (const name of namesIn(node.id as Node)) declare(name);
        if (node.id.type === 'Identifier') setInit(node.id.name, node.init as Node | null);
        bind(node.id as Node, node.init as Node | null);
        break;
      case 'AssignmentExpression': {
        const left = node.left as Node;
        if (node.operator !== '=') {
          if (left.type === 'Identifier' && constants.has(left.name)) setConstant(left.name, null);
          break;
        }
        if (left.type === 'Identifier') {
          setInit(left.name, node.right as Node);
          bind(left, node.right as Node);
        } else if (left.type === 'MemberExpression' && resolve(left.object as Node) === 'global') {
          const name = propertyName(left, fold);
          const path = resolve(node.right as Node);
          if (name !== undefined && path !== undefined) setBinding(name, path);
        }
        break;
      }
      case 'CallExpression':
        maybeString(node, parent);
        enterCall(node);
        if (isRotation(node))
          signal('string-array-rotation', 'array.push(array.shift()) rotation loop', node.start ?? 0);
        break;
      case 'NewExpression':
        enterCall(node);
        break;
      case 'MemberExpression':
        enterMember(node, parent);
        break;
      default:
        break;
    }
  };

  const isRotation = (node: ESTree.CallExpression): boolean => {
    const callee = node.callee;
    if (callee.type !== 'MemberExpression' || propertyName(callee, fold) !== 'push') return false;
    const arg = node.arguments[0];
    // The same array on both sides: `a.push(a.shift())`, not `out.push(queue.shift())`.
    return (
      arg?.type === 'CallExpression' &&
      arg.callee.type === 'MemberExpression' &&
      propertyName(arg.callee, fold) === 'shift' &&
      callee.object.type === 'Identifier' &&
      arg.callee.object.type === 'Identifier' &&
      callee.object.name === arg.callee.object.name
    );
  };

  const exit = (node: Node, parent: Node | undefined) => {
    if (seed) {
      const imported = seed(node, parent);
      if (imported) addTaint(nodeTaint, node, imported);
    }
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        functions.pop();
        if (scopes.length > 1) {
          scopes.pop();
          inits.pop();
        }
        // An arrow's expression body is its return value.
        if (node.type === 'ArrowFunctionExpression' && node.expression) {
          const taint = taintOf(node.body as Node);
          const name = functionNames.get(node);
          if (taint && name !== undefined)
            returnTaint.set(name, [...(returnTaint.get(name) ?? []), ...taint].slice(0, MAX_TAINT));
        }
        break;
      }
      case 'ReturnStatement': {
        const taint = taintOf(node.argument as Node | null);
        const fn = functions[functions.length - 1];
        const name = fn ? functionNames.get(fn) : undefined;
        if (taint && name !== undefined)
          returnTaint.set(name, [...(returnTaint.get(name) ?? []), ...taint].slice(0, MAX_TAINT));
        break;
      }
      case 'Identifier': {
        if (!namesTainted) break;
        const taint = taintOfName(node.name);
        if (taint && isReference(node, parent)) addTaint(nodeTaint, node, taint);
        break;
      }
      case 'CallExpression':
        exitCall(node);
        exportSites.call(node, view);
        break;
      case 'NewExpression':
        exitCall(node);
        break;
      case 'ExportDefaultDeclaration':
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration':
        exportSites.declaration(node, view);
        break;
      case 'VariableDeclarator': {
        const init = node.init as Node | null;
        const taint = taintOf(init);
        const names = namesIn(node.id as Node);
        if (taint) for (const name of names) taintName(name, taint);
        const call = init ? callFacts.get(init) : undefined;
        if (call?.kind === 'call' && call.category === 'network' && node.id.type === 'Identifier')
          handles.set(node.id.name, call);
        break;
      }
      case 'AssignmentExpression': {
        exportSites.assignment(node, view);
        const taint = taintOf(node.right as Node);
        const root = rootName(node.left as Node);
        if (taint && root) taintName(root, taint);
        break;
      }
      default:
        break;
    }
    // for (const x of tainted) …: the loop variable carries the collection's sources. The right
    // side is left before the body is entered. Nothing to do while no node carries taint.
    if (
      nodeTaint.size !== 0 &&
      parent &&
      (parent.type === 'ForOfStatement' || parent.type === 'ForInStatement') &&
      parent.right === node
    ) {
      const loopTaint = taintOf(node);
      if (loopTaint) for (const name of namesIn(parent.left as Node)) taintName(name, loopTaint);
    }
    const taint = nodeTaint.size === 0 ? undefined : nodeTaint.get(node);
    if (
      taint &&
      parent &&
      propagates(parent) &&
      !isChildProcessEnv(node, parent) &&
      !envHandedToHelper(node, parent, taint)
    )
      addTaint(nodeTaint, parent, taint);
  };

  // The whole environment handed to a function is configuration (spawn helpers, config loaders,
  // proxy lookups): what the function returns is not the environment, unless the function is one
  // that serialises or encodes its argument. Named secrets and files still flow through any call.
  const envHandedToHelper = (node: Node, parent: Node, taint: CodeFact[]): boolean => {
    if (parent.type !== 'CallExpression' && parent.type !== 'NewExpression') return false;
    if (parent.callee === node) return false;
    if (!taint.every((fact) => fact.kind === 'env-read' && fact.key === '*')) return false;
    const callee = resolve(parent.callee as Node);
    if (callee === undefined) return true;
    return !ENV_CARRIERS.has(callee.slice(callee.lastIndexOf('.') + 1));
  };

  const view: TaintView = {
    resolve: (node) => resolve(node),
    fold: (node) => fold(node),
    nodeTaint: taintOf,
    nameTaint: taintOfName,
    returnsOf: (name) => returnTaint.get(name),
    functionName: (node) => functionNames.get(node),
  };

  // Top-level imports and `const x = require(…)` bind before the walk, so a function written
  // above the declaration it uses (bundles do this) still resolves.
  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration' && typeof statement.source.value === 'string') {
      bindImport(statement, normaliseModule(statement.source.value));
    } else if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) {
        const init = declarator.init as Node | null;
        if (declarator.id.type !== 'Identifier' || init?.type !== 'CallExpression') continue;
        // An argument built from constants folds only once the walk has seen them: folding it now
        // would memoise "unknown" for `const n = 'chi' + 'ld_process'; require(n)`.
        const argument = init.arguments[0] as Node | undefined;
        if (argument && (argument.type === 'Identifier' || argument.type === 'BinaryExpression')) continue;
        if (argument?.type === 'TemplateLiteral' && argument.expressions.length > 0) continue;
        const path = resolve(init);
        if (path !== undefined) setBinding(declarator.id.name, path);
      }
    }
  }

  // ----- the walk: an explicit stack in parallel arrays (no frame objects to collect) -----
  const nodes: Node[] = [program as Node];
  const parents: (Node | undefined)[] = [undefined];
  const exits: boolean[] = [false];
  let visited = 0;
  let truncated = false;
  while (nodes.length > 0) {
    const node = nodes.pop() as Node;
    const parent = parents.pop();
    if (exits.pop()) {
      exit(node, parent);
      continue;
    }
    if (++visited > options.maxNodes || ((visited & 0x1fff) === 0 && Date.now() > options.deadline)) {
      truncated = true;
      break;
    }
    const { keys, detectors } = typeInfo(node);
    enter(node, parent, detectors);
    // A leaf (identifier, literal…) is left at once: no exit frame on the stack.
    if (keys.length === 0) {
      exit(node, parent);
      continue;
    }
    nodes.push(node);
    parents.push(parent);
    exits.push(true);
    pushChildren(nodes, parents, exits, node, keys);
  }
  const exports = exportSites.summary(view);
  return exports
    ? { truncated, identifiers, hexIdentifiers, exports }
    : { truncated, identifiers, hexIdentifiers };
};

type TypeInfo = {
  /** The keys that can hold child nodes (learned from the first node of the type). */
  keys: string[];
  /** The shape detectors that look at nodes of the type. */
  detectors: readonly ShapeDetector[] | undefined;
};
/** Per node type: one map look-up per node serves both the walk and the shape detectors. */
const typeInfos = new Map<string, TypeInfo>();

const typeInfo = (node: Node): TypeInfo => {
  const info = typeInfos.get(node.type);
  if (info) return info;
  const record = node as unknown as Record<string, unknown>;
  const keys: string[] = [];
  for (const key in record) {
    if (SKIP_KEYS.has(key)) continue;
    const value = record[key];
    if (value === null || value === undefined || typeof value === 'object') keys.push(key);
  }
  const created = { keys, detectors: SHAPES.get(node.type) };
  typeInfos.set(node.type, created);
  return created;
};

const pushChildren = (
  nodes: Node[],
  parents: (Node | undefined)[],
  exits: boolean[],
  node: Node,
  keys: string[],
) => {
  const record = node as unknown as Record<string, unknown>;
  // Children go on the stack last-first, so they are entered in source order.
  for (let k = keys.length - 1; k >= 0; k--) {
    const value = record[keys[k] as string];
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const item = value[i];
        if (isNode(item)) {
          nodes.push(item);
          parents.push(node);
          exits.push(false);
        }
      }
    } else if (isNode(value)) {
      nodes.push(value);
      parents.push(node);
      exits.push(false);
    }
  }
};

const isNode = (value: unknown): value is Node =>
  value !== null && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string';

const isFoldable = (node: Node): boolean =>
  node.type === 'BinaryExpression' || node.type === 'TemplateLiteral' || node.type === 'CallExpression';

const isReference = (node: Node, parent: Node | undefined): boolean => {
  if (!parent) return true;
  if (parent.type === 'MemberExpression' && parent.property === node && !parent.computed) return false;
  if (parent.type === 'Property' && parent.key === node && !parent.computed && !parent.shorthand)
    return false;
  return true;
};

const propagates = (parent: Node): boolean => {
  const type = parent.type;
  if (type.endsWith('Statement') || type.endsWith('Declaration') || type === 'Program') return false;
  return !(
    type === 'FunctionExpression' ||
    type === 'ArrowFunctionExpression' ||
    type === 'ClassExpression' ||
    type === 'VariableDeclarator' ||
    type === 'MethodDefinition' ||
    type === 'PropertyDefinition'
  );
};

/** Functions (by last name) whose result is their argument, serialised, encoded or copied. */
const ENV_CARRIERS = new Set([
  'stringify',
  'entries',
  'keys',
  'values',
  'assign',
  'fromEntries',
  'from',
  'inspect',
  'format',
  'encode',
  'encodeURIComponent',
  'escape',
  'btoa',
  'String',
  'toString',
  'concat',
  'join',
  'gzipSync',
  'deflateSync',
  'brotliCompressSync',
  'serialize',
  'dump',
  'structuredClone',
]);

/** Keys only a child-process options object has (`cwd` is left out: recon payloads send it). */
const SPAWN_OPTION_KEYS = new Set([
  'stdio',
  'windowsHide',
  'shell',
  'maxBuffer',
  'detached',
  'killSignal',
  // worker_threads
  'workerData',
  'execArgv',
  'resourceLimits',
]);
const keyName = (property: Node): string | undefined => {
  if (property.type !== 'Property' || property.computed) return undefined;
  const key = property.key as Node;
  return key.type === 'Identifier' ? key.name : key.type === 'Literal' ? String(key.value) : undefined;
};

/**
 * `{ env, stdio: 'pipe' }` configures a child process: the environment it is given does not flow
 * into the object (and so not into what the process prints). `{ env: process.env, host }` sent
 * over the network still does.
 */
const isChildProcessEnv = (node: Node, parent: Node): boolean =>
  parent.type === 'ObjectExpression' &&
  // `node` is the `env` property, or its value when the walk hands values straight to the object.
  parent.properties.some(
    (property) =>
      (property === node || (property.type === 'Property' && property.value === node)) &&
      keyName(property as Node) === 'env',
  ) &&
  parent.properties.some((property) => SPAWN_OPTION_KEYS.has(keyName(property as Node) ?? ''));

// Writing into these does not make them carry data: `Object.assign(process.env, parsed)` must not
// taint every later `process.cwd()`.
const SHARED_ROOTS = new Set([
  'process',
  'global',
  'globalThis',
  'window',
  'self',
  'module',
  'exports',
  'console',
]);

/** The variable a member chain writes into (`a` of `a.b.c`), unless it is a shared global. */
const rootName = (node: Node): string | undefined => {
  let current: Node = node;
  for (let i = 0; i < 16; i++) {
    if (current.type === 'Identifier') return SHARED_ROOTS.has(current.name) ? undefined : current.name;
    if (current.type !== 'MemberExpression') return undefined;
    current = current.object as Node;
  }
  return undefined;
};

/**
 * The arguments whose value leaves through a sink: what is sent, run or written, not where to or
 * how. `spawn(cmd, args, { env: process.env })` passes the environment on, it does not leak it;
 * `fs.rmSync(process.env.CACHE)` chooses a path. Network calls: every argument (URL, headers, body).
 */
const sinkArguments = (fact: Extract<CodeFact, { kind: 'call' }>, args: Node[]): Node[] => {
  const method = fact.api.slice(fact.api.lastIndexOf('.') + 1);
  switch (fact.category) {
    case 'network':
      return args;
    case 'process': {
      const command = args.slice(0, 1);
      const second = args[1];
      return second?.type === 'ArrayExpression' ? [...command, second] : command;
    }
    case 'filesystem-write':
      return /^(?:writeFile|appendFile)(?:Sync)?$/.test(method) ? args.slice(1, 2) : [];
    default:
      return args.slice(0, 1);
  }
};

const isHomeSource = (fact: CodeFact): boolean =>
  fact.kind === 'call' && (fact.api === 'os.homedir' || fact.api === 'os.userInfo');
