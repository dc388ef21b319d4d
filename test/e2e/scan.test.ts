import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/core/scan-result.js';
import { makeHome, repoRoot, runCli } from './run-cli.js';

const app = join(import.meta.dirname, 'testdata/vulnerable-app');
const home = makeHome();
const db = join(home, 'advisories.db');

const scanJson = (args: string[], cwdHome = home) => {
  const run = runCli(['scan', '--db', db, '--offline', '--format', 'json', ...args], { home: cwdHome });
  return { run, result: run.stdout ? (JSON.parse(run.stdout) as ScanResult) : undefined };
};

beforeAll(() => {
  const run = runCli(['db', 'import', join(repoRoot, 'testdata/osv/npm'), '--db', db], { home });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
});

describe('bulwark scan (compiled CLI, real advisories)', () => {
  it('reports malware first, then vulnerabilities, with exit code 1', () => {
    const { run, result } = scanJson([app]);
    expect(run.status).toBe(1);
    expect(result?.schemaVersion).toBe(1);
    const first = result!.findings[0]!;
    expect(first).toMatchObject({ type: 'malware', id: 'MAL-2025-46969', severity: 'critical' });
    expect(first.package).toEqual({ name: 'chalk', version: '5.6.1' });
    expect(first.remediation.kind).toBe('remove');
    const lodash = result!.findings.filter((f) => f.package.name === 'lodash').map((f) => f.id);
    expect(lodash).toContain('GHSA-35jh-r3h4-6jhm');
    expect(lodash).toContain('GHSA-29mw-wpgm-hmr9');
    for (const finding of result!.findings.filter((f) => f.package.name === 'lodash')) {
      expect(finding).toMatchObject({
        type: 'vulnerability',
        direct: true,
        devOnly: false,
        fixedIn: '4.17.21',
      });
      expect(finding.paths).toEqual([['vulnerable-app', 'lodash@4.17.20']]);
    }
  });

  it('lists every inventory package once and never matches a workspace against registry malware', () => {
    const { result } = scanJson([app]);
    const keys = result!.packages.map((p) => `${p.name}@${p.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(
      expect.arrayContaining(['chalk@5.6.1', 'lodash@4.17.20', 'minimist@0.0.8', 'mkdirp@0.5.1']),
    );
    expect(result!.findings.some((f) => f.package.name === 'chal')).toBe(false);
  });

  it('marks dev-only findings and drops them with --omit dev', () => {
    const all = scanJson([app]).result!;
    const minimist = all.findings.find((f) => f.package.name === 'minimist');
    expect(minimist).toMatchObject({ devOnly: true, direct: false });
    expect(minimist!.paths[0]).toEqual(['vulnerable-app', 'mkdirp@0.5.1', 'minimist@0.0.8']);
    const prod = scanJson([app, '--omit', 'dev']).result!;
    expect(prod.findings.some((f) => f.package.name === 'minimist')).toBe(false);
    expect(prod.packages.some((p) => p.name === 'minimist')).toBe(false);
    expect(prod.options.omitDev).toBe(true);
  });

  it('exit code follows --fail-on; malware always fails unless never', () => {
    expect(scanJson([app, '--fail-on', 'never']).run.status).toBe(0);
    expect(scanJson([app, '--fail-on', 'critical']).run.status).toBe(1);
    const bad = runCli(['scan', app, '--db', db, '--fail-on', 'severe'], { home });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('--fail-on');
  });

  it('keeps suppressed findings visible and resurfaces expired ones', () => {
    const project = join(makeHome(), 'app');
    cpSync(app, project, { recursive: true });
    writeFileSync(
      join(project, 'bulwark.yaml'),
      [
        'suppressions:',
        '  - id: CVE-2021-23337',
        '    package: lodash',
        '    reason: we never call template()',
        '    expires: 2999-01-01',
        '  - id: GHSA-29mw-wpgm-hmr9',
        '    reason: accepted last year',
        '    expires: 2020-01-01',
      ].join('\n'),
    );
    const { result } = scanJson([project]);
    const template = result!.findings.find((f) => f.id === 'GHSA-35jh-r3h4-6jhm')!;
    expect(template.suppression).toMatchObject({ reason: 'we never call template()', expires: '2999-01-01' });
    const expired = result!.findings.find((f) => f.id === 'GHSA-29mw-wpgm-hmr9')!;
    expect(expired.suppression).toBeUndefined();
    expect(expired.expiredSuppression).toMatchObject({ reason: 'accepted last year' });
    expect(result!.summary.suppressed).toBe(1);
  });

  it('renders every format and writes --output atomically', () => {
    for (const format of ['table', 'markdown', 'sarif', 'cyclonedx']) {
      const run = runCli(['scan', app, '--db', db, '--offline', '--format', format], { home });
      expect(run.status, format).toBe(1);
      expect(run.stdout.length, format).toBeGreaterThan(100);
    }
    const sarif = JSON.parse(runCli(['scan', app, '--db', db, '--offline', '-f', 'sarif'], { home }).stdout);
    expect(sarif.version).toBe('2.1.0');
    const output = join(makeHome(), 'report.json');
    const run = runCli(['scan', app, '--db', db, '--offline', '-f', 'json', '-o', output], { home });
    expect(run.stdout).toBe('');
    expect(JSON.parse(readFileSync(output, 'utf8')).findings.length).toBeGreaterThan(0);
  });

  it('matches declared ranges at their floor when there is no lockfile', () => {
    const project = join(makeHome(), 'no-lock');
    cpSync(app, project, { recursive: true });
    rmSync(join(project, 'package-lock.json'));
    const { run, result } = scanJson([project]);
    expect(run.stderr).toContain('no lockfile');
    const lodash = result!.findings.find((f) => f.id === 'GHSA-35jh-r3h4-6jhm');
    expect(lodash?.package).toEqual({ name: 'lodash', version: '^4.17.0' });
    expect(lodash?.fixedIn).toBe('4.17.21');
    expect(result!.findings.some((f) => f.package.name === 'chal')).toBe(false);
  });

  it('warns about a missing database and still inventories', () => {
    const fresh = makeHome();
    const run = runCli(['scan', app, '--offline', '-f', 'json'], { home: fresh });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^bulwark: warning: no advisory database at .*bulwark\.db/m);
    expect(JSON.parse(run.stdout).packages.length).toBe(4);
    expect(existsSync(join(fresh, 'bulwark.db'))).toBe(false);
  });

  it('scans the real lockfiles of large projects', () => {
    for (const name of [
      'npm-cli',
      'jest',
      'astro',
      'webpack',
      'hono',
      'vue-core',
      'feature-extract-v1',
      'safe-chain-shrinkwrap',
    ]) {
      const { run, result } = scanJson([join(repoRoot, 'testdata/lockfiles', name), '--fail-on', 'never']);
      expect(run.status, `${name}: ${run.stderr}`).toBe(0);
      expect(result!.packages.length, name).toBeGreaterThan(200);
    }
  });

  it('answers bad input with one line and exit code 2', () => {
    const missing = runCli(['scan', join(home, 'no-such-dir')], { home });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^bulwark: .*no-such-dir.*\n$/);
    const broken = join(makeHome(), 'package-lock.json');
    writeFileSync(broken, '{"lockfileVersion": 3, "packages": {"": {');
    const run = runCli(['scan', '--lockfile', broken, '--db', db], { home });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.stderr).toContain(broken);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
