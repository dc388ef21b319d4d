import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

const shapesIn = (source: string) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' && fact.shape === 'packer-signature' ? [fact.detail] : [],
  );

describe('packer-signature shape', () => {
  it.each([
    ["eval(function(p,a,c,k,e,d){return p}('0 1',2,2,'a|b'.split('|'),0,{}))", 'function(p,a,c,k,e,d)'],
    ["eval(function(p,a,c,k,e,r){return p}('0',1,1,'a'.split('|'),0,{}))", 'function(p,a,c,k,e,r)'],
  ])('reports %s', (source, detail) => {
    expect(shapesIn(source)).toEqual([detail]);
  });

  it.each(['(function(a,b,c,d,e,f){})()', '(function(p,a,c,k,e){})()', 'const f = (p,a,c,k,e,d) => p;'])(
    'is silent for %s',
    (source) => {
      expect(shapesIn(source)).toEqual([]);
    },
  );
});
