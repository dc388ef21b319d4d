import type { ESTree } from 'meriyah';
import type { ShapeDetector } from './shape-detector.js';

const ENCODINGS = new Set(['hex', 'base64', 'base64url', 'base32']);
const ENCODER_NAME = /base32|base64|hex|encode/i;

/** An encoding call inside the host name: `.toString('hex')`, `base32.encode(x)`, `toHex(x)`. */
const encodes = (node: ESTree.Node, depth: number): boolean => {
  if (depth > 4) return false;
  switch (node.type) {
    case 'CallExpression': {
      const callee = node.callee as ESTree.Node;
      if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') {
        const method = callee.property.name;
        const first = node.arguments[0];
        if (method === 'toString' && first?.type === 'Literal' && ENCODINGS.has(String(first.value)))
          return true;
        if (
          ENCODER_NAME.test(method) ||
          (callee.object.type === 'Identifier' && /base32|hex/i.test(callee.object.name))
        )
          return true;
        return encodes(callee.object as ESTree.Node, depth + 1);
      }
      return callee.type === 'Identifier' && ENCODER_NAME.test(callee.name);
    }
    case 'TemplateLiteral':
      return node.expressions.slice(0, 8).some((e) => encodes(e as ESTree.Node, depth + 1));
    case 'BinaryExpression':
      return encodes(node.left as ESTree.Node, depth + 1) || encodes(node.right as ESTree.Node, depth + 1);
    default:
      return false;
  }
};

/** `dns.lookup(`${Buffer.from(data).toString('hex')}.x.example`)`: data leaving as DNS labels. */
export const dnsEncodedLabel: ShapeDetector = {
  shapes: ['dns-encoded-label'],
  types: ['CallExpression'],
  detect({ node, resolve, report }) {
    if (node.type !== 'CallExpression' || node.arguments.length === 0) return;
    const host = node.arguments[0] as ESTree.Node;
    if (host.type !== 'TemplateLiteral' && host.type !== 'BinaryExpression') return;
    const callee = resolve(node.callee as ESTree.Node);
    if (callee === undefined || !/^dns\.(?:promises\.)?(?:lookup|resolve\w*)$/.test(callee)) return;
    if (encodes(host, 0)) report('dns-encoded-label', `${callee} of a host name built from encoded data`);
  },
};
