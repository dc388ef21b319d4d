import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

const shapesIn = (source: string) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' && fact.shape.startsWith('dom-') ? [`${fact.shape}: ${fact.detail}`] : [],
  );

describe('dom-injection shape', () => {
  it('reports a script element given a remote src', () => {
    const source = [
      "const s = document.createElement('script');",
      "s.src = 'https://cdn.invalid/npm/kit@1';",
      'document.head.appendChild(s);',
    ].join('\n');
    expect(shapesIn(source)).toEqual([
      'dom-create-element: script',
      'dom-src-url: src https://cdn.invalid/npm/kit@1',
    ]);
  });

  it('reports setAttribute, innerHTML and insertAdjacentHTML carrying remote frames', () => {
    const source = [
      "f.setAttribute('src', '//frames.invalid/x');",
      `box.innerHTML = '<iframe width="0" src="https://frames.invalid/y"></iframe>';`,
      `document.body.insertAdjacentHTML('beforeend', "<script src='https://cdn.invalid/z.js'></script>");`,
      `window.document.createElementNS('http://www.w3.org/1999/xhtml', 'iframe');`,
    ].join('\n');
    expect(shapesIn(source)).toEqual([
      'dom-src-url: src //frames.invalid/x',
      'dom-src-url: iframe https://frames.invalid/y',
      'dom-src-url: script https://cdn.invalid/z.js',
      'dom-create-element: iframe',
    ]);
  });

  it('reads computed method names, written or folded', () => {
    const source =
      "document['createElement']('iframe');\nconst m = 'create' + 'Element';\ndocument[m]('script');";
    expect(shapesIn(source)).toEqual(['dom-create-element: iframe', 'dom-create-element: script']);
  });

  it.each([
    "document.createElement('div')",
    "img.src = './logo.png'",
    'img.src = url',
    "el.innerHTML = '<b>hello</b>'",
    "el.setAttribute('href', 'https://site.invalid/')",
  ])('is silent for %s', (source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});
