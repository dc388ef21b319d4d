import type { ShapeDetector } from './shape-detector.js';

/**
 * Wallet RPC methods that move funds or grant spending: a drainer reads the balance, then sends it
 * or asks for an approval. Wallet SDKs name them too; rules only count them beside a fake prompt.
 */
const DRAIN_METHODS = new Set([
  'eth_sendTransaction',
  'eth_getBalance',
  'eth_signTypedData_v4',
  'setApprovalForAll',
  'increaseAllowance',
  'signAllTransactions',
]);

export const walletDrainRpc: ShapeDetector = {
  shapes: ['wallet-drain-rpc'],
  types: ['Literal'],
  detect({ node, report }) {
    if (node.type !== 'Literal' || typeof node.value !== 'string' || node.value.length > 24) return;
    if (DRAIN_METHODS.has(node.value)) report('wallet-drain-rpc', node.value);
  },
};
