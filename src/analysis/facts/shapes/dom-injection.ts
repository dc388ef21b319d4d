import type { ESTree } from 'meriyah';
import { propertyName } from '../fold.js';
import type { ShapeDetector } from './shape-detector.js';
import { writtenPropertyName } from './written-property.js';

type Node = ESTree.Node;

const INJECTED_TAGS = new Set(['script', 'iframe']);
const CREATE = new Set(['document.createElement', 'document.createElementNS']);
const HTML_SINKS = new Set(['innerHTML', 'outerHTML']);
const HTML_CALLS = new Set(['document.write', 'document.writeln']);
const CALL_METHODS = new Set([
  'createElement',
  'createElementNS',
  'setAttribute',
  'write',
  'writeln',
  'insertAdjacentHTML',
]);
const REMOTE = /^(?:https?:)?\/\/[^/\s]/i;
const HTML_TAG_SRC = /<(script|iframe)\b[^>]{0,200}?\bsrc\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]{1,300})/i;

/**
 * Code put into a page from elsewhere (the Ledger connect-kit and lottie-player drainers):
 * `document.createElement('script'|'iframe')` (shape `dom-create-element`, detail the tag), and a
 * remote URL given to an element's `src` by assignment, `setAttribute('src', …)`, or inside HTML
 * written with `innerHTML`/`insertAdjacentHTML`/`document.write` (shape `dom-src-url`, detail
 * `<tag or src> <url>`). Rules pair them per file.
 */
export const domInjection: ShapeDetector = {
  shapes: ['dom-create-element', 'dom-src-url'],
  types: ['CallExpression', 'AssignmentExpression'],
  detect({ node, resolve, fold, report }) {
    if (node.type === 'AssignmentExpression') {
      if (node.operator !== '=' || node.left.type !== 'MemberExpression') return;
      const property = propertyName(node.left, (n) => fold(n));
      if (property === 'src') {
        const url = fold(node.right as Node)?.value;
        if (url !== undefined && REMOTE.test(url)) report('dom-src-url', `src ${url.slice(0, 200)}`);
      } else if (property !== undefined && HTML_SINKS.has(property)) {
        const html = fold(node.right as Node)?.value;
        const match = html === undefined ? null : HTML_TAG_SRC.exec(html.slice(0, 20_000));
        if (match) report('dom-src-url', `${match[1]?.toLowerCase()} ${match[2]}`);
      }
      return;
    }
    if (node.type !== 'CallExpression') return;
    const callee = node.callee as Node;
    // Cheap test first: this runs for every call in the file.
    if (callee.type !== 'MemberExpression') return;
    const written = writtenPropertyName(callee);
    if (written !== undefined && !CALL_METHODS.has(written)) return;
    const path = resolve(callee);
    const args = node.arguments as Node[];
    if (path !== undefined && CREATE.has(path)) {
      const tag = fold(args[path.endsWith('NS') ? 1 : 0])?.value.toLowerCase();
      if (tag !== undefined && INJECTED_TAGS.has(tag)) report('dom-create-element', tag);
      return;
    }
    const method =
      path !== undefined && HTML_CALLS.has(path) ? 'write' : propertyName(callee, (n) => fold(n));
    if (method === 'setAttribute') {
      if (fold(args[0])?.value.toLowerCase() !== 'src') return;
      const url = fold(args[1])?.value;
      if (url !== undefined && REMOTE.test(url)) report('dom-src-url', `src ${url.slice(0, 200)}`);
    } else if (method === 'write' || method === 'insertAdjacentHTML') {
      const html = fold(args[method === 'write' ? 0 : 1])?.value;
      const match = html === undefined ? null : HTML_TAG_SRC.exec(html.slice(0, 20_000));
      if (match) report('dom-src-url', `${match[1]?.toLowerCase()} ${match[2]}`);
    }
  },
};
