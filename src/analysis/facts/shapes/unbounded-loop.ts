import type { ESTree } from 'meriyah';
import type { ShapeContext, ShapeDetector } from './shape-detector.js';

type Node = ESTree.Node;

/** Nodes of a loop body looked at for a way out; a bigger body is assumed to have one. */
const BODY_BUDGET = 300;
const SKIP = new Set(['type', 'start', 'end', 'range', 'loc', 'raw', 'regex']);
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** `for(;;)`, `while(true)`, `while(1)`, `while(!0)`, `i < Infinity`: a test that never fails. */
const endless = (test: Node | null | undefined): 'constant' | 'infinity' | undefined => {
  if (!test) return 'constant';
  if (test.type === 'Literal') return test.value === true || test.value === 1 ? 'constant' : undefined;
  if (test.type === 'UnaryExpression' && test.operator === '!')
    return test.argument.type === 'Literal' && test.argument.value === 0 ? 'constant' : undefined;
  if (
    test.type === 'BinaryExpression' &&
    (test.operator === '<' || test.operator === '<=') &&
    test.right.type === 'Identifier' &&
    test.right.name === 'Infinity'
  )
    return 'infinity';
  return undefined;
};

/**
 * Whether a loop body can end the loop or give the thread back: break, return, throw, await,
 * yield, process.exit. Bounded walk; nested functions are skipped (their exits are their own).
 */
const hasExit = (body: Node, ctx: ShapeContext): boolean => {
  const stack: Node[] = [body];
  let seen = 0;
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (++seen > BODY_BUDGET) return true;
    switch (node.type) {
      case 'BreakStatement':
      case 'ReturnStatement':
      case 'ThrowStatement':
      case 'AwaitExpression':
      case 'YieldExpression':
        return true;
      case 'CallExpression': {
        const callee = ctx.resolve(node.callee as Node);
        if (callee === 'process.exit' || callee === 'process.abort') return true;
        break;
      }
      default:
        if (FUNCTIONS.has(node.type)) continue;
    }
    const record = node as unknown as Record<string, unknown>;
    for (const key in record) {
      if (SKIP.has(key)) continue;
      const value = record[key];
      if (Array.isArray(value)) {
        for (const item of value)
          if (item && typeof item === 'object' && 'type' in item) stack.push(item as Node);
      } else if (value && typeof value === 'object' && 'type' in value) stack.push(value as Node);
    }
  }
  return false;
};

/**
 * A loop with no way out that runs when the module loads (colors 1.4.44-liberty-2's
 * `for (let i = 666; i < Infinity; i++)`), or an `i < Infinity` loop anywhere: the process hangs or
 * burns CPU forever. Loops inside functions with a constant test are ordinary event/worker loops
 * and are not reported.
 */
export const unboundedLoop: ShapeDetector = {
  shapes: ['unbounded-loop'],
  types: ['ForStatement', 'WhileStatement', 'DoWhileStatement'],
  detect(ctx) {
    const { node, functionDepth, report } = ctx;
    if (node.type !== 'ForStatement' && node.type !== 'WhileStatement' && node.type !== 'DoWhileStatement')
      return;
    const kind = endless(node.test as Node | null);
    if (kind === undefined || (kind === 'constant' && functionDepth > 0)) return;
    if (hasExit(node.body as Node, ctx)) return;
    const where = functionDepth === 0 ? 'at module top level' : 'in a function';
    report(
      'unbounded-loop',
      `${kind === 'infinity' ? 'counts to Infinity' : 'endless loop'} ${where}, no exit`,
    );
  },
};
