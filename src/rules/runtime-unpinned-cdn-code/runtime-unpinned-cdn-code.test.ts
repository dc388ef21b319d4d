import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { at, packageFacts } from '../rule-test-kit.js';
import { floatingCdnSpec, runtimeUnpinnedCdnCode as rule } from './runtime-unpinned-cdn-code.js';

const shape = (name: string, detail: string, line = 1): CodeFact => ({
  kind: 'shape',
  shape: name,
  detail,
  at: at('index.js', line),
});
const dynamicImport = (module: string): CodeFact => ({
  kind: 'import',
  module,
  dynamic: true,
  computed: false,
  at: at('index.js', 7),
});

describe('floatingCdnSpec', () => {
  it.each([
    ['https://cdn.jsdelivr.net/npm/@ledgerhq/connect-kit@1', '@ledgerhq/connect-kit@1'],
    ['https://unpkg.com/kit@latest/dist/index.js', 'kit@latest'],
    ['//unpkg.com/kit', 'kit@(none)'],
    ['https://esm.sh/kit@^2.1', 'kit@^2.1'],
    ['https://cdn.jsdelivr.net.invalid/npm/kit@1.2', 'kit@1.2'],
    ['https://unpkg.com/kit@1.2.3/index.js', undefined],
    ['https://cdn.jsdelivr.net/gh/user/repo/file.js', undefined],
    ['https://cdn.invalid/pkg@1/index.js', 'pkg@1'],
    ['https://mirror.invalid/@scope/kit@latest', '@scope/kit@latest'],
    ['https://cdn.invalid/pkg@1.2.3/index.js', undefined],
    ['https://cdn.invalid/user@host/index.js', undefined],
    ['https://cdn.invalid/pkg/index.js', undefined],
  ])('%s → %s', (url, spec) => {
    expect(floatingCdnSpec(url)).toBe(spec);
  });
});

describe('runtime-unpinned-cdn-code', () => {
  it('reports a script tag and an import() of floating CDN versions', () => {
    const code = [
      shape('dom-create-element', 'script', 1),
      shape('dom-src-url', 'src https://cdn.jsdelivr.net/npm/@ledgerhq/connect-kit@1', 2),
      dynamicImport('https://esm.sh/kit@latest'),
    ];
    expect(rule.run(packageFacts({ code })).map((f) => [f.message, f.line, f.confidence])).toEqual([
      [
        'index.js runs @ledgerhq/connect-kit@1 from a CDN via <script>: https://cdn.jsdelivr.net/npm/@ledgerhq/connect-kit@1',
        2,
        'medium',
      ],
      ['index.js runs kit@latest from a CDN via import(): https://esm.sh/kit@latest', 7, 'medium'],
    ]);
  });

  it.each([
    [
      'a pinned version',
      [shape('dom-create-element', 'script'), shape('dom-src-url', 'src https://unpkg.com/kit@1.2.3/a.js')],
    ],
    ['a floating URL given to an image', [shape('dom-src-url', 'src https://unpkg.com/kit@1/logo.png')]],
    ['a floating iframe page', [shape('dom-src-url', 'iframe https://unpkg.com/kit@1/demo.html')]],
    ['a static import of a pinned URL', [dynamicImport('https://unpkg.com/kit@2.0.0')]],
  ])('is silent for %s', (_, code) => {
    expect(rule.run(packageFacts({ code }))).toEqual([]);
  });
});
