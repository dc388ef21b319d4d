import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

const shapesIn = (source: string) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' && fact.shape === 'require-on-global' ? [fact.detail] : [],
  );

describe('require-on-global shape', () => {
  it.each([
    ["global['r'] = require;", 'global.r = require'],
    ['globalThis._$ = module.require;', 'global._$ = module.require'],
    ["const g = global; g['x' + 1] = require;", 'global.x1 = require'],
  ])('reports %s', (source, detail) => {
    expect(shapesIn(source)).toEqual([detail]);
  });

  it.each([
    "global.fs = require('fs');",
    'exports.r = require;',
    'const r = require;',
    'global.x = requireLater;',
  ])('is silent for %s', (source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});
