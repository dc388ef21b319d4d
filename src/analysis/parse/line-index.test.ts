import { describe, expect, it } from 'vitest';
import { createLineIndex } from './line-index.js';

describe('createLineIndex', () => {
  it('gives 1-based line and column for text with \\n only', () => {
    const index = createLineIndex('ab\ncd\n\nef');
    expect(index.lineCount).toBe(4);
    expect(index.positionAt(0)).toEqual({ line: 1, column: 1 });
    expect(index.positionAt(3)).toEqual({ line: 2, column: 1 });
    expect(index.positionAt(7)).toEqual({ line: 4, column: 1 });
    expect(index.positionAt(8)).toEqual({ line: 4, column: 2 });
  });

  it('counts \\r\\n once, a lone \\r and U+2028/U+2029 as line ends', () => {
    const index = createLineIndex('a\r\nb\rc\u2028d\u2029e\nf');
    expect(index.lineCount).toBe(6);
    expect(index.positionAt(3)).toEqual({ line: 2, column: 1 });
    expect(index.positionAt(5)).toEqual({ line: 3, column: 1 });
    expect(index.positionAt(7)).toEqual({ line: 4, column: 1 });
    expect(index.positionAt(9)).toEqual({ line: 5, column: 1 });
    expect(index.positionAt(11)).toEqual({ line: 6, column: 1 });
  });

  it('clamps offsets outside the text', () => {
    const index = createLineIndex('x\ny');
    expect(index.positionAt(-5)).toEqual({ line: 1, column: 1 });
    expect(index.positionAt(99)).toEqual({ line: 2, column: 2 });
    expect(index.positionAt(Number.NaN)).toEqual({ line: 1, column: 1 });
  });
});
