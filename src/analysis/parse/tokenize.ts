/**
 * Fallback token layer for files the parser rejects (syntax errors, Flow, truncated files,
 * hostile inputs). A tolerant, linear, never-throwing scanner: unknown characters become
 * `invalid` tokens and scanning goes on. Regex-vs-division is decided from the previous token,
 * the usual heuristic (as js-tokens does); JSX text is scanned as if it were code.
 */

export type TokenType =
  | 'identifier'
  | 'keyword'
  | 'privateName'
  | 'string'
  | 'template'
  | 'number'
  | 'regex'
  | 'punctuator'
  | 'comment'
  | 'invalid';

export type Token = {
  type: TokenType;
  /**
   * identifier/keyword/privateName: the name with `\u` escapes decoded (no `#`);
   * string/template: the decoded (cooked) value; comment: the text inside the delimiters;
   * otherwise the source text.
   */
  value: string;
  /** Numeric value of a `number` token (BigInts and invalid literals: NaN). */
  number?: number;
  /** string, template, regex or block comment that reached the end of its line/file unclosed. */
  unterminated?: true;
  /** UTF-16 offsets into the text, end exclusive. */
  start: number;
  end: number;
  /** 1-based line and column (column in UTF-16 units) of `start`. */
  line: number;
  column: number;
};

export type TokenizeOptions = {
  /** Stop after this many tokens (hostile inputs: 1 MB of `;` is 1M tokens). */
  maxTokens?: number;
  /** Emit comments as tokens (default true). */
  comments?: boolean;
};

export type TokenizeResult = { tokens: Token[]; truncated: boolean };

export const DEFAULT_MAX_TOKENS = 2_000_000;

const KEYWORDS = new Set([
  'await',
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'import',
  'in',
  'instanceof',
  'new',
  'null',
  'return',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'yield',
]);

/** Keywords after which `/` starts a regular expression rather than a division. */
const REGEX_AFTER_KEYWORD = new Set([
  'await',
  'case',
  'delete',
  'do',
  'else',
  'in',
  'instanceof',
  'new',
  'return',
  'throw',
  'typeof',
  'void',
  'yield',
]);

// Longest first, so the first match is the longest.
const PUNCTUATORS = [
  '>>>=',
  '...',
  '===',
  '!==',
  '**=',
  '<<=',
  '>>=',
  '>>>',
  '&&=',
  '||=',
  '??=',
  '=>',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '??',
  '?.',
  '++',
  '--',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '**',
  '<<',
  '>>',
];
const SINGLE_PUNCTUATORS = new Set('{}()[];,<>+-*/%&|^!~?:=.@#');
/** The multi-character punctuators by first character, longest first (as in PUNCTUATORS). */
const PUNCTUATORS_BY_FIRST = new Map<string, string[]>();
for (const p of PUNCTUATORS) {
  const first = p[0] as string;
  PUNCTUATORS_BY_FIRST.set(first, [...(PUNCTUATORS_BY_FIRST.get(first) ?? []), p]);
}

const ID_START = /[\p{ID_Start}$_]/u;
const ID_CONTINUE = /[\p{ID_Continue}$\u200c\u200d]/u;

const isLineTerminator = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
const isWhitespace = (c: number): boolean =>
  c === 32 ||
  c === 9 ||
  c === 11 ||
  c === 12 ||
  c === 0xa0 ||
  c === 0xfeff ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isAsciiIdStart = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36 || c === 95;
const isAsciiIdContinue = (c: number): boolean => isAsciiIdStart(c) || isDigit(c);

