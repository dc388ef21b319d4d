import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { maliciousPackage } from '../../src/scan/analysis/testdata/packages.js';
import { makeHome, runCli } from './run-cli.js';

const home = makeHome();
const tgz = join(home, 'fixture-stealer-1.0.0.tgz');

beforeAll(async () => {
  writeFileSync(tgz, await maliciousPackage());
});

describe('bulwark inspect --format sarif|markdown (compiled CLI)', () => {
  it('sarif: one result per finding, the verdict in the run properties, exit 1 for malicious', () => {
    const run = runCli(['inspect', tgz, '--format', 'sarif'], { home });
    expect(run.status, run.stderr).toBe(1);
    const log = JSON.parse(run.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].properties).toMatchObject({
      verdict: 'malicious',
      package: { name: 'fixture-stealer' },
    });
    const rules = log.runs[0].results.map((r: { ruleId: string }) => r.ruleId);
    expect(rules).toContain('install-script-download-exec');
  });

  it('markdown: the verdict heading and a row per finding', () => {
    const run = runCli(['inspect', tgz, '-f', 'markdown', '--fail-on', 'never'], { home });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^## Bulwark inspect: `fixture-stealer@1\.0\.0` is MALICIOUS/);
    expect(run.stdout).toContain('`install-script-download-exec`');
  });

  it('an unknown format is a usage error on one line', () => {
    const run = runCli(['inspect', tgz, '-f', 'html'], { home });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
