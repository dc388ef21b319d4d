import { transform } from 'sucrase';
import { createLineIndex } from './line-index.js';
import { tokenize } from './tokenize.js';

/**
 * TypeScript → JavaScript for analysis, never throwing: sucrase removes the types (and rewrites
 * enums, parameter properties, `import x = require()`, `export =`) and keeps every line where it
 * was; columns move where types were removed. `originalOffset` maps an offset in the output back
 * to the original text: exact lines, columns aligned within the line. Why sucrase and not amaro:
 * docs/decisions/typescript.md.
 */

export type StripSuccess = {
  ok: true;
  code: string;
  /** Offset in `code` → offset in the original text (same line; column aligned within it). */
  originalOffset: (offset: number) => number;
};

export type StripFailure = {
  ok: false;
  reason: 'syntax' | 'tooDeep' | 'unsupported';
  message: string;
  /** 1-based; 0 when unknown. */
  line: number;
  column: number;
};

export type StripResult = StripSuccess | StripFailure;

/** `.d.ts`, `.d.mts`, `.d.cts` and `.d.<ext>.ts` files declare types and hold no code. */
export const isDeclarationFile = (file: string): boolean => /\.d\.(?:[cm]?ts|[^/.]+\.ts)$/i.test(file);

/** How far ahead in the original line a character of the output is looked for. */
const ALIGN_WINDOW = 256;

export const stripTypes = (text: string, file: string): StripResult => {
  // sucrase treats a namespace with a body as a type and drops it, code and all; tsc runs it.
  // Such files go to the token layer, which reads every token.
  const namespace = valueNamespaceAt(text);
  if (namespace !== undefined) {
    return {
      ok: false,
      reason: 'unsupported',
      message: 'TypeScript namespace with a body (the stripper would drop its code)',
      line: namespace.line,
      column: namespace.column,
    };
  }
  let code: string;
  try {
    code = transform(text, {
      transforms: /\.tsx$/i.test(file) ? ['typescript', 'jsx'] : ['typescript'],
      jsxRuntime: 'preserve',
      disableESTransforms: true,
      keepUnusedImports: true,
    }).code;
  } catch (error) {
    if (error instanceof RangeError) return fail('tooDeep', 'nesting too deep to strip types');
    const pos = (error as { pos?: unknown } | null)?.pos;
    const message =
      error instanceof Error ? error.message.replace(/^Error transforming [^:]*: /, '') : String(error);
    const { line, column } =
      typeof pos === 'number' ? createLineIndex(text).positionAt(pos) : { line: 0, column: 0 };
    return { ok: false, reason: 'syntax', message: oneLine(message), line, column };
  }
  return { ok: true, code, originalOffset: code === text ? (offset) => offset : offsetMapper(text, code) };
};

const fail = (reason: StripFailure['reason'], message: string): StripFailure => ({
  ok: false,
  reason,
  message,
  line: 0,
  column: 0,
});

const oneLine = (message: string): string => {
  const first = message.split('\n', 1)[0] ?? '';
  return first.length > 200 ? `${first.slice(0, 200)}…` : first;
};

/**
 * Where `namespace N {` / `module N {` that is not a declaration starts, if anywhere. One pass over
 * tokens with a stack of braces, each marked when it opens a `declare …` block (everything inside
 * is types). If braces do not balance (a regex the tokenizer misread), a namespace seen inside a
 * declare block is reported too: the token layer is the safe side.
 */
const valueNamespaceAt = (text: string): { line: number; column: number } | undefined => {
  if (!/\b(?:namespace|module)\s+[\w$]/.test(text)) return undefined;
  const tokens = tokenize(text, { comments: false }).tokens;
  const declareBlocks: boolean[] = [];
  let declareStatement = false;
  let balanced = true;
  let underDeclare: { line: number; column: number } | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as (typeof tokens)[number];
    const inDeclare = declareBlocks[declareBlocks.length - 1] ?? false;
    if (token.type === 'punctuator') {
      if (token.value === '{' || token.value === '${') {
        declareBlocks.push(inDeclare || declareStatement);
        declareStatement = false;
      } else if (token.value === '}') {
        if (declareBlocks.pop() === undefined) balanced = false;
        declareStatement = false;
      } else if (token.value === ';') declareStatement = false;
      continue;
    }
    if (token.type !== 'identifier') continue;
    if (token.value === 'declare') {
      declareStatement = true;
      continue;
    }
    if (token.value !== 'namespace' && token.value !== 'module') continue;
    let j = i + 1;
    if (tokens[j]?.type !== 'identifier') continue;
    while (tokens[j + 1]?.value === '.' && tokens[j + 2]?.type === 'identifier') j += 2;
    const open = tokens[j + 1];
    if (open?.type !== 'punctuator' || open.value !== '{') continue;
    const at = { line: token.line, column: token.column };
    if (!inDeclare && !declareStatement) return at;
    underDeclare ??= at;
  }
  return balanced && declareBlocks.length === 0 ? undefined : underDeclare;
};

/** Line starts, with the line breaks createLineIndex uses. */
const lineStarts = (text: string): number[] => {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 0x2028 || c === 0x2029 || (c === 13 && text.charCodeAt(i + 1) !== 10))
      starts.push(i + 1);
  }
  return starts;
};

const lineOf = (starts: number[], offset: number): number => {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
};

/**
 * Maps output offsets to the original: line n of the output is line n of the input (sucrase keeps
 * lines); within a line, each output character is matched to the next equal character of the
 * original line (removed types are skipped over), computed per line on first use.
 */
const offsetMapper = (text: string, code: string): ((offset: number) => number) => {
  const from = lineStarts(text);
  const to = lineStarts(code);
  const lines = new Map<number, Int32Array>();
  const lineEnd = (starts: number[], source: string, line: number) =>
    line + 1 < starts.length ? (starts[line + 1] as number) : source.length;
  return (offset) => {
    const at = Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, code.length));
    const line = lineOf(to, at);
    // sucrase keeps line breaks; if it ever did not, the last original line takes the rest
    const originalLine = Math.min(line, from.length - 1);
    const start = to[line] as number;
    const originalStart = from[originalLine] as number;
    const originalEnd = lineEnd(from, text, originalLine);
    let columns = lines.get(line);
    if (!columns) {
      columns = alignLine(code.slice(start, lineEnd(to, code, line)), text.slice(originalStart, originalEnd));
      lines.set(line, columns);
    }
    const column = at - start;
    const mapped = column < columns.length ? (columns[column] as number) : originalEnd - originalStart;
    return Math.min(originalStart + mapped, text.length);
  };
};

const alignLine = (output: string, original: string): Int32Array => {
  const columns = new Int32Array(output.length);
  if (output === original) {
    for (let k = 0; k < output.length; k++) columns[k] = k;
    return columns;
  }
  let j = 0;
  for (let k = 0; k < output.length; k++) {
    const c = output.charCodeAt(k);
    const limit = Math.min(original.length, j + ALIGN_WINDOW);
    let p = j;
    while (p < limit && original.charCodeAt(p) !== c) p++;
    if (p < limit) {
      columns[k] = p;
      j = p + 1;
    } else {
      // inserted by the stripper (an enum's body, `this.x = x`): stays at the current place
      columns[k] = Math.min(j, original.length);
    }
  }
  return columns;
};
