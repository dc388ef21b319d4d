import type { ShapeDetector } from './shape-detector.js';

/** Locales, countries and time zones targeted by protestware and geo-fenced payloads. */
const TARGETS = new Set([
  'ru',
  'RU',
  'ru-RU',
  'ru_RU',
  'by',
  'BY',
  'be-BY',
  'be_BY',
  'Russia',
  'Belarus',
  'Russian Federation',
  'Europe/Moscow',
  'Europe/Minsk',
]);
const EQUALITY = new Set(['===', '==', '!==', '!=']);
/** Substring tests on a lower-cased name: `country.includes('russia')`. */
const LOWER_TARGETS = new Set(['russia', 'belarus', 'ru-ru', 'be-by', 'ru_ru', 'be_by']);
const SEARCHES = new Set(['includes', 'startsWith', 'endsWith', 'indexOf']);

/**
 * `country === 'Russia'`, `locale == 'ru-RU'`, `name.includes('russia')`: a comparison that
 * singles out a country.
 */
export const countryCheck: ShapeDetector = {
  shapes: ['country-check'],
  types: ['BinaryExpression', 'CallExpression'],
  detect({ node, report }) {
    if (node.type === 'CallExpression') {
      const callee = node.callee;
      const arg = node.arguments[0];
      if (
        callee.type === 'MemberExpression' &&
        callee.property.type === 'Identifier' &&
        SEARCHES.has(callee.property.name) &&
        arg?.type === 'Literal' &&
        typeof arg.value === 'string' &&
        LOWER_TARGETS.has(arg.value.toLowerCase())
      )
        report('country-check', `${callee.property.name}('${arg.value}')`);
      return;
    }
    if (node.type !== 'BinaryExpression' || !EQUALITY.has(node.operator)) return;
    for (const side of [node.left, node.right]) {
      if (side.type === 'Literal' && typeof side.value === 'string' && TARGETS.has(side.value)) {
        report('country-check', `compares with '${side.value}'`);
        return;
      }
    }
  },
};
