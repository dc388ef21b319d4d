import type { ESTree } from 'meriyah';

/**
 * Constant folding of the string-building tricks malware uses to hide names and payloads:
 * concatenation, template literals, `String.fromCharCode`, `Buffer.from(x, 'base64'|'hex')`,
 * `atob`, `.split('').reverse().join('')`, `[...].join()`, constants held in variables,
 * and `path.join(os.homedir(), '.ssh')` (home written as `~`). Memoised per node, and iterative
 * along `+` chains, so a 1M-term `a+a+…` folds in linear time without deep recursion.
 */

export type DecodedFrom = 'concat' | 'hex' | 'unicode' | 'base64' | 'charcode' | 'reverse';
export type Folded = { value: string; from?: DecodedFrom };

export type FoldContext = {
  text: string;
  /** The constant string a variable holds, when it is one. */
  constant: (name: string) => Folded | undefined;
  /** The dotted API path an expression resolves to (`os.homedir`, `Buffer.from`), if known. */
  resolve: (node: ESTree.Node) => string | undefined;
};

/** Longest folded value kept; longer results are not folded (bounded memory). */
export const MAX_FOLDED = 256 * 1024;
const MAX_DEPTH = 64;

export type Folder = (node: ESTree.Node | null | undefined) => Folded | undefined;

