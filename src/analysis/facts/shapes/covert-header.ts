import type { ESTree } from 'meriyah';
import { keyName } from './node-names.js';
import type { ShapeDetector } from './shape-detector.js';

/**
 * Headers a CDN adds to responses (Cloudflare `CF-*`, CloudFront `x-amz-cf-id`), or ad-tech names,
 * that no client needs to send: malware hides stolen keys in them so the request looks like
 * ordinary traffic.
 */
const COVERT_HEADERS = new Set([
  'cf-ray',
  'cf-ipcountry',
  'cf-visitor',
  'cf-cache-status',
  'x-amz-cf-id',
  'ad-referral',
]);

/** `{ 'CF-Ray': value }` where the value is computed, not a constant. */
export const covertHeader: ShapeDetector = {
  shapes: ['covert-header'],
  types: ['Property'],
  detect({ node, fold, report }) {
    if (node.type !== 'Property') return;
    const name = keyName(node);
    if (name === undefined || name.length < 6 || name.length > 15 || !COVERT_HEADERS.has(name.toLowerCase()))
      return;
    if (fold(node.value as ESTree.Node) !== undefined) return;
    report('covert-header', `${name} header set from a computed value`);
  },
};
