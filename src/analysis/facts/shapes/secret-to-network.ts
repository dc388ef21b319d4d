import type { ESTree } from 'meriyah';
import { carriedName } from './node-names.js';
import type { ShapeContext, ShapeDetector } from './shape-detector.js';

/** Names wallet and key code gives its secrets. `seed` alone is weaker (random seeds exist). */
export const SECRET_NAME =
  /^_?(?:private_?key|priv_?key|secret_?key|mnemonic|mnemonic_?phrase|seed|seed_?phrase|secret_?phrase|recovery_?phrase|wallet_?seed|seed_?words)$/i;

const HTTP_MODULES = new Set([
  'fetch',
  'node-fetch',
  'cross-fetch',
  'isomorphic-fetch',
  'axios',
  'got',
  'request',
  'superagent',
  'needle',
  'undici',
  'ky',
  'phin',
]);
const NODE_HTTP = /^(?:https?|http2)\.(?:request|get|connect)$/;

/** A resolved callee that sends an HTTP request. */
export const isHttpSend = (callee: string): boolean => {
  if (NODE_HTTP.test(callee) || callee === 'navigator.sendBeacon') return true;
  const dot = callee.indexOf('.');
  const root = dot === -1 ? callee : callee.slice(0, dot);
  // `axios.post`, `got.stream`, but not `axios.create().interceptors…` chains deeper than one.
  return HTTP_MODULES.has(root) && (dot === -1 || !callee.includes('.', dot + 1));
};

type Fn = {
  node: ESTree.FunctionDeclaration | ESTree.FunctionExpression | ESTree.ArrowFunctionExpression;
  parent: ESTree.Node | undefined;
  end: number;
};
type FileState = {
  /** Functions enclosing the current node, innermost last (finished ones are dropped lazily). */
  open: Fn[];
  /** Local functions that send one of their parameters: name → parameter index → HTTP API. */
  sendsParam: Map<string, Map<number, string>>;
  /** Calls of local functions with a secret-named argument: name → [index, secret, offset]. */
  secretCalls: Map<string, [number, string, number][]>;
};
const states = new WeakMap<ShapeContext, FileState>();
const MAX_TRACKED = 500;

const stateOf = (ctx: ShapeContext): FileState => {
  let state = states.get(ctx);
  if (!state) {
    state = { open: [], sendsParam: new Map(), secretCalls: new Map() };
    states.set(ctx, state);
  }
  return state;
};

