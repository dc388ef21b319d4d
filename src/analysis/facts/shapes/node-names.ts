import type { ESTree } from 'meriyah';

/** The static name of a property key (`a`, `'a'`, `["a"]` literal), if it has one. */
export const keyName = (property: ESTree.Property): string | undefined => {
  const key = property.key as ESTree.Node;
  if (!property.computed && key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  return undefined;
};

const PASS_THROUGH_METHODS = new Set([
  'toString',
  'join',
  'slice',
  'trim',
  'toLowerCase',
  'toUpperCase',
  'split',
]);
const ENCODER =
  /^(?:Buffer\.from|JSON\.stringify|String|encodeURIComponent|btoa|(?:\w+\.)?(?:encode|toHex|hexlify|toBase58|toBase64))$/;

const dotted = (node: ESTree.Node): string | undefined => {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') {
    const object = node.object as ESTree.Node;
    return object.type === 'Identifier' ? `${object.name}.${node.property.name}` : node.property.name;
  }
  return undefined;
};

/**
 * The first name `wanted` accepts whose VALUE an expression carries: the name itself, inside
 * object and array literals, templates and `+`, and through encodings (`Buffer.from(k).toString('hex')`,
 * `JSON.stringify`, `encodeURIComponent`, `bs58.encode`). A value passed to any other function
 * (`sign(privateKey)`) is transformed, not carried. With `initOf`, a local name is read through
 * the value it was given (`const config = { headers: { k: seed } }; fetch(url, config)`), at
 * most 8 names, each once. At most `budget` nodes, `maxDepth` deep (a followed name is no level).
 */
export const carriedName = (
  node: ESTree.Node | null | undefined,
  wanted: (name: string) => boolean,
  maxDepth = 5,
  budget = 32,
  initOf?: (name: string) => ESTree.Node | undefined,
): string | undefined => {
  const stack: [ESTree.Node, number][] = node ? [[node, 0]] : [];
  const followed = new Set<string>();
  let visited = 0;
  while (stack.length > 0 && visited < budget) {
    const [current, depth] = stack.pop() as [ESTree.Node, number];
    visited++;
    const push = (child: ESTree.Node | null | undefined) => {
      if (child && depth < maxDepth) stack.push([child, depth + 1]);
    };
    switch (current.type) {
      case 'Identifier':
        if (wanted(current.name)) return current.name;
        if (initOf && !followed.has(current.name) && followed.size < 8) {
          followed.add(current.name);
          const init = initOf(current.name);
          if (init) stack.push([init, depth]);
        }
        break;
      case 'MemberExpression':
        if (!current.computed && current.property.type === 'Identifier' && wanted(current.property.name))
          return current.property.name;
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
      case 'LogicalExpression':
        push(current.left as ESTree.Node);
        push(current.right as ESTree.Node);
        break;
      case 'ConditionalExpression':
        push(current.consequent as ESTree.Node);
        push(current.alternate as ESTree.Node);
        break;
      case 'SpreadElement':
      case 'AwaitExpression':
        push(current.argument as ESTree.Node);
        break;
      case 'CallExpression':
      case 'NewExpression': {
        const callee = current.callee as ESTree.Node;
        if (
          callee.type === 'MemberExpression' &&
          !callee.computed &&
          callee.property.type === 'Identifier' &&
          PASS_THROUGH_METHODS.has(callee.property.name)
        ) {
          push(callee.object as ESTree.Node);
          break;
        }
        const name = dotted(callee);
        if (name !== undefined && ENCODER.test(name))
          for (const a of current.arguments) push(a as ESTree.Node);
        break;
      }
      default:
        break;
    }
  }
  return undefined;
};
