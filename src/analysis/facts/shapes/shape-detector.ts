import type { ESTree } from 'meriyah';
import type { Folded } from '../fold.js';

/**
 * A shape detector looks at nodes of a few types during the one AST walk and reports code shapes
 * (`kind: 'shape'` facts) that calls and strings do not capture. Detectors never walk the tree
 * themselves: the walker hands them each node of the types they name, with its parent.
 */
export type ShapeContext = {
  node: ESTree.Node;
  parent: ESTree.Node | undefined;
  /** Functions enclosing the node (0 = module top level). */
  functionDepth: number;
  /** The dotted API path an expression resolves to through aliases (`child_process.spawn`, `global.fetch`). */
  resolve: (node: ESTree.Node | null | undefined) => string | undefined;
  /** The constant string an expression folds to (concatenation, decoding), if any. */
  fold: (node: ESTree.Node | null | undefined) => Folded | undefined;
  /**
   * What a local name was last given (`const config = { headers: { k: seed } }`) before this node,
   * in the innermost function declaring it, so an options object held in a variable reads like an
   * inline one. Undefined for parameters, imports and names not yet given a value.
   */
  initOf: (name: string) => ESTree.Node | undefined;
  /** Records a shape at the node's start (or `at`, a source offset). */
  report: (shape: string, detail: string, at?: number) => void;
};

export type ShapeDetector = {
  /** The shape names this detector reports (documentation, and a test that they are unique). */
  shapes: readonly string[];
  /** ESTree node types the detector is called for. */
  types: readonly ESTree.Node['type'][];
  detect: (ctx: ShapeContext) => void;
};

/** The number a node is, when it is a numeric literal or a product/sum of them (`12*60*60*1000`). */
export const numericValue = (node: ESTree.Node | null | undefined, depth = 0): number | undefined => {
  if (!node || depth > 16) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'number') return node.value;
  if (node.type === 'BinaryExpression') {
    const left = numericValue(node.left as ESTree.Node, depth + 1);
    const right = numericValue(node.right as ESTree.Node, depth + 1);
    if (left === undefined || right === undefined) return undefined;
    switch (node.operator) {
      case '*':
        return left * right;
      case '+':
        return left + right;
      case '-':
        return left - right;
      default:
        return undefined;
    }
  }
  return undefined;
};
