import type { ESTree } from 'meriyah';
import type { ShapeDetector } from './shape-detector.js';

type Node = ESTree.Node;

const MAX_CASES = 200;

/** `true`, `1`, `!0`, `!![]`: a loop test that is always true. */
const alwaysTrue = (test: Node | null | undefined): boolean => {
  if (!test) return true;
  if (test.type === 'Literal') return test.value === true || test.value === 1;
  if (test.type === 'UnaryExpression' && test.operator === '!') {
    const argument = test.argument as Node;
    if (argument.type === 'Literal') return argument.value === 0 || argument.value === false;
    if (argument.type === 'UnaryExpression' && argument.operator === '!')
      return argument.argument.type === 'ArrayExpression' || argument.argument.type === 'ObjectExpression';
  }
  return false;
};

/** `order[i++]`: the next step of a dispatcher order string (`'3|1|0|2'.split('|')`). */
const stepsThroughOrder = (discriminant: Node): boolean =>
  discriminant.type === 'MemberExpression' &&
  discriminant.computed &&
  discriminant.property.type === 'UpdateExpression' &&
  discriminant.property.operator === '++';

const isStepLabel = (test: Node | null): boolean =>
  test?.type === 'Literal' &&
  ((typeof test.value === 'string' && /^\d{1,3}$/.test(test.value)) || typeof test.value === 'number');

/**
 * Control-flow flattening (javascript-obfuscator's `controlFlowFlattening`): straight-line code cut
 * into numbered cases run by an endless loop over a shuffled order string,
 * `while (!![]) { switch (order[i++]) { case '0': …; continue; case '1': …; continue; } break; }`.
 * A tokenizer's `switch (text[pos++])` has character cases and falls through; every case here is a
 * number and ends in `continue`. Shape `control-flow-flattening`; detail: the case count.
 */
export const controlFlowFlattening: ShapeDetector = {
  shapes: ['control-flow-flattening'],
  types: ['WhileStatement', 'ForStatement', 'DoWhileStatement'],
  detect({ node, report }) {
    if (node.type !== 'WhileStatement' && node.type !== 'ForStatement' && node.type !== 'DoWhileStatement')
      return;
    if (!alwaysTrue(node.test as Node | null)) return;
    const body = node.body as Node;
    const statements = body.type === 'BlockStatement' ? body.body.slice(0, 3) : [body];
    const dispatcher = statements.find((s): s is ESTree.SwitchStatement => s.type === 'SwitchStatement');
    if (!dispatcher || !stepsThroughOrder(dispatcher.discriminant as Node)) return;
    const cases = dispatcher.cases;
    if (cases.length < 3 || cases.length > MAX_CASES) return;
    for (const c of cases) {
      if (!isStepLabel(c.test as Node | null)) return;
      const last = c.consequent[c.consequent.length - 1];
      if (last?.type !== 'ContinueStatement' && last?.type !== 'ReturnStatement') return;
    }
    report(
      'control-flow-flattening',
      `${cases.length} numbered cases dispatched by order[i++] in an endless loop`,
    );
  },
};
