import type { ESTree } from 'meriyah';

/** The static name of a property key (`a`, `'a'`, `["a"]` literal), if it has one. */
export const keyName = (property: ESTree.Property): string | undefined => {
  const key = property.key as ESTree.Node;
  if (!property.computed && key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  return undefined;
};

/**
 * Identifier and member names inside an expression, visiting at most `budget` nodes no deeper than
 * `maxDepth`: object values, array items, template parts, `+` operands, call arguments and the
 * object a method is called on (`Buffer.from(key).toString('hex')` yields `key`).
 */
export const namesWithin = (node: ESTree.Node | null | undefined, maxDepth = 4, budget = 32): string[] => {
  const names: string[] = [];
  const stack: [ESTree.Node, number][] = node ? [[node, 0]] : [];
  let visited = 0;
  while (stack.length > 0 && visited < budget) {
    const [current, depth] = stack.pop() as [ESTree.Node, number];
    visited++;
    const push = (child: ESTree.Node | null | undefined) => {
      if (child && depth < maxDepth) stack.push([child, depth + 1]);
    };
    switch (current.type) {
      case 'Identifier':
        names.push(current.name);
        break;
      case 'MemberExpression':
        if (!current.computed && current.property.type === 'Identifier') names.push(current.property.name);
        push(current.object as ESTree.Node);
        break;
      case 'ObjectExpression':
        for (const p of current.properties) {
          if (p.type === 'Property') push(p.value as ESTree.Node);
          else if (p.type === 'SpreadElement') push(p.argument as ESTree.Node);
        }
        break;
      case 'ArrayExpression':
        for (const e of current.elements) push(e as ESTree.Node | null);
        break;
      case 'TemplateLiteral':
        for (const e of current.expressions) push(e as ESTree.Node);
        break;
      case 'BinaryExpression':
        push(current.left as ESTree.Node);
        push(current.right as ESTree.Node);
        break;
      case 'CallExpression':
      case 'NewExpression':
        for (const a of current.arguments) push(a as ESTree.Node);
        if (current.callee.type === 'MemberExpression') push(current.callee.object as ESTree.Node);
        break;
      case 'SpreadElement':
      case 'AwaitExpression':
        push(current.argument as ESTree.Node);
        break;
      case 'ConditionalExpression':
        push(current.consequent as ESTree.Node);
        push(current.alternate as ESTree.Node);
        break;
      case 'LogicalExpression':
        push(current.left as ESTree.Node);
        push(current.right as ESTree.Node);
        break;
      default:
        break;
    }
  }
  return names;
};