const functionName = (node: ESTree.Node, parent: ESTree.Node | undefined): string | undefined => {
  if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') && node.id)
    return node.id.name;
  if (!parent) return undefined;
  if (parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if (parent.type === 'AssignmentExpression') {
    const left = parent.left;
    if (left.type === 'Identifier') return left.name;
    if (left.type === 'MemberExpression' && !left.computed && left.property.type === 'Identifier')
      return left.property.name;
  }
  if ((parent.type === 'MethodDefinition' || parent.type === 'Property') && parent.key?.type === 'Identifier')
    return parent.key.name;
  return undefined;
};

const paramNames = (node: Fn['node']): string[] =>
  node.params.map((p) =>
    p.type === 'Identifier'
      ? p.name
      : p.type === 'AssignmentPattern' && p.left.type === 'Identifier'
        ? p.left.name
        : '',
  );

/** Last names of member callees that can be an HTTP send (`axios.post`, `https.request`, `got.stream`). */
const HTTP_METHODS = new Set([
  'request',
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'connect',
  'fetch',
  'sendBeacon',
  'stream',
  'default',
]);

/** Verbs that send a body when called on an HTTP client instance. */
const BODY_VERBS = new Set(['post', 'put', 'patch']);
/** How an unresolved client instance is named in the shape's detail. */
export const INSTANCE = '<client>';

const dropFinished = (state: FileState, start: number) => {
  while (state.open.length > 0 && (state.open[state.open.length - 1] as Fn).end <= start) state.open.pop();
};

const calleeName = (callee: ESTree.Node): string | undefined => {
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier')
    return callee.property.name;
  return undefined;
};

const isSecretName = (name: string): boolean => SECRET_NAME.test(name);

/**
 * `fetch(url, { headers: { 'x-id': privateKey } })`: a variable named like a wallet secret is
 * sent in an HTTP request (xrpl 4.2.1). Also one hop through a local helper, the way
 * `@solana/web3.js` 1.95.6 passed the key to `addToQueue(k)`, which sent `k`. Looks only inside
 * call arguments, and the local values they name (`fetch(url, config)`), to a small depth; the
 * helper link is kept per file.
 */
export const secretToNetwork: ShapeDetector = {
  shapes: ['secret-to-network'],
  types: [
    'CallExpression',
    'NewExpression',
    'FunctionDeclaration',
    'FunctionExpression',
    'ArrowFunctionExpression',
  ],
  detect(ctx) {
    const { node, parent, resolve, report } = ctx;
    if (
      node.type === 'FunctionDeclaration' ||
      node.type === 'FunctionExpression' ||
      node.type === 'ArrowFunctionExpression'
    ) {
      const state = stateOf(ctx);
      dropFinished(state, node.start ?? 0);
      if (state.open.length < 64) state.open.push({ node, parent, end: node.end ?? 0 });
      return;
    }
    if (node.type !== 'CallExpression' && node.type !== 'NewExpression') return;
    if (node.arguments.length === 0) return;
    const args = node.arguments.slice(0, 4) as ESTree.Node[];
    const last = calleeName(node.callee as ESTree.Node);
    // Resolving every member call is the cost: only names a request method can have are resolved.
    const resolved =
      node.callee.type === 'Identifier' || (last !== undefined && HTTP_METHODS.has(last))
        ? resolve(node.callee as ESTree.Node)
        : undefined;
    // `client.post(…)` on an instance (`axios.create()`, a got extension) does not resolve to the
    // module; a body-sending verb on any object is taken as a request, and named for the rule.
    const callee =
      resolved !== undefined && isHttpSend(resolved)
        ? resolved
        : last !== undefined && BODY_VERBS.has(last) && node.callee.type === 'MemberExpression'
          ? `${INSTANCE}.${last}`
          : undefined;
    if (callee !== undefined) {
      for (const arg of args) {
        const secret = carriedName(arg, isSecretName, 5, 32, ctx.initOf);
        if (secret !== undefined) {
          report('secret-to-network', `${secret} sent by ${callee}`);
          break;
        }
      }
      // Does the enclosing local function send one of its own parameters? Asked even when the
      // parameter is itself secret-named (xrpl's `checkValidityOfSeed(seed)`), so a caller's
      // stronger name (`checkValidityOfSeed(privateKey)`) is reported too.
      const state = stateOf(ctx);
      dropFinished(state, node.start ?? 0);
      const open = state.open[state.open.length - 1];
      const name = open ? functionName(open.node, open.parent) : undefined;
      if (!open || name === undefined) return;
      const params = paramNames(open.node);
      const named = new Set(params.filter((param) => param !== ''));
      const sent = new Set(args.map((arg) => carriedName(arg, (n) => named.has(n), 5, 32, ctx.initOf)));
      params.forEach((param, index) => {
        if (param === '' || !sent.has(param) || state.sendsParam.size >= MAX_TRACKED) return;
        const byIndex = state.sendsParam.get(name) ?? new Map<number, string>();
        byIndex.set(index, callee);
        state.sendsParam.set(name, byIndex);
        for (const [i, secret, offset] of state.secretCalls.get(name) ?? [])
          if (i === index) report('secret-to-network', `${secret} sent by ${callee} in ${name}()`, offset);
      });
      return;
    }
    if (last === undefined) return;
    for (let index = 0; index < args.length; index++) {
      const arg = args[index] as ESTree.Node;
      // Literals and callbacks never carry a secret; identifiers are checked without a walk.
      if (
        arg.type === 'Literal' ||
        arg.type === 'ArrowFunctionExpression' ||
        arg.type === 'FunctionExpression'
      )
        continue;
      const secret =
        arg.type === 'Identifier'
          ? isSecretName(arg.name)
            ? arg.name
            : undefined
          : carriedName(arg, isSecretName, 4, 12);
      if (secret === undefined) continue;
      const state = stateOf(ctx);
      const via = state.sendsParam.get(last)?.get(index);
      if (via !== undefined) report('secret-to-network', `${secret} sent by ${via} in ${last}()`);
      const calls = state.secretCalls.get(last) ?? [];
      if (calls.length < 8 && state.secretCalls.size < MAX_TRACKED) {
        calls.push([index, secret, node.start ?? 0]);
        state.secretCalls.set(last, calls);
      }
    }
  },
};
