import { describe, expect, it } from 'vitest';
import { type Token, tokenize } from './tokenize.js';

const brief = (tokens: Token[]) => tokens.map((t) => `${t.type}:${t.value}`);

describe('tokenize', () => {
  it('yields identifiers, keywords, punctuators and numbers with positions', () => {
    const { tokens, truncated } = tokenize('const a = b >>>= 0x1F;\n  if (a?.c) return 1_000n');
    expect(truncated).toBe(false);
    expect(brief(tokens)).toEqual([
      'keyword:const',
      'identifier:a',
      'punctuator:=',
      'identifier:b',
      'punctuator:>>>=',
      'number:0x1F',
      'punctuator:;',
      'keyword:if',
      'punctuator:(',
      'identifier:a',
      'punctuator:?.',
      'identifier:c',
      'punctuator:)',
      'keyword:return',
      'number:1_000n',
    ]);
    expect(tokens[5]?.number).toBe(31);
    expect(tokens[7]).toMatchObject({ line: 2, column: 3, start: 25, end: 27 });
  });

  it('decodes string escapes: hex, unicode, code point, octal, line continuation', () => {
    const { tokens } = tokenize(String.raw`x = '\x72\u0065q\u{75}ire' + "a\101\
b" + '\'' + "\q"`);
    expect(tokens.filter((t) => t.type === 'string').map((t) => t.value)).toEqual([
      'require',
      'aAb',
      "'",
      'q',
    ]);
  });

  it('decodes identifiers written with unicode escapes and reads non-ASCII names', () => {
    const { tokens } = tokenize('\\u0065val(x); var café = ಠ_ಠ; this.#secret');
    expect(tokens[0]).toMatchObject({ type: 'identifier', value: 'eval' });
    expect(brief(tokens)).toContain('identifier:café');
    expect(brief(tokens)).toContain('identifier:ಠ_ಠ');
    expect(brief(tokens)).toContain('privateName:secret');
  });

  it('splits templates around substitutions, with cooked values', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source under test is a template
    const { tokens } = tokenize('`a\\x41${ {b: `in${c}`}.b }z`;');
    expect(brief(tokens)).toEqual([
      'template:aA',
      'punctuator:{',
      'identifier:b',
      'punctuator::',
      'template:in',
      'identifier:c',
      'template:',
      'punctuator:}',
      'punctuator:.',
      'identifier:b',
      'template:z',
      'punctuator:;',
    ]);
  });

  it('tells a regex from a division by the previous token', () => {
    const { tokens } = tokenize('a = b / c / d; e = /[/]x\\//g.test(f); return /re/i; (g) / 2');
    expect(tokens.filter((t) => t.type === 'regex').map((t) => t.value)).toEqual(['/[/]x\\//g', '/re/i']);
    expect(tokens.filter((t) => t.value === '/').length).toBe(3);
  });

  it('keeps comments (optionally) and the hashbang', () => {
    const text = '#!/usr/bin/env node\n// line\n/* block\n */ x';
    expect(brief(tokenize(text).tokens)).toEqual([
      'comment:/usr/bin/env node',
      'comment: line',
      'comment: block\n ',
      'identifier:x',
    ]);
    expect(tokenize(text).tokens[3]).toMatchObject({ line: 4, column: 5 });
    expect(brief(tokenize(text, { comments: false }).tokens)).toEqual(['identifier:x']);
  });

  it('goes on after what the parser rejects: Flow types, stray characters, unterminated strings', () => {
    const { tokens } = tokenize(
      'function f(x: ?string): %checks { return "a\n}; € ; fetch("https://x.invalid")',
    );
    expect(tokens.find((t) => t.type === 'string' && t.unterminated)).toMatchObject({ value: 'a', line: 1 });
    expect(brief(tokens)).toContain('invalid:€');
    expect(tokens.at(-2)).toMatchObject({ type: 'string', value: 'https://x.invalid', line: 2 });
  });

  it('counts CRLF, CR, LS and PS as line ends', () => {
    const { tokens } = tokenize('a\r\nb\rc\u2028d\u2029e');
    expect(tokens.map((t) => t.line)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('tokenize on hostile input', () => {
  it('stops at maxTokens and says so', () => {
    const start = performance.now();
    const { tokens, truncated } = tokenize(';'.repeat(1_000_000), { maxTokens: 100_000 });
    expect(truncated).toBe(true);
    expect(tokens.length).toBe(100_000);
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it('reads deep nesting flat and a 5 MB one-line file in bounded time', () => {
    const nested = tokenize(`x=${'('.repeat(100_000)}1${')'.repeat(100_000)};`);
    expect(nested.tokens.length).toBe(200_004);
    const unit = 'var a0=function(b,c){return b+c*2},d1={k:"v\\x41",n:[1,2,3]};';
    const repeats = Math.ceil(5e6 / unit.length);
    const start = performance.now();
    const { tokens, truncated } = tokenize(unit.repeat(repeats), { maxTokens: 4_000_000 });
    expect(truncated).toBe(false);
    expect(tokens.filter((t) => t.type === 'string' && t.value === 'vA').length).toBe(repeats);
    expect(performance.now() - start).toBeLessThan(10_000);
  });

  it('never throws on truncated or invalid input', () => {
    const cases = [
      '"\\',
      '`${',
      '`${`',
      '/*',
      '\\u{110000}',
      '\\u12',
      '0x',
      '1e',
      '\ud800',
      '#',
      '/[',
      '}}}',
    ];
    for (const text of cases) {
      const { tokens } = tokenize(text);
      expect(Array.isArray(tokens)).toBe(true);
      for (const t of tokens) expect(t.end).toBeLessThanOrEqual(text.length);
    }
  });
});
