import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

const shapesIn = (source: string) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' ? [{ shape: fact.shape, detail: fact.detail, line: fact.at.line }] : [],
  );

describe('long-timer shape', () => {
  it('reports an interval of hours, written as a product, through a global alias', () => {
    expect(shapesIn('const g = globalThis;\ng.setInterval(run, 12 * 60 * 60 * 1000);')).toEqual([
      { shape: 'long-timer', detail: 'setInterval every 12 h', line: 2 },
    ]);
  });

  it.each([
    'setTimeout(run, 1000)',
    'setInterval(run, delay)',
    'setTimeout(run)',
    'other(run, 99999999)',
    'setTimeout(run, 1/0)',
  ])('is silent for %s', (source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});
