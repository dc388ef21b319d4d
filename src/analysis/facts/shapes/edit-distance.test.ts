import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

const shapesIn = (source: string) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' && fact.shape === 'edit-distance' ? [fact.at.line] : [],
  );

describe('edit-distance shape', () => {
  it('reports the Levenshtein table step', () => {
    const source =
      'for (;;) {\n  d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);\n}';
    expect(shapesIn(source)).toEqual([2]);
  });

  it.each([
    'Math.min(a, b, c)',
    'Math.min(a + 1, b + 1)',
    'other.min(a + 1, b + 1, c)',
    'Math.max(a + 1, b + 1, c)',
  ])('is silent for %s', (source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});
