import type { ESTree } from 'meriyah';
import type { ShapeContext, ShapeDetector } from './shape-detector.js';
import { writtenPropertyName } from './written-property.js';

type Node = ESTree.Node;

/** Browser network APIs a clipper wraps to rewrite what pages send and receive. */
const NETWORK_APIS = new Set([
  'fetch',
  'XMLHttpRequest',
  'XMLHttpRequest.prototype.open',
  'XMLHttpRequest.prototype.send',
  'XMLHttpRequest.prototype.setRequestHeader',
  'WebSocket',
  'WebSocket.prototype.send',
  'navigator.sendBeacon',
]);

/** Injected wallet providers (EIP-1193 `window.ethereum`, Phantom's `window.solana`) and their signing methods. */
const WALLET_OBJECTS = new Set(['ethereum', 'solana', 'phantom.solana', 'phantom.ethereum']);
const WALLET_METHODS = new Set([
  'request',
  'send',
  'sendAsync',
  'enable',
  'signTransaction',
  'signAllTransactions',
  'signAndSendTransaction',
  'signMessage',
]);

const walletTarget = (path: string): boolean => {
  const dot = path.lastIndexOf('.');
  return dot > 0 && WALLET_OBJECTS.has(path.slice(0, dot)) && WALLET_METHODS.has(path.slice(dot + 1));
};

const classify = (path: string): 'wallet-api-patch' | 'network-api-patch' | undefined => {
  if (walletTarget(path)) return 'wallet-api-patch';
  // Installing a provider object is what wallet extensions do (`window.ethereum = provider`);
  // wrapping the page's own provider in a Proxy is hooking it.
  if (WALLET_OBJECTS.has(path)) return undefined;
  return NETWORK_APIS.has(path) ? 'network-api-patch' : undefined;
};

/** `self.fetch || (self.fetch = polyfill)`: installing a missing API, not replacing one. */
const isPolyfillGuard = (parent: Node | undefined): boolean =>
  parent?.type === 'LogicalExpression' && (parent.operator === '||' || parent.operator === '??');

/** `new Proxy(window.ethereum, handler)` assigned back over `window.ethereum`. */
const wrapsItself = (ctx: ShapeContext, right: Node, path: string): boolean =>
  right.type === 'NewExpression' &&
  right.callee.type === 'Identifier' &&
  right.callee.name === 'Proxy' &&
  ctx.resolve(right.arguments[0] as Node | undefined) === path;

const DEFINE = new Set(['Object.defineProperty', 'Reflect.defineProperty', 'Object.defineProperties']);

const DEFINE_METHODS = new Set(['defineProperty', 'defineProperties']);

const fromDefine = (ctx: ShapeContext, node: ESTree.CallExpression): string[] => {
  // Cheap test first: this runs for every call in the file.
  const written = writtenPropertyName(node.callee as Node);
  if (node.callee.type !== 'MemberExpression' || (written !== undefined && !DEFINE_METHODS.has(written)))
    return [];
  const callee = ctx.resolve(node.callee as Node);
  if (callee === undefined || !DEFINE.has(callee)) return [];
  const target = ctx.resolve(node.arguments[0] as Node | undefined);
  if (target === undefined) return [];
  const base = target === 'global' ? '' : `${target}.`;
  if (callee === 'Object.defineProperties') {
    const map = node.arguments[1];
    if (map?.type !== 'ObjectExpression') return [];
    const names: string[] = [];
    for (const property of map.properties.slice(0, 32)) {
      if (property.type !== 'Property') continue;
      const key = property.key as Node;
      const name = key.type === 'Identifier' && !property.computed ? key.name : ctx.fold(key)?.value;
      if (name !== undefined) names.push(`${base}${name}`);
    }
    return names;
  }
  const name = ctx.fold(node.arguments[1] as Node | undefined)?.value;
  return name === undefined ? [] : [`${base}${name}`];
};

/**
 * A browser network or wallet API replaced: `window.fetch = …`, `XMLHttpRequest.prototype.open = …`,
 * `Object.defineProperty(window.ethereum, 'request', …)` (the chalk/debug clipper, Sep 2025).
 * Shapes: `network-api-patch`, `wallet-api-patch`; detail names the API and how.
 */
export const globalApiOverride: ShapeDetector = {
  shapes: ['network-api-patch', 'wallet-api-patch'],
  types: ['AssignmentExpression', 'CallExpression'],
  detect(ctx) {
    const { node } = ctx;
    if (node.type === 'AssignmentExpression') {
      if (node.operator !== '=' || node.left.type !== 'MemberExpression') return;
      if (isPolyfillGuard(ctx.parent)) return;
      const path = ctx.resolve(node.left as Node);
      if (path === undefined) return;
      const shape = classify(path);
      if (shape) ctx.report(shape, `${path} replaced by assignment`);
      else if (WALLET_OBJECTS.has(path) && wrapsItself(ctx, node.right as Node, path))
        ctx.report('wallet-api-patch', `${path} wrapped in a Proxy`);
      return;
    }
    if (node.type !== 'CallExpression') return;
    for (const path of fromDefine(ctx, node)) {
      const shape = classify(path);
      if (shape) ctx.report(shape, `${path} redefined by defineProperty`);
    }
  },
};