export const createFolder = (ctx: FoldContext): Folder => {
  const memo = new Map<ESTree.Node, Folded | null>();

  const fold = (node: ESTree.Node | null | undefined, depth = 0): Folded | undefined => {
    if (!node) return undefined;
    switch (node.type) {
      // Literals and names are cheaper to fold again than to memoise.
      case 'Literal':
        return foldOne(node, depth);
      case 'Identifier':
        return depth > MAX_DEPTH ? undefined : ctx.constant(node.name);
      case 'BinaryExpression':
        if (node.operator !== '+') return undefined;
        break;
      case 'TemplateLiteral':
      case 'ParenthesizedExpression':
      case 'SequenceExpression':
      case 'CallExpression':
        break;
      // Nothing else folds (foldOne's default): no memo entry for every member expression.
      default:
        return undefined;
    }
    const cached = memo.get(node);
    if (cached !== undefined) return cached ?? undefined;
    if (depth > MAX_DEPTH) return undefined;
    let result: Folded | undefined;
    if (node.type === 'BinaryExpression' && node.operator === '+') result = foldPlusChain(node, depth);
    else result = foldOne(node, depth);
    if (result && result.value.length > MAX_FOLDED) result = undefined;
    memo.set(node, result ?? null);
    return result;
  };

  // Walks down the left spine of `a + b + c …` and folds bottom-up, memoising each level.
  const foldPlusChain = (top: ESTree.BinaryExpression, depth: number): Folded | undefined => {
    const spine: ESTree.BinaryExpression[] = [];
    let node: ESTree.Node = top;
    while (node.type === 'BinaryExpression' && node.operator === '+' && !memo.has(node)) {
      spine.push(node);
      node = node.left as ESTree.Node;
    }
    let acc: Folded | undefined = fold(node, depth + 1);
    for (let i = spine.length - 1; i >= 0; i--) {
      const level = spine[i] as ESTree.BinaryExpression;
      const right = acc ? fold(level.right, depth + 1) : undefined;
      acc =
        acc && right && acc.value.length + right.value.length <= MAX_FOLDED
          ? { value: acc.value + right.value, from: combine(acc, right) }
          : undefined;
      memo.set(level, acc ?? null);
    }
    return acc;
  };

  const foldOne = (node: ESTree.Node, depth: number): Folded | undefined => {
    switch (node.type) {
      case 'Literal': {
        if (typeof node.value === 'string') return literal(node, node.value);
        if (typeof node.value === 'number' && Number.isFinite(node.value))
          return { value: String(node.value) };
        return undefined;
      }
      case 'TemplateLiteral': {
        let value = node.quasis[0]?.value.cooked ?? '';
        if (typeof value !== 'string') return undefined;
        let from: DecodedFrom | undefined = escapeKind(ctx.text, node.start, node.end);
        for (let i = 0; i < node.expressions.length; i++) {
          const part = fold(node.expressions[i] as ESTree.Node, depth + 1);
          const quasi = node.quasis[i + 1]?.value.cooked;
          if (!part || typeof quasi !== 'string') return undefined;
          value += part.value + quasi;
          from = strongest(from, part.from ?? 'concat');
          if (value.length > MAX_FOLDED) return undefined;
        }
        return from ? { value, from } : { value };
      }
      case 'Identifier':
        return ctx.constant(node.name);
      case 'ParenthesizedExpression':
        return fold(node.expression, depth + 1);
      case 'SequenceExpression':
        return fold(node.expressions[node.expressions.length - 1], depth + 1);
      case 'CallExpression':
        return foldCall(node, depth);
      case 'ArrayExpression':
        return undefined;
      default:
        return undefined;
    }
  };

  const foldCall = (node: ESTree.CallExpression, depth: number): Folded | undefined => {
    const callee = node.callee as ESTree.Node;
    const args = node.arguments as ESTree.Node[];
    const api = ctx.resolve(callee);
    if (api === 'String.fromCharCode' || api === 'String.fromCodePoint') {
      const codes = numbers(
        args.length === 1 && args[0]?.type === 'SpreadElement' ? args[0].argument : undefined,
        args,
      );
      if (!codes) return undefined;
      try {
        return {
          value:
            api === 'String.fromCharCode' ? String.fromCharCode(...codes) : String.fromCodePoint(...codes),
          from: 'charcode',
        };
      } catch {
        return undefined;
      }
    }
    if (api === 'atob') {
      const input = fold(args[0], depth + 1);
      return input ? decodeBase64(input.value) : undefined;
    }
    if (api === 'os.homedir') return { value: '~' };
    if (
      api === 'path.join' ||
      api === 'path.resolve' ||
      api === 'path.posix.join' ||
      api === 'path.win32.join'
    ) {
      const parts = args.map((arg) => fold(arg, depth + 1));
      if (parts.length === 0 || parts.every((p) => p === undefined)) return undefined;
      const value = parts
        .map((p) => p?.value ?? '*')
        .join('/')
        .replace(/\/{2,}/g, '/');
      const from = parts.reduce<DecodedFrom | undefined>((acc, p) => strongest(acc, p?.from), undefined);
      return from ? { value, from } : { value };
    }
    if (callee.type !== 'MemberExpression') return undefined;
    const method = propertyName(callee, (n) => fold(n, depth + 1));
    const object = callee.object as ESTree.Node;
    switch (method) {
      case 'toString': {
        // Buffer.from(x, enc).toString([enc])
        if (object.type === 'CallExpression' && ctx.resolve(object.callee as ESTree.Node) === 'Buffer.from') {
          const source = fold(object.arguments[0] as ESTree.Node, depth + 1);
          const encoding = fold(object.arguments[1] as ESTree.Node, depth + 1)?.value ?? 'utf8';
          if (!source) return undefined;
          const target = fold(args[0], depth + 1)?.value ?? 'utf8';
          if (!/^(?:utf-?8|latin1|binary|ascii)$/i.test(target)) return undefined;
          if (encoding === 'base64' || encoding === 'base64url') return decodeBase64(source.value);
          if (encoding === 'hex') {
            if (!/^(?:[0-9a-f]{2})*$/i.test(source.value)) return undefined;
            return { value: Buffer.from(source.value, 'hex').toString('utf8'), from: 'hex' };
          }
          return source;
        }
        return fold(object, depth + 1);
      }
      case 'join': {
        const separator = args.length === 0 ? { value: ',' } : fold(args[0], depth + 1);
        if (!separator) return undefined;
        if (object.type === 'ArrayExpression') {
          const parts: string[] = [];
          let from: DecodedFrom | undefined = 'concat';
          for (const element of object.elements) {
            const part = fold(element as ESTree.Node | null, depth + 1);
            if (!part) return undefined;
            parts.push(part.value);
            from = strongest(from, part.from);
          }
          return { value: parts.join(separator.value), from };
        }
        // x.split('').reverse().join('')
        if (object.type === 'CallExpression' && object.callee.type === 'MemberExpression') {
          if (propertyName(object.callee, (n) => fold(n, depth + 1)) !== 'reverse') return undefined;
          const split = object.callee.object as ESTree.Node;
          if (split.type !== 'CallExpression' || split.callee.type !== 'MemberExpression') return undefined;
          if (propertyName(split.callee, (n) => fold(n, depth + 1)) !== 'split') return undefined;
          const source = fold(split.callee.object as ESTree.Node, depth + 1);
          const by = fold(split.arguments[0] as ESTree.Node, depth + 1);
          if (!source || !by) return undefined;
          return { value: source.value.split(by.value).reverse().join(separator.value), from: 'reverse' };
        }
        return undefined;
      }
      case 'concat': {
        const base = fold(object, depth + 1);
        if (!base) return undefined;
        let value = base.value;
        for (const arg of args) {
          const part = fold(arg, depth + 1);
          if (!part) return undefined;
          value += part.value;
        }
        return { value, from: 'concat' };
      }
      case 'toLowerCase':
      case 'toUpperCase':
      case 'trim': {
        const base = fold(object, depth + 1);
        if (!base) return undefined;
        const value =
          method === 'trim'
            ? base.value.trim()
            : method === 'toLowerCase'
              ? base.value.toLowerCase()
              : base.value.toUpperCase();
        return { value, from: base.from ?? 'concat' };
      }
      default:
        return undefined;
    }
  };

  const literal = (node: ESTree.Node, value: string): Folded => {
    const from = escapeKind(ctx.text, node.start, node.end);
    return from ? { value, from } : { value };
  };

  const numbers = (spread: ESTree.Node | undefined, args: ESTree.Node[]): number[] | undefined => {
    const list = spread?.type === 'ArrayExpression' ? (spread.elements as (ESTree.Node | null)[]) : args;
    if (list.length > 100_000) return undefined;
    const out: number[] = [];
    for (const element of list) {
      const n = numberOf(element);
      if (n === undefined) return undefined;
      out.push(n);
    }
    return out;
  };

  return (node) => fold(node);
};

