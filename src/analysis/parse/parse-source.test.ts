import { describe, expect, it } from 'vitest';
import { parseSource } from './parse-source.js';

const ok = (text: string, file = 'a.js') => {
  const result = parseSource(text, file);
  if (!result.ok) throw new Error(`expected a parse: ${result.error.message}`);
  return result;
};

describe('parseSource', () => {
  it('reads CommonJS, including top-level return and Annex B syntax', () => {
    const result = ok(
      'const fs = require("fs");\nif (!fs) return;\nmodule.exports = 010 <!-- html comment\n',
    );
    expect(result.sourceType).toBe('commonjs');
    expect(result.program.body.map((n) => n.type)).toEqual([
      'VariableDeclaration',
      'IfStatement',
      'ExpressionStatement',
    ]);
  });

  it('reads ESM and says so', () => {
    const result = ok('import { readFile } from "node:fs/promises";\nexport const x = await readFile("a");');
    expect(result.sourceType).toBe('module');
    expect(result.program.body[0]?.type).toBe('ImportDeclaration');
  });

  it('calls a file without import/export CommonJS even though it also parses as a module', () => {
    expect(ok('var a = 1; a++;').sourceType).toBe('commonjs');
    expect(ok('var a = 1;', 'x.mjs').sourceType).toBe('module');
  });

  it('keeps .cjs a script: `await` is an identifier there', () => {
    expect(ok('var await = 1;', 'x.cjs').sourceType).toBe('commonjs');
    expect(parseSource('import x from "y";', 'x.cjs')).toMatchObject({ ok: false, reason: 'syntax' });
  });

  it('reads JSX in .js and .jsx files', () => {
    for (const file of ['a.js', 'a.jsx']) {
      const result = ok('export const A = () => <div className="x">{1}</div>;', file);
      expect(JSON.stringify(result.program)).toContain('"JSXElement"');
    }
  });

  it('gives offsets and turns them into line:column', () => {
    const result = ok('// hi\n/* two */\nconst s = "payload";');
    const decl = result.program.body[0];
    expect(decl?.type).toBe('VariableDeclaration');
    expect(result.positionAt(decl?.start ?? -1)).toEqual({ line: 3, column: 1 });
    expect(result.comments.map((c) => [c.type, c.value])).toEqual([
      ['SingleLine', ' hi'],
      ['MultiLine', ' two '],
    ]);
    expect(parseSource('a // x', 'a.js', { comments: false })).toMatchObject({ ok: true, comments: [] });
  });

  it('reports a syntax error with its line and column, without throwing', () => {
    const result = parseSource('let a = 1;\nlet b = ;\n', 'bad.js');
    expect(result).toMatchObject({ ok: false, reason: 'syntax', language: 'js' });
    if (result.ok) return;
    expect(result.error.line).toBe(2);
    expect(result.error.column).toBeGreaterThanOrEqual(8);
    expect(result.error.message).not.toContain('\n');
  });

  it('reports the module error for a file that uses import/export', () => {
    const result = parseSource('import a from "b";\nexport default a +;', 'm.js');
    expect(result).toMatchObject({ ok: false, reason: 'syntax', error: { line: 2 } });
  });

  it('parses TypeScript once the types are stripped, with positions in the original file', () => {
    for (const file of ['a.ts', 'b.tsx', 'c.mts', 'd.cts']) {
      const result = ok('const a: Record<string, number> = {};\nlet b = fetch(a as any);', file);
      const call = result.code.indexOf('fetch');
      expect(result.positionAt(call)).toEqual({ line: 2, column: 9 });
      expect(result.language).toBe(file.endsWith('.tsx') ? 'tsx' : 'ts');
    }
    expect(ok('export const a: number = 1;', 'm.ts').sourceType).toBe('module');
    expect(ok('const a: number = 1;', 'c.cts').sourceType).toBe('commonjs');
    expect(parseSource('import x from "y";', 'x.cts')).toMatchObject({ ok: false, reason: 'syntax' });
  });

  it('leaves declaration files and namespaces holding code to the token layer', () => {
    expect(parseSource('export declare const a: number;', 'a.d.ts')).toMatchObject({ reason: 'unsupported' });
    expect(parseSource('namespace N {\n  run();\n}', 'n.ts')).toMatchObject({
      ok: false,
      reason: 'unsupported',
      error: { line: 1, column: 1 },
    });
  });

  it('reports a TypeScript syntax error at its place', () => {
    expect(parseSource('let a = 1;\nlet b: = 2;', 'bad.ts')).toMatchObject({
      ok: false,
      reason: 'syntax',
      error: { line: 2, column: 8 },
    });
  });

  it('refuses text over the size cap without parsing it', () => {
    const result = parseSource('a;'.repeat(100), 'big.js', { maxLength: 50 });
    expect(result).toMatchObject({ ok: false, reason: 'tooLarge' });
  });
});

describe('parseSource on hostile input', () => {
  const timed = (text: string) => {
    const start = performance.now();
    const result = parseSource(text, 'hostile.js');
    return { result, ms: performance.now() - start };
  };

  it('turns 100k nested parentheses into tooDeep, not a crash', () => {
    const { result, ms } = timed(`x=${'('.repeat(100_000)}1${')'.repeat(100_000)};`);
    expect(result).toMatchObject({ ok: false, reason: 'tooDeep' });
    expect(ms).toBeLessThan(5_000);
  });

  it('turns 20k nested functions and if statements into tooDeep', () => {
    expect(timed(`${'function f(){'.repeat(20_000)}${'}'.repeat(20_000)}`).result).toMatchObject({
      reason: 'tooDeep',
    });
    expect(timed(`${'if(a)'.repeat(20_000)}b;`).result).toMatchObject({ reason: 'tooDeep' });
  });

  it('parses 200k semicolons and an _0x string array in bounded time', () => {
    expect(timed(';'.repeat(200_000)).result.ok).toBe(true);
    const items = Array.from({ length: 50_000 }, (_, i) => `'\\x${(i % 200).toString(16).padStart(2, '0')}'`);
    const { result, ms } = timed(`var _0x3a1f=[${items.join(',')}];`);
    expect(result.ok).toBe(true);
    expect(ms).toBeLessThan(5_000);
  });

  it('parses replacement characters and lone surrogates in strings', () => {
    expect(ok('var s = "\uFFFD\uFFFD"; f("\ud800");').ok).toBe(true);
  });

  it('reports an unterminated template without running away', () => {
    const { result, ms } = timed(`x = \`${'a'.repeat(200_000)}`);
    expect(result).toMatchObject({ ok: false, reason: 'syntax', error: { line: 1 } });
    expect(ms).toBeLessThan(5_000);
  });

  it('never throws on garbage', () => {
    for (const text of ['\u0000\u0001', '}}}}', '`${', '/*', '"\\', '<<<<', '\\u{110000}']) {
      expect(parseSource(text, 'g.js').ok).toBe(false);
    }
  });
});
