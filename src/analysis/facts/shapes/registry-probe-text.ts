import type { ShapeDetector } from './shape-detector.js';

const PROBE =
  /\/-\/whoami\b|\/-\/v1\/search\?\S{0,80}?\bmaintainer:|\bnpm\s+(?:whoami|pack|version\s+(?:patch|minor|major|prerelease))\b/;
const LONGEST = 2000;

/**
 * Registry paths and npm commands of a worm's propagation prelude written in string literals or
 * template text: `${registry}/-/whoami`, `/-/v1/search?text=maintainer:${user}`, `npm version
 * patch`. Template parts that do not fold to one constant leave no URL or command fact, so this
 * shape keeps them. Shape `registry-probe-text`; detail: the matched text.
 */
export const registryProbeText: ShapeDetector = {
  shapes: ['registry-probe-text'],
  types: ['Literal', 'TemplateElement'],
  detect({ node, report }) {
    let text: string | undefined;
    if (node.type === 'Literal' && typeof node.value === 'string') text = node.value;
    else if (node.type === 'TemplateElement') text = node.value.cooked ?? node.value.raw;
    if (text === undefined || text.length < 8 || (!text.includes('/-/') && !text.includes('npm'))) return;
    const match = PROBE.exec(text.length > LONGEST ? text.slice(0, LONGEST) : text);
    if (match) report('registry-probe-text', match[0]);
  },
};
