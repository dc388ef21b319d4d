import type { ESTree } from 'meriyah';
import { namesWithin } from './node-names.js';
import type { ShapeDetector } from './shape-detector.js';

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

/**
 * `fetch(url, { headers: { 'x-id': privateKey } })`: a variable named like a wallet secret is
 * sent in an HTTP request (solana web3.js 1.95.6, xrpl 4.2.1). Looks only inside the call's
 * arguments, to a small depth.
 */
export const secretToNetwork: ShapeDetector = {
  shapes: ['secret-to-network'],
  types: ['CallExpression', 'NewExpression'],
  detect({ node, resolve, report }) {
    if (node.type !== 'CallExpression' && node.type !== 'NewExpression') return;
    if (node.arguments.length === 0) return;
    const callee = resolve(node.callee as ESTree.Node);
    if (callee === undefined || !isHttpSend(callee)) return;
    for (const arg of node.arguments) {
      const secret = namesWithin(arg as ESTree.Node).find((name) => SECRET_NAME.test(name));
      if (secret !== undefined) {
        report('secret-to-network', `${secret} sent by ${callee}`);
        return;
      }
    }
  },
};
