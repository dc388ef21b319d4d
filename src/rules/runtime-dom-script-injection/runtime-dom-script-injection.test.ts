import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { runtimeDomScriptInjection as rule } from './runtime-dom-script-injection.js';

const shape = (name: string, detail: string, line = 1, file = 'index.js'): CodeFact => ({
  kind: 'shape',
  shape: name,
  detail,
  at: at(file, line),
});

describe('runtime-dom-script-injection', () => {
  it('reports a created script given a remote src, as a capability', () => {
    const code = [
      shape('dom-create-element', 'script', 1),
      shape('dom-src-url', 'src https://cdn.invalid/kit.js', 2),
    ];
    expect(rule.run(packageFacts({ code })).map((f) => [f.kind, f.message, f.line])).toEqual([
      ['capability', 'index.js loads a remote script: https://cdn.invalid/kit.js', 2],
    ]);
  });

  it('reports a remote iframe written as HTML without createElement', () => {
    const code = [shape('dom-src-url', 'iframe //frames.invalid/x', 4)];
    expect(rule.run(packageFacts({ code })).map((f) => f.message)).toEqual([
      'index.js loads a remote iframe: //frames.invalid/x',
    ]);
  });

  it.each([
    [
      'a remote src with no script or iframe created (an image)',
      [shape('dom-src-url', 'src https://img.invalid/a.png')],
    ],
    [
      'a script from the dev server',
      [shape('dom-create-element', 'script'), shape('dom-src-url', 'src http://localhost:8080/app.js')],
    ],
    [
      'a created script and a remote src in different files',
      [
        shape('dom-create-element', 'script', 1, 'a.js'),
        shape('dom-src-url', 'src https://cdn.invalid/k.js', 1, 'b.js'),
      ],
    ],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});
