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

/** `country === 'Russia'`, `locale == 'ru-RU'`: a comparison that singles out a country. */
export const countryCheck: ShapeDetector = {
  shapes: ['country-check'],
  types: ['BinaryExpression'],
  detect({ node, report }) {
    if (node.type !== 'BinaryExpression' || !EQUALITY.has(node.operator)) return;
    for (const side of [node.left, node.right]) {
      if (side.type === 'Literal' && typeof side.value === 'string' && TARGETS.has(side.value)) {
        report('country-check', `compares with '${side.value}'`);
        return;
      }
    }
  },
};
