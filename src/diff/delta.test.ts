import { describe, expect, it } from 'vitest';
import { analyzeSide } from './analyze-side.js';
import { computeDelta } from './delta.js';

const files = (entries: Record<string, string | Uint8Array>) =>
  new Map(
    Object.entries(entries).map(([path, content]) => [
      path,
      { bytes: typeof content === 'string' ? new TextEncoder().encode(content) : content },
    ]),
  );

/** ~3 KB of one-line code with short names: what a minifier writes. */
const MINIFIED = `${Array.from({ length: 120 }, (_, i) => `var a${i}=function(b){return b+${i}};`).join('')}\n`;
const ELF = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]);

describe('computeDelta', () => {
  const from = analyzeSide(
    files({
      'package.json': JSON.stringify({
        name: 'p',
        version: '1.0.0',
        scripts: { install: 'node-gyp rebuild' },
        dependencies: { a: '^1.0.0', gone: '1.0.0' },
      }),
      'index.js': "module.exports = require('./util.js');\n",
      'util.js': "fetch('https://api.example.com/v1');\n",
    }),
  );
  const to = analyzeSide(
    files({
      'package.json': JSON.stringify({
        name: 'p',
        version: '1.1.0',
        scripts: { install: 'node build.js' },
        dependencies: { a: '^2.0.0', fresh: '0.0.1' },
      }),
      'index.js': "module.exports = require('./dist/p.min.js');\n",
      'util.js': "fetch('https://api.example.com/v1');\nfetch('http://198.51.100.7:8080/x');\n",
      'dist/p.min.js': MINIFIED,
      'bin/helper': ELF,
    }),
  );
  const delta = computeDelta(from, to);

  it('reports changed install scripts with both commands', () => {
    expect(delta.installScripts).toEqual([
      { script: 'install', from: 'node-gyp rebuild', to: 'node build.js', runsFiles: [] },
    ]);
  });

  it('reports only hosts and IPs first seen in `to`', () => {
    expect(delta.hosts).not.toContain('api.example.com');
    expect(delta.ips).toEqual(['198.51.100.7']);
  });

  it('reports new minified and binary files', () => {
    expect(delta.minifiedFiles).toEqual(['dist/p.min.js']);
    expect(delta.binaryFiles).toEqual(['bin/helper']);
    expect(delta.added).toContain('native');
  });

  it('reports dependencies added, removed and re-ranged', () => {
    expect(delta.dependencies).toEqual({
      added: [{ name: 'fresh', field: 'dependencies', to: '0.0.1' }],
      removed: [{ name: 'gone', field: 'dependencies', from: '1.0.0' }],
      changed: [{ name: 'a', field: 'dependencies', from: '^1.0.0', to: '^2.0.0' }],
    });
  });

  it('compares files by content', () => {
    expect(delta.files).toEqual({
      added: ['bin/helper', 'dist/p.min.js'],
      removed: [],
      changed: ['index.js', 'package.json', 'util.js'],
    });
  });

  it('is empty between a package and itself', () => {
    const same = computeDelta(to, to);
    expect(same).toMatchObject({
      added: [],
      removed: [],
      installScripts: [],
      hosts: [],
      ips: [],
      findings: [],
    });
    expect(same.files).toEqual({ added: [], removed: [], changed: [] });
  });
});
