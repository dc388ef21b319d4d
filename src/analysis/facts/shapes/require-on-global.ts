import type { ESTree } from 'meriyah';
import { propertyName } from '../fold.js';
import type { ShapeDetector } from './shape-detector.js';

type Node = ESTree.Node;

const REQUIRE_PATHS = new Set(['require', 'module.require', 'process.mainModule.require']);

/**
 * `global['r'] = require` (coa/rc, @0xengine/xmlrpc): `require` stored on the global object, so that
 * later `r('child_process')` in another file does not read as an import. Shape `require-on-global`;
 * detail: `global.<name> = require`.
 */
export const requireOnGlobal: ShapeDetector = {
  shapes: ['require-on-global'],
  types: ['AssignmentExpression'],
  detect({ node, resolve, fold, report }) {
    if (node.type !== 'AssignmentExpression' || node.operator !== '=') return;
    const left = node.left as Node;
    if (left.type !== 'MemberExpression' || resolve(left.object as Node) !== 'global') return;
    const right = node.right as Node;
    // Only the function itself: `global.x = require('x')` stores a module, not the loader.
    if (right.type === 'CallExpression') return;
    const target = resolve(right);
    if (target === undefined || !REQUIRE_PATHS.has(target)) return;
    const name = propertyName(left, (n) => fold(n));
    if (name !== undefined) report('require-on-global', `global.${name} = ${target}`);
  },
};
