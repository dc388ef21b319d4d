import type { ShapeDetector } from './shape-detector.js';
import { numericValue } from './shape-detector.js';

const HOUR = 60 * 60 * 1000;
const TIMERS = new Set(['setTimeout', 'setInterval', 'global.setTimeout', 'global.setInterval']);

/** `setInterval(f, 12 * 60 * 60 * 1000)`: work deferred by hours outlives any sandbox run. */
export const longTimer: ShapeDetector = {
  shapes: ['long-timer'],
  types: ['CallExpression'],
  detect({ node, resolve, report }) {
    if (node.type !== 'CallExpression' || node.arguments.length < 2) return;
    const callee = resolve(node.callee);
    if (callee === undefined || !TIMERS.has(callee)) return;
    const delay = numericValue(node.arguments[1]);
    if (delay !== undefined && delay >= HOUR && Number.isFinite(delay))
      report('long-timer', `${callee.replace('global.', '')} every ${Math.round(delay / HOUR)} h`);
  },
};
