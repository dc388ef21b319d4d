import type { ESTree } from 'meriyah';
import { propertyName } from '../fold.js';
import type { ShapeDetector } from './shape-detector.js';

type Node = ESTree.Node;

const HOOKS = new Set(['preinstall', 'install', 'postinstall']);

/**
 * `pkg.scripts.postinstall = 'node bundle.js'`: an install hook written into a manifest object, the
 * step where a worm turns each of the victim's packages into a carrier (Shai-Hulud). Shape
 * `install-hook-injection`; detail: the hook and, when constant, its command.
 */
export const installHookInjection: ShapeDetector = {
  shapes: ['install-hook-injection'],
  types: ['AssignmentExpression'],
  detect({ node, fold, report }) {
    if (node.type !== 'AssignmentExpression' || node.operator !== '=') return;
    const left = node.left as Node;
    if (left.type !== 'MemberExpression' || left.object.type !== 'MemberExpression') return;
    const hook = propertyName(left, (n) => fold(n));
    if (hook === undefined || !HOOKS.has(hook)) return;
    if (propertyName(left.object, (n) => fold(n)) !== 'scripts') return;
    const command = fold(node.right as Node)?.value;
    report(
      'install-hook-injection',
      `scripts.${hook}${command === undefined ? '' : ` = ${command.slice(0, 80)}`}`,
    );
  },
};
