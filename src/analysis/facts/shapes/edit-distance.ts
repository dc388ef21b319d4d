import type { ESTree } from 'meriyah';
import type { ShapeDetector } from './shape-detector.js';
import { writtenPropertyName } from './written-property.js';

type Node = ESTree.Node;

const plusOne = (node: Node): boolean =>
  node.type === 'BinaryExpression' &&
  node.operator === '+' &&
  ((node.right.type === 'Literal' && node.right.value === 1) ||
    (node.left.type === 'Literal' && node.left.value === 1));

/**
 * The step of a Levenshtein (edit-distance) table, `Math.min(d[i-1][j] + 1, d[i][j-1] + 1,
 * d[i-1][j-1] + cost)`: how a clipper picks, from its swap list, the attacker address that looks
 * most like the victim's. Common in "did you mean" code too; rules use it only beside wallet
 * addresses. Shape `edit-distance`.
 */
export const editDistance: ShapeDetector = {
  shapes: ['edit-distance'],
  types: ['CallExpression'],
  detect({ node, resolve, report }) {
    if (node.type !== 'CallExpression' || node.arguments.length !== 3) return;
    if (writtenPropertyName(node.callee as Node) !== 'min' || resolve(node.callee as Node) !== 'Math.min')
      return;
    const increments = (node.arguments as Node[]).filter(plusOne).length;
    if (increments >= 2) report('edit-distance', 'Math.min(… + 1, … + 1, … + cost)');
  },
};
