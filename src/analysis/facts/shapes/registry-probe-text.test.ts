// biome-ignore-all lint/suspicious/noTemplateCurlyInString: JavaScript source under test uses template literals
import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

const shapesIn = (source: string) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' && fact.shape === 'registry-probe-text' ? [fact.detail] : [],
  );

describe('registry-probe-text shape', () => {
  it.each([
    ['fetch(`${registry}/-/whoami`)', '/-/whoami'],
    ['fetch(`${r}/-/v1/search?text=maintainer:${user}&size=250`)', '/-/v1/search?text=maintainer:'],
    ["run('npm version patch --no-git-tag-version')", 'npm version patch'],
    ['cmd = `cd ${dir} && npm pack`', 'npm pack'],
  ])('reports %s', (source, detail) => {
    expect(shapesIn(source)).toEqual([detail]);
  });

  it.each(['fetch(`${r}/-/v1/search?text=${q}`)', "log('npm packages are great')", "x = 'whoami'"])(
    'is silent for %s',
    (source) => {
      expect(shapesIn(source)).toEqual([]);
    },
  );
});
