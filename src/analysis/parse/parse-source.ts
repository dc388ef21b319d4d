import { type ESTree, isParseError, parseModule, parseScript } from 'meriyah';
import { createLineIndex, type LineIndex } from './line-index.js';
import { isDeclarationFile, stripTypes } from './strip-types.js';

/**
 * The parse layer of the analyser: one untrusted source file -> ESTree, never throwing.
 * Parser: meriyah (pure JS; see docs/decisions/js-parser.md). Every failure it can have on hostile
 * input, deep nesting included, is an exception we catch; oxc-parser was faster on nothing that
 * matters and kills the process (SIGSEGV) on 10k nested parentheses.
 */

export type Language = 'js' | 'jsx' | 'ts' | 'tsx';
/** `commonjs`: parsed, and uses no import/export (a script or CommonJS module). */
export type SourceType = 'module' | 'commonjs';

export type ParseOptions = {
  /** Longest text parsed, in UTF-16 units (default DEFAULT_MAX_PARSE_LENGTH). */
  maxLength?: number;
  /** Collect comments (default true). */
  comments?: boolean;
};

export type ParseErrorInfo = {
  message: string;
  /** 1-based line and column (UTF-16 units); 0 when the parser gave no position. */
  line: number;
  column: number;
};

export type ParseFailureReason =
  /** The text is not valid JavaScript for any source type we tried. */
  | 'syntax'
  /** Nesting too deep for the parser's stack (hostile or generated code). */
  | 'tooDeep'
  /** Over maxLength; not parsed. */
  | 'tooLarge'
  /** TypeScript that is not stripped: a declaration file, or a namespace holding code. */
  | 'unsupported';

export type ParseSuccess = {
  ok: true;
  program: ESTree.Program;
  /** Comments in source order, with start/end offsets; empty when not requested. */
  comments: ESTree.Comment[];
  sourceType: SourceType;
  language: Language;
  /** Nodes carry `start`/`end` UTF-16 offsets; this turns one into line:column (built on first use). */
  positionAt: LineIndex['positionAt'];
  /**
   * The text the offsets index: the file's text, or for TypeScript the JavaScript left once the
   * types are stripped (same lines; positionAt answers in the original file).
   */
  code: string;
  /** An offset in `code` → the offset in the file's text (the identity for JavaScript). */
  originalOffset: (offset: number) => number;
};

export type ParseFailure = {
  ok: false;
  reason: ParseFailureReason;
  error: ParseErrorInfo;
  language: Language;
};

export type ParseResult = ParseSuccess | ParseFailure;

/** 5 Mi UTF-16 units. The largest file among 6,006 of 200 real packages is 2.8 MB. */
export const DEFAULT_MAX_PARSE_LENGTH = 5 * 1024 * 1024;

/** Language from the file extension; `.js`/`.cjs`/`.mjs` are parsed with JSX enabled. */
export const languageOf = (file: string): Language => {
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  switch (ext) {
    case 'ts':
    case 'mts':
    case 'cts':
      return 'ts';
    case 'tsx':
      return 'tsx';
    case 'jsx':
      return 'jsx';
    default:
      return 'js';
  }
};

