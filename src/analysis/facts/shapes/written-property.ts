import type { ESTree } from 'meriyah';
/**
 * A member expression's property name when it is written out (`a.b`, `a['b']`), else undefined.
 * Detectors called for every call use it to skip calls cheaply before resolving anything.
 */
export const writtenPropertyName = (node: ESTree.Node): string | undefined => {
  if (node.type !== 'MemberExpression') return undefined;
  const property = node.property as ESTree.Node;
  if (!node.computed) return property.type === 'Identifier' ? property.name : undefined;
  return property.type === 'Literal' && typeof property.value === 'string' ? property.value : undefined;
};
