import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import { checkJsonDepth, decodeUtf8, lineColumnAt, parseJsonInput, readInputFile } from './input.js';

const failure = (fn: () => unknown): InputError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
};

describe('parseJsonInput', () => {
  it('parses valid JSON', () => {
    expect(parseJsonInput('{"a": [1, 2]}', 'f.json')).toEqual({ a: [1, 2] });
  });

  it('names the file and the line:column of a syntax error', () => {
    const error = failure(() => parseJsonInput('{\n  "a": 1,\n  "b" 2\n}', 'f.json'));
    expect(error.message).toMatch(/^f\.json:3:\d+: invalid JSON/);
  });

  it('refuses __proto__ keys with their position and path, but not the same text as a value', () => {
    const error = failure(() => parseJsonInput('{\n "a": [{"__proto__": {"x": 1}}]}', 'f.json'));
    expect(error.message).toBe(
      'f.json:2:9: contains a "__proto__" key (at $.a[0].__proto__), which no valid input has',
    );
    expect(parseJsonInput('{"readme": "set \\"__proto__\\": {}"}', 'f.json')).toEqual({
      readme: 'set "__proto__": {}',
    });
  });

  it('refuses hostile nesting before JSON.parse sees it', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect(failure(() => parseJsonInput(deep, 'f.json')).message).toContain(
      'nesting deeper than 1000 levels',
    );
    expect(() => checkJsonDepth('"[[[[[[["', 'f.json', 2)).not.toThrow();
  });

  it('reports an empty file as empty', () => {
    expect(failure(() => parseJsonInput('  \n', 'f.json')).message).toContain('f.json');
  });
});

describe('readInputFile and decodeUtf8', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-input-'));

  it('strips a BOM and rejects invalid UTF-8 with the offset', () => {
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), 'f')).toBe('a');
    const error = failure(() => decodeUtf8(new Uint8Array([0x61, 0x62, 0xff, 0x63]), 'f'));
    expect(error.message).toBe('f: is not valid UTF-8 (first bad byte at offset 2)');
  });

  it('refuses files over the limit, directories and missing files', () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, 'x'.repeat(2048));
    expect(failure(() => readInputFile(big, 1024)).message).toContain('over the 0.0 MiB limit');
    expect(failure(() => readInputFile(dir)).message).toContain('is not a regular file');
    expect(failure(() => readInputFile(join(dir, 'nope'))).message).toContain('does not exist');
  });

  it('counts lines and columns from 1', () => {
    expect(lineColumnAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
