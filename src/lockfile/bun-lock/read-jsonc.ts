import { createScanner, type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { InputError } from '../../core/errors.js';
import { lineColumnAt, MAX_JSON_DEPTH } from '../../core/input.js';

export type JsoncDocument = {
  /** Plain data; objects have a null prototype. */
  value: unknown;
  /** `line` of each key of the top-level object `section`, when asked for. */
  keyLines: Map<string, number>;
};

// jsonc-parser's SyntaxKind is a const enum, which isolatedModules cannot read.
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const EOF = 17;

/**
 * Parses JSON with comments and trailing commas (Bun's bun.lock) into plain data with the checks
 * untrusted input needs: nesting depth, `__proto__` keys, and errors as line:column.
 */
export const readJsonc = (text: string, file: string, section?: string): JsoncDocument => {
  if (text.trim() === '') throw new InputError(file, 'is empty');
  checkDepth(text, file);
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) throw new InputError(file, `invalid JSON: ${describe(first)}`, at(text, first.offset));
  if (!tree) throw new InputError(file, 'holds no JSON value');
  const value = toValue(tree, text, file);
  const keyLines = new Map<string, number>();
  const sectionNode = section === undefined ? undefined : propertyValue(tree, section);
  if (sectionNode?.type === 'object') {
    const lineOf = lineFinder(text);
    for (const property of sectionNode.children ?? []) {
      const key = property.children?.[0];
      if (key && typeof key.value === 'string') keyLines.set(key.value, lineOf(key.offset));
    }
  }
  return { value, keyLines };
};

const checkDepth = (text: string, file: string): void => {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== EOF; token = scanner.scan()) {
    if (token === OPEN_BRACE || token === OPEN_BRACKET) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new InputError(
          file,
          `nesting deeper than ${MAX_JSON_DEPTH} levels`,
          at(text, scanner.getTokenOffset()),
        );
      }
    } else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) depth--;
  }
};

const toValue = (node: Node, text: string, file: string): unknown => {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = Object.create(null);
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || !valueNode) continue;
        const key = String(keyNode.value);
        if (key === '__proto__') {
          throw new InputError(
            file,
            'contains a "__proto__" key, which no valid input has',
            at(text, keyNode.offset),
          );
        }
        out[key] = toValue(valueNode, text, file);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map((child) => toValue(child, text, file));
    default:
      return node.value;
  }
};

/** 1-based line of an offset, by binary search over line starts (one pass over the text). */
const lineFinder = (text: string): ((offset: number) => number) => {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
};

const propertyValue = (tree: Node, key: string): Node | undefined => {
  if (tree.type !== 'object') return undefined;
  for (const property of tree.children ?? []) {
    if (property.children?.[0]?.value === key) return property.children[1];
  }
  return undefined;
};

const at = (text: string, offset: number): string => {
  const { line, column } = lineColumnAt(text, offset);
  return `${line}:${column}`;
};

const describe = (error: ParseError): string => {
  const code = printParseErrorCode(error.error);
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};