const numberOf = (node: ESTree.Node | null): number | undefined => {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'number') return node.value;
  if (node.type === 'UnaryExpression' && node.operator === '-' && node.argument.type === 'Literal') {
    return typeof node.argument.value === 'number' ? -node.argument.value : undefined;
  }
  return undefined;
};

/** The property name of `a.b` or `a['b']` (folded), or undefined. */
export const propertyName = (
  node: ESTree.MemberExpression,
  fold: (node: ESTree.Node) => Folded | undefined,
): string | undefined => {
  const property = node.property as ESTree.Node;
  if (!node.computed) return property.type === 'Identifier' ? property.name : undefined;
  return fold(property)?.value;
};

const decodeBase64 = (input: string): Folded | undefined => {
  const compact = input.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) return undefined;
  return { value: Buffer.from(compact, 'base64').toString('utf8'), from: 'base64' };
};

const RANK: Record<DecodedFrom, number> = {
  concat: 1,
  unicode: 2,
  hex: 3,
  reverse: 4,
  charcode: 5,
  base64: 6,
};

const strongest = (a: DecodedFrom | undefined, b: DecodedFrom | undefined): DecodedFrom | undefined => {
  if (!a) return b;
  if (!b) return a;
  return RANK[a] >= RANK[b] ? a : b;
};

const combine = (a: Folded, b: Folded): DecodedFrom =>
  strongest(strongest(a.from, b.from), 'concat') ?? 'concat';

/** `hex` or `unicode` when the literal's source spells characters as `\x..` or `\u....` escapes. */
export const escapeKind = (
  text: string,
  start: number | undefined,
  end: number | undefined,
): DecodedFrom | undefined => {
  if (start === undefined || end === undefined || end - start > 4096) {
    if (start === undefined || end === undefined) return undefined;
    const head = text.slice(start, start + 4096);
    return head.includes('\\x') ? 'hex' : head.includes('\\u') ? 'unicode' : undefined;
  }
  const raw = text.slice(start, end);
  if (!raw.includes('\\')) return undefined;
  // An escape starts after an even number of backslashes: `'\\x41'` spells a backslash, not A.
  if (/(?<!\\)(?:\\\\)*\\x[0-9a-fA-F]{2}/.test(raw)) return 'hex';
  if (/(?<!\\)(?:\\\\)*\\u[{0-9a-fA-F]/.test(raw)) return 'unicode';
  return undefined;
};
