import { describe, expect, it } from 'vitest';
import { breakingBump, entrySurface, exportsRemoved, nothingRemoved } from './exports.js';

const files = (entries: Record<string, string>) =>
  new Map(Object.entries(entries).map(([path, text]) => [path, { bytes: new TextEncoder().encode(text) }]));

const surface = (manifest: Record<string, unknown>, entries: Record<string, string>) =>
  entrySurface(manifest, files({ 'package.json': JSON.stringify(manifest), ...entries }));

describe('entrySurface', () => {
  it('reads CommonJS exports: object literals, exports.x, defineProperty, chained TypeScript output', () => {
    const s = surface(
      { name: 'p', main: 'lib/index' },
      {
        'lib/index.js': [
          '"use strict";',
          'Object.defineProperty(exports, "__esModule", { value: true });',
          'exports.parse = exports.format = void 0;',
          "Object.defineProperty(exports, 'helper', { get: () => 1 });",
          'module.exports.extra = 1;',
          "exports['quoted'] = 2;",
        ].join('\n'),
      },
    );
    expect(s.mainFile).toBe('lib/index.js');
    expect(s.names).toEqual(['extra', 'format', 'helper', 'parse', 'quoted']);
  });

  it('reads ESM exports and follows relative re-exports', () => {
    const s = surface(
      {
        name: 'p',
        exports: { '.': { import: './esm/index.mjs', require: './cjs/index.cjs' }, './util': './u.js' },
      },
      {
        'cjs/index.cjs': 'const api = { a: 1, b };\nmodule.exports = api;',
        'esm/index.mjs':
          "export const a = 1;\nexport function b() {}\nexport * from './more.mjs';\nexport default 3;",
        'esm/more.mjs': 'export { c as d };',
        'u.js': '',
      },
    );
    expect(s.subpaths).toEqual(['.', './util']);
    expect(s.mainFile).toBe('cjs/index.cjs');
    expect(s.names).toEqual(['a', 'b', 'default']);
    const esm = surface(
      { exports: { import: './esm/index.mjs' } },
      {
        'esm/index.mjs':
          "export const a = 1;\nexport function b() {}\nexport * from './more.mjs';\nexport default 3;",
        'esm/more.mjs': 'const c = 1; export { c as d };',
      },
    );
    expect(esm.subpaths).toEqual(['.']);
    expect(esm.names).toEqual(['a', 'b', 'd', 'default']);
  });

  it('forwards a whole module re-exported with module.exports = require(…)', () => {
    const s = surface(
      {},
      {
        'index.js': "module.exports = require('./lib/add.js');",
        'lib/add.js': 'module.exports = function add() {};',
      },
    );
    expect(s.names).toEqual(['default']);
  });

  it('claims no names for a UMD wrapper or an unresolvable re-export', () => {
    const umd = surface(
      {},
      {
        'index.js':
          "(function (root, f) { if (typeof exports === 'object') module.exports = f(); })(this, () => ({}));",
      },
    );
    expect(umd.mainFile).toBe('index.js');
    expect(umd.names).toBeUndefined();
    expect(surface({}, { 'index.js': "module.exports = { ...require('x') };" }).names).toBeUndefined();
    expect(surface({}, { 'index.js': "export * from 'elsewhere';" }).names).toBeUndefined();
    const babel = [
      '"use strict";',
      "var _x = require('./x');",
      'Object.keys(_x).forEach(function (key) { exports[key] = _x[key]; });',
    ].join('\n');
    expect(surface({}, { 'index.js': babel, 'x.js': 'exports.a = 1;' }).names).toBeUndefined();
    expect(surface({}, { 'index.js': 'Object.assign(module.exports, { a: 1 });' }).names).toBeUndefined();
    const branch =
      "try { module.exports = require('util').inherits; } catch (e) { module.exports = require('./b'); }";
    expect(surface({}, { 'index.js': branch }).names).toBeUndefined();
  });

  it('names bins from a string or an object, and finds no main file when it is missing', () => {
    expect(surface({ name: '@s/tool', bin: 'cli.js' }, {}).bins).toEqual(['tool']);
    expect(surface({ bin: { b: 'b.js', a: 'a.js' } }, {}).bins).toEqual(['a', 'b']);
    expect(surface({ main: 'dist/index.js' }, {}).mainFile).toBeUndefined();
  });
});

describe('exportsRemoved', () => {
  const v1 = surface(
    { name: 'p', bin: { p: 'cli.js' }, exports: { '.': './index.js', './extra': './extra.js' } },
    { 'index.js': 'exports.a = 1; exports.b = 2;', 'extra.js': '', 'cli.js': '' },
  );

  it('reports subpaths, bins and names removed, and whether the version explains it', () => {
    const v2 = surface({ name: 'p', exports: { '.': './index.js' } }, { 'index.js': 'exports.a = 1;' });
    const removed = exportsRemoved(v1, v2, '1.2.3', '2.0.0');
    expect(removed).toEqual({
      subpaths: ['./extra'],
      bins: ['p'],
      names: ['b'],
      mainRemoved: false,
      mainEmptied: false,
      breaking: true,
    });
    expect(exportsRemoved(v1, v2, '1.2.3', '1.2.4').breaking).toBe(false);
    expect(exportsRemoved(v1, v2, '0.2.3', '0.3.0').breaking).toBe(true);
    expect(exportsRemoved(v1, v2, '', '1.0.0').breaking).toBe('unknown');
    expect(nothingRemoved(exportsRemoved(v1, v1, '1.0.0', '1.0.1'))).toBe(true);
  });

  it('sees a main entry removed (faker-style wipe) and one emptied', () => {
    const wiped = surface({ name: 'p', version: '6.6.6' }, { 'README.md': 'endgame' });
    expect(exportsRemoved(v1, wiped, '6.6.5', '6.6.6')).toMatchObject({ mainRemoved: true, names: [] });
    const emptied = surface(
      { name: 'p', exports: { '.': './index.js', './extra': './extra.js' } },
      {
        'index.js': "console.log('no more free work');",
      },
    );
    expect(exportsRemoved(v1, emptied, '1.0.0', '1.0.1')).toMatchObject({
      mainRemoved: false,
      mainEmptied: true,
    });
    const blank = surface(
      { name: 'p', exports: { '.': './index.js', './extra': './extra.js' } },
      {
        'index.js': "'use strict';\n// gone\n",
      },
    );
    expect(blank.emptyEntry).toBe(true);
    expect(exportsRemoved(v1, blank, '1.0.0', '1.0.1').mainEmptied).toBe(true);
  });

  it('does not call an unreadable (bundled) entry emptied', () => {
    const bundled = surface(
      { name: 'p', exports: { '.': './index.js', './extra': './extra.js' } },
      {
        'index.js':
          '!function(e){typeof exports=="object"&&(module.exports=e())}(function(){return{a:1,b:2}});',
      },
    );
    expect(exportsRemoved(v1, bundled, '1.0.0', '1.0.1')).toMatchObject({ names: [], mainEmptied: false });
  });
});

describe('breakingBump', () => {
  it('follows caret semantics, prereleases included', () => {
    expect(breakingBump('1.0.0', '1.9.0')).toBe(false);
    expect(breakingBump('0.0.1', '0.0.2')).toBe(true);
    expect(breakingBump('1.0.0', '1.0.1-beta.1')).toBe(false);
  });
});
