import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

const shapesIn = (source: string) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' && fact.shape === 'install-hook-injection' ? [fact.detail] : [],
  );

describe('install-hook-injection shape', () => {
  it.each([
    ["pkg.scripts.postinstall = 'node bundle.js';", 'scripts.postinstall = node bundle.js'],
    ["manifest['scripts']['preinstall'] = cmd;", 'scripts.preinstall'],
  ])('reports %s', (source, detail) => {
    expect(shapesIn(source)).toEqual([detail]);
  });

  it.each([
    "pkg.scripts.prepare = 'husky';",
    "pkg.postinstall = 'x';",
    "const pkg = { scripts: { postinstall: 'node x.js' } };",
    "pkg.scripts.postinstall += ' && x';",
  ])('is silent for %s', (source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});
