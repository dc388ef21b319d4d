import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

const shapesIn = (source: string) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' ? [`${fact.shape}: ${fact.detail}`] : [],
  );

describe('analysis-tool names', () => {
  it.each([
    [
      "const watch = ['top', 'htop', 'vmstat', 'iostat'];",
      'monitor-tool-list: monitoring tools: top, htop, vmstat, iostat',
    ],
    [
      'if (/htop|glances|nmon/.test(list)) quit();',
      'monitor-tool-list: monitoring tools: htop, glances, nmon',
    ],
    [
      "const _0x1 = ['utf8', 'top', 'htop', 'iostat', 'glances', 'ps', '/etc/machine-id'];",
      'monitor-tool-list: monitoring tools: top, htop, iostat, glances (beside ps)',
    ],
    [
      "const vm = ['VBoxService.exe', 'vmtoolsd.exe', 'WDAGUtilityAccount'];",
      'sandbox-name-list: sandbox identities: vboxservice, vmtoolsd, wdagutilityaccount',
    ],
  ])('reports %s', (source, shape) => {
    expect(shapesIn(source)).toEqual([shape]);
  });

  it.each([
    "const words = ['top', 'sar', 'htop'];", // two ordinary names
    "const modes = ['top', 'bottom', 'left'];",
    "const names = ['sandbox', 'malware', 'virus'];", // generic words only
    "const x = 'top|htop';",
  ])('is silent for %s', (source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});

describe('tell-tale literals', () => {
  it.each([
    [
      "spawn('claude', ['--dangerously-skip-permissions', '-p', prompt]);",
      'agent-bypass-flag: --dangerously-skip-permissions',
    ],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test
    ['run(`gemini --yolo -p "${p}"`);', 'agent-bypass-flag: --yolo'],
    ["exec('xprintidle', cb);", 'idle-check: xprintidle'],
    [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test
      'const u = `/repos/${r}/actions/runners/registration-token`;',
      'runner-registration: actions/runners/registration-token',
    ],
    ["const wf = 'name: x\\non: discussion\\njobs: {}';", 'workflow-discussion-trigger: on: discussion'],
    ["const task = { runOptions: { runOn: 'folderOpen' } };", 'folder-open-task: folderOpen'],
    ["exec('rundll32 node-gyp.dll,main');", 'lolbin-command: rundll32 node-gyp.dll,main'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test
    ['exec(`mshta ${url}`);', 'lolbin-command: mshta '],
  ])('reports %s', (source, shape) => {
    expect(shapesIn(source)).toEqual([shape]);
  });

  it.each([
    "const flag = '--yes';",
    "const doc = 'discussion board';",
    "log('idle time')",
    "const shell = new ActiveXObject('WScript.Shell');",
    "const open = 'rundll32';",
  ])('is silent for %s', (source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});

describe('fs-target', () => {
  it.each([
    ["const fs = require('fs'); fs.unlinkSync(__filename);", 'self-delete: unlinkSync(__filename)'],
    ["require('fs').rmSync(__dirname, { recursive: true });", 'self-delete: rmSync(__dirname)'],
    [
      "const fs = require('fs'), path = require('path');\nfs.renameSync('package.md', path.join(__dirname, 'package.json'));",
      'own-manifest-write: renameSync → package.json',
    ],
    [
      "const fs = require('fs'); fs.copyFileSync('clean.json', 'package.json');",
      'own-manifest-write: copyFileSync → package.json',
    ],
    [
      "const fs = require('fs'); const os = require('os'); fs.rmSync(os.homedir(), { recursive: true, force: true });",
      'home-delete: rmSync of the home or root directory',
    ],
    [
      "const rimraf = require('rimraf'); rimraf.sync(process.env.HOME);",
      'home-delete: rimraf.sync of the home or root directory',
    ],
    [
      "import { promises } from 'fs'; await promises.unlink(process.argv[1]);",
      'self-delete: unlink(process.argv[1])',
    ],
    [
      "const fse = require('fs-extra'); fse.removeSync('~/');",
      'home-delete: removeSync of the home or root directory',
    ],
  ])('reports %s', (source, shape) => {
    expect(shapesIn(source)).toEqual([shape]);
  });

  it.each([
    "const fs = require('fs'); fs.unlinkSync(tmpFile);",
    "const fs = require('fs'); fs.readFileSync(__filename);",
    "const fs = require('fs'); fs.writeFileSync('out/package.json', data);",
    "const fs = require('fs'); const os = require('os'); fs.rmSync(require('path').join(os.homedir(), '.cache', 'x'), { recursive: true });",
  ])('is silent for %s', (source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});

describe('unbounded-loop', () => {
  it.each([
    [
      'for (let i = 666; i < Infinity; i++) { console.log(i); }',
      'unbounded-loop: counts to Infinity at module top level, no exit',
    ],
    ['while (true) { burn(); }', 'unbounded-loop: endless loop at module top level, no exit'],
    [
      'for (;;) { const f = () => { return 1; }; f(); }',
      'unbounded-loop: endless loop at module top level, no exit',
    ],
    [
      'function f() { for (let i = 0; i <= Infinity; i++) work(i); }',
      'unbounded-loop: counts to Infinity in a function, no exit',
    ],
  ])('reports %s', (source, shape) => {
    expect(shapesIn(source)).toEqual([shape]);
  });

  it.each([
    'while (true) { if (done()) break; }',
    'for (;;) { const x = next(); if (!x) process.exit(0); }',
    'function loop() { while (true) { step(); } }',
    'async function main() { for (;;) { await tick(); } }',
    'for (let i = 0; i < Infinity; i++) { if (found(i)) throw new Error(); }',
    'while (queue.length) { queue.pop(); }',
  ])('is silent for %s', (source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});

describe('load-path hijack', () => {
  it.each([
    [
      "const os = require('os'), path = require('path'); module.paths.push(path.join(os.homedir(), '.node_modules'));",
      'module-path-add: paths.push(~/.node_modules)',
    ],
    [
      "const os = require('os'), path = require('path'); process.env.PATH = path.join(os.homedir(), '.local', 'Python3127') + ':' + process.env.PATH;",
      'path-prepend: PATH prepends ~/.local/Python3127',
    ],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test
    ['process.env.PATH = `/tmp/.x:${process.env.PATH}`;', 'path-prepend: PATH prepends /tmp/.x:'],
  ])('reports %s', (source, shape) => {
    expect(shapesIn(source)).toEqual([shape]);
  });

  it.each([
    "process.env.PATH = process.env.PATH + ':/opt/tool/bin';",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test
    'process.env.PATH = `${process.env.PATH}:${extra}`;',
    'process.env.FOO = bar + process.env.PATH;',
  ])('is silent for %s', (source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});

describe('country-check', () => {
  it('reports a comparison with a targeted country', () => {
    expect(shapesIn("if (geo.country_name === 'Russia') wipe();")).toEqual([
      "country-check: compares with 'Russia'",
    ]);
  });

  it('is silent for other comparisons', () => {
    expect(shapesIn("if (geo.country === 'NZ' || lang === 'en-US') greet();")).toEqual([]);
  });
});

describe('country-check substring tests', () => {
  it('reports includes/startsWith of a targeted country name', () => {
    expect(shapesIn("if (country.toLowerCase().includes('russia')) wipe();")).toEqual([
      "country-check: includes('russia')",
    ]);
  });

  it('is silent for other substrings', () => {
    expect(shapesIn("if (name.includes('rust')) build();")).toEqual([]);
  });
});

describe('encoded-tell', () => {
  it.each([
    [
      "const k = X('6e706d5f7061636b6167655f6465736372697074696f6e');",
      'encoded-tell: hex npm_package_description: npm_package_description',
    ],
    ["const c = d('cnVzc2lh');", 'encoded-tell: base64 russia: russia'],
    ["const m = X('5f636f6d70696c65');", 'encoded-tell: hex _compile: _compile'],
  ])('reports %s', (source, shape) => {
    expect(shapesIn(source)).toEqual([shape]);
  });

  it.each([
    "const id = 'deadbeefcafe';",
    "const word = 'abcdefgh';",
    "const hash = 'sha512-abc';",
    "const plain = 'npm_package_name';",
  ])('is silent for %s', (source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});
