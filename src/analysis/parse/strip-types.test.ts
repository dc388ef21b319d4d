import { parseModule } from 'meriyah';
import { describe, expect, it } from 'vitest';
import { isDeclarationFile, type StripSuccess, stripTypes } from './strip-types.js';

const strip = (text: string, file = 'a.ts'): StripSuccess => {
  const result = stripTypes(text, file);
  if (!result.ok) throw new Error(`expected a strip: ${result.reason} ${result.message}`);
  return result;
};

/** The original text at the place an output offset maps to. */
const originalAt = (text: string, result: StripSuccess, needle: string, length = needle.length) => {
  const at = result.code.indexOf(needle);
  expect(at).toBeGreaterThanOrEqual(0);
  const original = result.originalOffset(at);
  return text.slice(original, original + length);
};

describe('stripTypes', () => {
  it('removes types, keeps every line, and maps output offsets to the same code in the original', () => {
    const text = [
      "import type { Options } from './options';",
      "import { send } from './send';",
      'export function run<T extends object>(opts: Options, extra?: T): Promise<void> {',
      '  const token: string = (process.env.NPM_TOKEN as string)!;',
      '  return send(<any>opts, { token } satisfies Record<string, string>);',
      '}',
    ].join('\n');
    const result = strip(text);
    expect(result.code).not.toMatch(/Options|Promise|satisfies|<any>/);
    expect(result.code.split('\n')).toHaveLength(6);
    expect(() => parseModule(result.code, { next: true })).not.toThrow();
    expect(originalAt(text, result, 'process.env.NPM_TOKEN')).toBe('process.env.NPM_TOKEN');
    expect(originalAt(text, result, 'send(opts', 5)).toBe('send(');
    expect(originalAt(text, result, '{ token }')).toBe('{ token }');
  });

  it('turns enums, parameter properties and import/export assignments into JavaScript', () => {
    const text = [
      "import fs = require('fs');",
      'enum Kind { A, B = 4 }',
      'class C { constructor(private readonly home: string, public n = Kind.B) {} }',
      'export = C;',
    ].join('\n');
    const { code } = strip(text);
    expect(code).toContain("require('fs')");
    expect(code).toContain('module.exports = C');
    expect(code).toContain('this.home = home');
    expect(code.split('\n')).toHaveLength(4);
  });

  it('keeps JSX in .tsx files and reads `<T>x` as a cast in .ts files', () => {
    const tsx = strip('const A = (p: { n: number }) => <div title={p.n as any}>{p.n!}</div>;', 'a.tsx');
    expect(tsx.code).toContain('<div title={p.n }>');
    expect(() => parseModule(tsx.code, { next: true, jsx: true })).not.toThrow();
    expect(strip('let a = <string>b;').code).toBe('let a = b;');
  });

  it('returns the text itself when there is nothing to strip', () => {
    const text = "const fs = require('fs');\nfs.readFileSync('x');\n";
    const result = strip(text);
    expect(result.code).toBe(text);
    expect(result.originalOffset(30)).toBe(30);
  });

  it('maps inserted code to its line and clamps offsets outside the output', () => {
    const text = 'class C { constructor(private a: string) { go(); } }\nnext();';
    const result = strip(text);
    const inserted = result.code.indexOf('this.a');
    const mapped = result.originalOffset(inserted);
    expect(mapped).toBeGreaterThanOrEqual(0);
    expect(mapped).toBeLessThan(text.indexOf('\n'));
    expect(result.originalOffset(result.code.indexOf('next'))).toBe(text.indexOf('next'));
    expect(result.originalOffset(-5)).toBe(0);
    expect(result.originalOffset(1e9)).toBeLessThanOrEqual(text.length);
  });

  it('refuses a namespace holding code (the stripper would drop it) but not declarations', () => {
    const value = stripTypes(
      "const a = 1;\nexport namespace Loader {\n  require('child_process').exec('id');\n}",
      'n.ts',
    );
    expect(value).toMatchObject({ ok: false, reason: 'unsupported', line: 2, column: 8 });
    expect(stripTypes('module Outer.Inner { go(); }', 'm.ts')).toMatchObject({
      ok: false,
      reason: 'unsupported',
    });
    for (const text of [
      'declare namespace N { const a: number }',
      'declare module "m" { namespace Inner { const a: number } }',
      'export declare namespace A { namespace B { type T = 1 } }',
      'const namespace = 1; namespace.toString();',
      'module.exports = { module: 1 };',
      '// namespace Foo { }\nconst s = "namespace X {";',
    ]) {
      expect(stripTypes(text, 'ok.ts'), text).toMatchObject({ ok: true });
    }
  });

  it('reports syntax errors with 1-based positions', () => {
    expect(stripTypes('let a = 1;\nlet b: = 2;', 'bad.ts')).toMatchObject({
      ok: false,
      reason: 'syntax',
      line: 2,
      column: 8,
    });
  });

  it('survives hostile nesting with a caught error, and the next call still works', () => {
    const inputs = [
      `const a: number = ${'('.repeat(100_000)}1${')'.repeat(100_000)};`,
      `let a: ${'Array<'.repeat(10_000)}string${'>'.repeat(10_000)};`,
      `let a: any;\n${'if(a)'.repeat(10_000)}a;`,
    ];
    for (const text of inputs)
      expect(stripTypes(text, 'h.ts')).toMatchObject({ ok: false, reason: 'tooDeep' });
    expect(strip('const ok: number = 1;').code).toBe('const ok = 1;');
  });

  it('knows declaration files', () => {
    for (const file of ['a.d.ts', 'lib/b.d.mts', 'c.d.cts', 'styles.d.css.ts'])
      expect(isDeclarationFile(file)).toBe(true);
    for (const file of ['a.ts', 'd.ts', 'x.dts', 'lib/id.ts', 'a.d.js'])
      expect(isDeclarationFile(file)).toBe(false);
  });
});
