import type { ESTree } from 'meriyah';
import type { ShapeDetector } from './shape-detector.js';

type Node = ESTree.Node;

const MODULE_PATHS = new Set([
  'module.paths.push',
  'module.paths.unshift',
  'module.globalPaths.push',
  'module.globalPaths.unshift',
  'Module.globalPaths.push',
  'Module.globalPaths.unshift',
]);
const PATH_KEYS = new Set(['process.env.PATH', 'process.env.Path', 'process.env.NODE_PATH']);

/** The left-most operand of a `+` chain or the first part of a template literal. */
const leading = (node: Node): Node | undefined => {
  let current = node;
  for (let i = 0; i < 16; i++) {
    if (current.type === 'BinaryExpression' && current.operator === '+') current = current.left as Node;
    else if (current.type === 'TemplateLiteral') {
      const text = current.quasis[0]?.value.cooked ?? '';
      return text !== '' ? current.quasis[0] : (current.expressions[0] as Node | undefined);
    } else return current;
  }
  return undefined;
};

/**
 * Where Node or the shell looks for code, extended by the package: `module.paths.push(dir)`,
 * `process.env.PATH = dir + ':' + process.env.PATH` (prepend: the new dir wins over system tools).
 * The detail carries the added directory when it folds to a constant.
 */
export const loadPathHijack: ShapeDetector = {
  shapes: ['module-path-add', 'path-prepend'],
  types: ['CallExpression', 'AssignmentExpression'],
  detect({ node, resolve, fold, report }) {
    if (node.type === 'CallExpression') {
      const callee = resolve(node.callee as Node);
      if (callee === undefined || !MODULE_PATHS.has(callee)) return;
      const dir = fold(node.arguments[0] as Node)?.value ?? '?';
      report('module-path-add', `${callee.split('.').slice(-2).join('.')}(${dir.slice(0, 120)})`);
      return;
    }
    if (node.type !== 'AssignmentExpression' || node.operator !== '=') return;
    const key = resolve(node.left as Node);
    if (key === undefined || !PATH_KEYS.has(key)) return;
    const first = leading(node.right as Node);
    if (!first || first.type === 'TemplateElement') {
      const dir = first?.type === 'TemplateElement' ? (first.value.cooked ?? '') : '';
      if (dir !== '') report('path-prepend', `${key.slice(12)} prepends ${dir.slice(0, 120)}`);
      return;
    }
    if (resolve(first) === key) return; // appends: system dirs still win
    const dir = fold(first)?.value ?? fold(node.right as Node)?.value ?? '?';
    report('path-prepend', `${key.slice(12)} prepends ${dir.slice(0, 120)}`);
  },
};