export const parseSource = (text: string, file: string, options: ParseOptions = {}): ParseResult => {
  const language = languageOf(file);
  const maxLength = options.maxLength ?? DEFAULT_MAX_PARSE_LENGTH;
  if (text.length > maxLength) {
    return failure(
      'tooLarge',
      language,
      `${text.length} characters, over the ${maxLength} parse limit`,
      0,
      0,
    );
  }
  const rawExt = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  const ext = rawExt === 'mts' ? 'mjs' : rawExt === 'cts' ? 'cjs' : rawExt;
  const wantComments = options.comments ?? true;
  let lines = lazyLineIndex(text);
  let code = text;
  let originalOffset = (offset: number) => offset;
  // TypeScript: types stripped (docs/decisions/typescript.md), then parsed as JavaScript.
  if (language === 'ts' || language === 'tsx') {
    if (isDeclarationFile(file))
      return failure('unsupported', language, 'a declaration file (types only)', 0, 0);
    const stripped = stripTypes(text, file);
    if (!stripped.ok)
      return failure(stripped.reason, language, stripped.message, stripped.line, stripped.column);
    code = stripped.code;
    originalOffset = stripped.originalOffset;
    const original = lines;
    lines = (offset) => original(originalOffset(offset));
  }

  // Module first (the stricter grammar); a file that only parses as a script is CommonJS.
  // `.cjs` is never a module, `.mjs` always is.
  let firstError: unknown;
  if (ext !== 'cjs') {
    const comments: ESTree.Comment[] = [];
    try {
      const program = parseModule(code, moduleOptions(wantComments ? comments : undefined));
      return {
        ok: true,
        program,
        comments,
        sourceType: ext === 'mjs' || hasModuleSyntax(program) ? 'module' : 'commonjs',
        language,
        positionAt: lines,
        code,
        originalOffset,
      };
    } catch (error) {
      if (isStackOverflow(error)) return tooDeep(language);
      firstError = error;
    }
  }
  if (ext !== 'mjs') {
    const comments: ESTree.Comment[] = [];
    try {
      const program = parseScript(code, scriptOptions(wantComments ? comments : undefined));
      return {
        ok: true,
        program,
        comments,
        sourceType: 'commonjs',
        language,
        positionAt: lines,
        code,
        originalOffset,
      };
    } catch (error) {
      if (isStackOverflow(error)) return tooDeep(language);
      // A CommonJS-looking file reports its script error; one with import/export its module error.
      if (firstError === undefined || !looksLikeModule(code)) firstError = error;
    }
  }
  return syntaxFailure(firstError, language, lines);
};

// `start`/`end` offsets only: `range: [start, end]` is one more array per node for the GC.
const RANGES = { start: true, end: true, range: false };
const baseOptions = (comments: ESTree.Comment[] | undefined) => ({
  next: true,
  jsx: true,
  ranges: RANGES,
  ...(comments ? { onComment: comments } : {}),
});
const moduleOptions = (comments: ESTree.Comment[] | undefined) => baseOptions(comments);
// webcompat: Annex B (HTML comments, legacy octal); globalReturn: CommonJS top-level `return`.
const scriptOptions = (comments: ESTree.Comment[] | undefined) => ({
  ...baseOptions(comments),
  webcompat: true,
  globalReturn: true,
});

const hasModuleSyntax = (program: ESTree.Program): boolean =>
  program.body.some(
    (node) =>
      node.type === 'ImportDeclaration' ||
      node.type === 'ExportNamedDeclaration' ||
      node.type === 'ExportDefaultDeclaration' ||
      node.type === 'ExportAllDeclaration',
  );

const looksLikeModule = (text: string): boolean =>
  /(?:^|[\n;])\s*(?:import\s*[\w{*'"]|export\s*[\w{*])/.test(text);

const isStackOverflow = (error: unknown): boolean =>
  error instanceof RangeError && /call stack/i.test(error.message);

const lazyLineIndex = (text: string): LineIndex['positionAt'] => {
  let index: LineIndex | undefined;
  return (offset) => {
    index ??= createLineIndex(text);
    return index.positionAt(offset);
  };
};

const tooDeep = (language: Language): ParseFailure =>
  failure('tooDeep', language, 'nesting too deep to parse', 0, 0);

const syntaxFailure = (
  error: unknown,
  language: Language,
  positionAt: LineIndex['positionAt'],
): ParseFailure => {
  if (isParseError(error)) {
    const { line, column } = positionAt(error.start);
    return failure('syntax', language, error.description, line, column);
  }
  // meriyah only throws ParseError or RangeError; anything else is still reported, not thrown.
  const message = error instanceof Error ? error.message : String(error);
  return failure('syntax', language, message, 0, 0);
};

const failure = (
  reason: ParseFailureReason,
  language: Language,
  message: string,
  line: number,
  column: number,
): ParseFailure => ({ ok: false, reason, error: { message: oneLine(message), line, column }, language });

const oneLine = (message: string): string => {
  const first = message.split('\n', 1)[0] ?? '';
  return first.length > 200 ? `${first.slice(0, 200)}…` : first;
};
