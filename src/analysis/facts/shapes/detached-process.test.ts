import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

const shapesIn = (source: string) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' && fact.shape === 'detached-process'
      ? [{ detail: fact.detail, line: fact.at.line }]
      : [],
  );

describe('detached-process shape', () => {
  it.each([
    "const cp = require('child_process');\ncp.spawn(bin, [], { detached: true, stdio: 'ignore' }).unref();",
    "spawn(bin, [], { 'detached': true });\n",
    'spawn(bin, [], { stdio: "ignore", detached: !0 });\n',
  ])('reports %s', (source) => {
    expect(shapesIn(source)).toEqual([
      { detail: 'child process options { detached: true }', line: source.startsWith('const') ? 2 : 1 },
    ]);
  });

  it.each([
    'spawn(bin, [], { detached: false });',
    'spawn(bin, [], { detached });',
    'const o = { [detached]: true };',
    'const o = { detachedMode: true };',
  ])('is silent for %s', (source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});
