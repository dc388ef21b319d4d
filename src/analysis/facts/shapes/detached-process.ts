import type { ShapeDetector } from './shape-detector.js';

/**
 * `spawn(cmd, args, { detached: true })`: a child that survives its parent. Seen on the options
 * object's property, whatever call it is handed to; rules pair it with a process call in the file.
 */
export const detachedProcess: ShapeDetector = {
  shapes: ['detached-process'],
  types: ['Property'],
  detect({ node, report }) {
    if (node.type !== 'Property' || node.computed) return;
    const key = node.key;
    const name = key.type === 'Identifier' ? key.name : key.type === 'Literal' ? key.value : undefined;
    if (name !== 'detached') return;
    const value = node.value;
    const isTrue =
      (value.type === 'Literal' && value.value === true) ||
      (value.type === 'UnaryExpression' &&
        value.operator === '!' &&
        value.argument.type === 'Literal' &&
        value.argument.value === 0);
    if (isTrue) report('detached-process', 'child process options { detached: true }');
  },
};