export const tokenize = (text: string, options: TokenizeOptions = {}): TokenizeResult => {
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const keepComments = options.comments ?? true;
  const tokens: Token[] = [];
  const n = text.length;
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  // `{` pushes 'brace', `${` pushes 'template'; a `}` that pops 'template' resumes the template.
  const braces: ('brace' | 'template')[] = [];
  let last: Token | undefined; // last significant (non-comment) token

  const codePointAt = (i: number): number => text.codePointAt(i) ?? 0;
  const charLength = (cp: number): number => (cp > 0xffff ? 2 : 1);

  /** Advances pos to `to`, counting line terminators on the way. */
  const advanceTo = (to: number): void => {
    for (let i = pos; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 0x2028 || c === 0x2029 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        line++;
        lineStart = i + 1;
      }
    }
    pos = to;
  };

  const push = (type: TokenType, start: number, startLine: number, startColumn: number, value: string) => {
    const token: Token = { type, value, start, end: pos, line: startLine, column: startColumn };
    tokens.push(token);
    if (type !== 'comment') last = token;
    return token;
  };

  const regexAllowed = (): boolean => {
    if (!last) return true;
    switch (last.type) {
      case 'punctuator':
        return last.value !== ')' && last.value !== ']' && last.value !== '++' && last.value !== '--';
      case 'keyword':
        return REGEX_AFTER_KEYWORD.has(last.value);
      case 'invalid':
        return true;
      default:
        return false;
    }
  };

  /** Reads `\u` escape at `i` (pointing at the backslash); returns the code point and the end. */
  const readUnicodeEscape = (i: number): { cp: number; end: number } | undefined => {
    if (text.charCodeAt(i + 1) !== 117 /* u */) return undefined;
    if (text.charCodeAt(i + 2) === 123 /* { */) {
      const close = text.indexOf('}', i + 3);
      if (close === -1 || close - (i + 3) > 8) return undefined;
      const hex = text.slice(i + 3, close);
      if (!/^[0-9a-fA-F]+$/.test(hex)) return undefined;
      const cp = Number.parseInt(hex, 16);
      return cp <= 0x10ffff ? { cp, end: close + 1 } : undefined;
    }
    const hex = text.slice(i + 2, i + 6);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
    return { cp: Number.parseInt(hex, 16), end: i + 6 };
  };

  const readIdentifier = (start: number): { name: string; end: number } | undefined => {
    let i = start;
    if (isAsciiIdStart(text.charCodeAt(i))) {
      i++;
      while (i < n && isAsciiIdContinue(text.charCodeAt(i))) i++;
      const stop = text.charCodeAt(i);
      // the common case: a plain ASCII name
      if (i >= n || (stop < 128 && stop !== 92)) return { name: text.slice(start, i), end: i };
      i = start;
    }
    let name = '';
    let first = true;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128 && c !== 92) {
        if (first ? !isAsciiIdStart(c) : !isAsciiIdContinue(c)) break;
        name += text[i];
        i++;
      } else if (c === 92 /* \ */) {
        const esc = readUnicodeEscape(i);
        if (!esc) break;
        name += String.fromCodePoint(esc.cp);
        i = esc.end;
      } else {
        const cp = codePointAt(i);
        const ch = String.fromCodePoint(cp);
        if (!(first ? ID_START : ID_CONTINUE).test(ch)) break;
        name += ch;
        i += charLength(cp);
      }
      first = false;
    }
    return first ? undefined : { name, end: i };
  };

  /**
   * Decodes an escape sequence; `i` points after the backslash. Returns the cooked text (undefined
   * for an invalid escape, e.g. in a template) and the end.
   */
  const readEscape = (i: number): { cooked: string | undefined; end: number } => {
    const c = text.charCodeAt(i);
    switch (c) {
      case 110:
        return { cooked: '\n', end: i + 1 };
      case 116:
        return { cooked: '\t', end: i + 1 };
      case 114:
        return { cooked: '\r', end: i + 1 };
      case 98:
        return { cooked: '\b', end: i + 1 };
      case 102:
        return { cooked: '\f', end: i + 1 };
      case 118:
        return { cooked: '\v', end: i + 1 };
      case 13: // line continuation
        return { cooked: '', end: text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1 };
      case 10:
      case 0x2028:
      case 0x2029:
        return { cooked: '', end: i + 1 };
      case 120 /* x */:
        {
          const hex = text.slice(i + 1, i + 3);
          if (/^[0-9a-fA-F]{2}$/.test(hex))
            return { cooked: String.fromCharCode(Number.parseInt(hex, 16)), end: i + 3 };
          return { cooked: undefined, end: i + 1 };
        }
      case 117 /* u */:
        {
          const esc = readUnicodeEscape(i - 1);
          if (esc) return { cooked: String.fromCodePoint(esc.cp), end: esc.end };
          return { cooked: undefined, end: i + 1 };
        }
      default:
        if (c >= 48 && c <= 55) {
          // legacy octal escape: up to 3 digits, value <= 255
          let j = i;
          let value = 0;
          while (j < i + 3 && j < n) {
            const d = text.charCodeAt(j);
            if (d < 48 || d > 55 || value * 8 + (d - 48) > 255) break;
            value = value * 8 + (d - 48);
            j++;
          }
          return { cooked: String.fromCharCode(value), end: j };
        }
        if (i >= n) return { cooked: '', end: i };
        {
          const cp = codePointAt(i);
          return { cooked: String.fromCodePoint(cp), end: i + charLength(cp) };
        }
    }
  };

  const readString = (start: number, startLine: number, startColumn: number): void => {
    const quote = text.charCodeAt(start);
    let i = start + 1;
    let value = '';
    let chunk = i;
    let closed = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === quote) {
        value += text.slice(chunk, i);
        i++;
        closed = true;
        break;
      }
      if (c === 92) {
        value += text.slice(chunk, i);
        const esc = readEscape(i + 1);
        value += esc.cooked ?? '';
        i = esc.end;
        chunk = i;
        continue;
      }
      if (c === 10 || c === 13) break; // unterminated; U+2028/9 are allowed in strings
      i++;
    }
    if (!closed) value += text.slice(chunk, i);
    advanceTo(i);
    const token = push('string', start, startLine, startColumn, value);
    if (!closed) token.unterminated = true;
  };

  /** Reads a template chunk from `start` (a backtick or the `}` closing a substitution). */
  const readTemplate = (start: number, startLine: number, startColumn: number): void => {
    let i = start + 1;
    let value = '';
    let chunk = i;
    let closed = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 96 /* ` */) {
        value += text.slice(chunk, i);
        i++;
        closed = true;
        break;
      }
      if (c === 36 /* $ */ && text.charCodeAt(i + 1) === 123) {
        value += text.slice(chunk, i);
        i += 2;
        braces.push('template');
        closed = true;
        break;
      }
      if (c === 92) {
        value += text.slice(chunk, i);
        const esc = readEscape(i + 1);
        value += esc.cooked ?? '';
        i = esc.end;
        chunk = i;
        continue;
      }
      i++;
    }
    if (!closed) value += text.slice(chunk, i);
    advanceTo(i);
    const token = push('template', start, startLine, startColumn, value.replace(/\r\n?/g, '\n'));
    if (!closed) token.unterminated = true;
  };

  const readRegex = (start: number): number | undefined => {
    let i = start + 1;
    let inClass = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (isLineTerminator(c)) return undefined;
      if (c === 92) i += 2;
      else if (c === 91) {
        inClass = true;
        i++;
      } else if (c === 93) {
        inClass = false;
        i++;
      } else if (c === 47 && !inClass) {
        i++;
        while (i < n && isAsciiIdContinue(text.charCodeAt(i))) i++;
        return i;
      } else i++;
    }
    return undefined;
  };

  const readNumber = (start: number): { end: number; value: number } => {
    let i = start;
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1) | 0x20;
    let radix = 10;
    if (c0 === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) {
      radix = c1 === 120 ? 16 : c1 === 111 ? 8 : 2;
      i += 2;
      while (i < n && (isHexDigit(text.charCodeAt(i)) || text.charCodeAt(i) === 95)) i++;
    } else {
      while (i < n && (isDigit(text.charCodeAt(i)) || text.charCodeAt(i) === 95)) i++;
      if (text.charCodeAt(i) === 46 /* . */) {
        i++;
        while (i < n && (isDigit(text.charCodeAt(i)) || text.charCodeAt(i) === 95)) i++;
      }
      if ((text.charCodeAt(i) | 0x20) === 101 /* e */) {
        let j = i + 1;
        if (text.charCodeAt(j) === 43 || text.charCodeAt(j) === 45) j++;
        if (isDigit(text.charCodeAt(j))) {
          i = j;
          while (i < n && (isDigit(text.charCodeAt(i)) || text.charCodeAt(i) === 95)) i++;
        }
      }
    }
    const bigint = text.charCodeAt(i) === 110; /* n */
    const digits = text.slice(start, i).replace(/_/g, '');
    if (bigint) i++;
    let value: number;
    if (bigint) value = Number.NaN;
    else if (radix !== 10) value = Number.parseInt(digits.slice(2), radix);
    else if (/^0[0-7]+$/.test(digits))
      value = Number.parseInt(digits, 8); // legacy octal
    else value = Number(digits);
    return { end: i, value };
  };

  while (pos < n) {
    if (tokens.length >= maxTokens) return { tokens, truncated: true };
    const c = text.charCodeAt(pos);
    if (isWhitespace(c)) {
      pos++;
      continue;
    }
    if (isLineTerminator(c)) {
      advanceTo(pos + 1);
      continue;
    }
    const start = pos;
    const startLine = line;
    const startColumn = pos - lineStart + 1;

    if (c === 47 /* / */) {
      const next = text.charCodeAt(pos + 1);
      if (next === 47) {
        let end = pos + 2;
        while (end < n && !isLineTerminator(text.charCodeAt(end))) end++;
        pos = end;
        if (keepComments) push('comment', start, startLine, startColumn, text.slice(start + 2, end));
        continue;
      }
      if (next === 42) {
        const close = text.indexOf('*/', pos + 2);
        const end = close === -1 ? n : close + 2;
        advanceTo(end);
        if (keepComments) {
          const token = push(
            'comment',
            start,
            startLine,
            startColumn,
            text.slice(start + 2, close === -1 ? n : close),
          );
          if (close === -1) token.unterminated = true;
        }
        continue;
      }
      if (regexAllowed()) {
        const end = readRegex(pos);
        if (end !== undefined) {
          pos = end;
          push('regex', start, startLine, startColumn, text.slice(start, end));
          continue;
        }
      }
    }
    if (c === 35 /* # */ && pos === 0 && text.charCodeAt(1) === 33 /* ! */) {
      let end = 2;
      while (end < n && !isLineTerminator(text.charCodeAt(end))) end++;
      pos = end;
      if (keepComments) push('comment', start, startLine, startColumn, text.slice(2, end));
      continue;
    }
    if (c === 34 || c === 39) {
      readString(pos, startLine, startColumn);
      continue;
    }
    if (c === 96) {
      readTemplate(pos, startLine, startColumn);
      continue;
    }
    if (c === 125 /* } */ && braces.at(-1) === 'template') {
      braces.pop();
      readTemplate(pos, startLine, startColumn);
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(pos + 1)))) {
      const { end, value } = readNumber(pos);
      pos = end;
      push('number', start, startLine, startColumn, text.slice(start, end)).number = value;
      continue;
    }
    if (c === 35 /* # */) {
      const id = readIdentifier(pos + 1);
      if (id) {
        pos = id.end;
        push('privateName', start, startLine, startColumn, id.name);
        continue;
      }
    }
    const id = readIdentifier(pos);
    if (id) {
      pos = id.end;
      const raw = id.end - start === id.name.length;
      push(raw && KEYWORDS.has(id.name) ? 'keyword' : 'identifier', start, startLine, startColumn, id.name);
      continue;
    }
    const punctuator = readPunctuator(text, pos);
    if (punctuator) {
      pos += punctuator.length;
      if (punctuator === '{') braces.push('brace');
      else if (punctuator === '}') braces.pop();
      push('punctuator', start, startLine, startColumn, punctuator);
      continue;
    }
    const cp = codePointAt(pos);
    pos += charLength(cp);
    push('invalid', start, startLine, startColumn, String.fromCodePoint(cp));
  }
  return { tokens, truncated: false };
};

const readPunctuator = (text: string, pos: number): string | undefined => {
  const c = text[pos];
  if (c === undefined || !SINGLE_PUNCTUATORS.has(c)) return undefined;
  for (const p of PUNCTUATORS_BY_FIRST.get(c) ?? []) {
    if (text.startsWith(p, pos)) {
      // `a?.5:b` is a conditional, not optional chaining
      if (p === '?.' && isDigit(text.charCodeAt(pos + 2))) continue;
      return p;
    }
  }
  return c;
};
