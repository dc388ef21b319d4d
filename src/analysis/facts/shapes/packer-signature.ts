import type { ShapeDetector } from './shape-detector.js';

/**
 * Dean Edwards' packer, still the most copied JavaScript packer:
 * `eval(function(p,a,c,k,e,d){…}('<packed>',62,…,'|'.split('|'),0,{}))`. Its unpacking function
 * is recognised by its parameter names, which no other code spells out. Shape `packer-signature`.
 */
export const packerSignature: ShapeDetector = {
  shapes: ['packer-signature'],
  types: ['FunctionExpression'],
  detect({ node, report }) {
    if (node.type !== 'FunctionExpression' || node.params.length !== 6) return;
    let names = '';
    for (const param of node.params) {
      if (param.type !== 'Identifier' || param.name.length !== 1) return;
      names += param.name;
    }
    if (names === 'packed' || names === 'packer')
      report('packer-signature', `function(${names.split('').join(',')})`);
  },
};
