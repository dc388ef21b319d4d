import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeHarness,
  FIXTURES,
  type Harness,
  makeProject,
  startHarness,
} from '../../support/firewall-harness.js';
import { clientProblem, explain, runClient } from '../../support/package-managers.js';
import { type Published, tarballFile } from '../../support/upstream-registry.js';

const npmProblem = await clientProblem('npm');
if (npmProblem) console.warn(`skipping npm lockfile and audit tests: ${npmProblem}`);

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ analysis: false });
}, 120_000);
// No request through the firewall may have been an internal error.
afterAll(() => closeHarness(harness));

const PUBLIC = 'https://registry.npmjs.org/';

/** A lockfile v3 entry for a published fixture, its `resolved` under `base`. */
const lockEntry = (p: Published, base: string, dependencies?: Record<string, string>) => ({
  version: p.version,
  resolved: `${base}${p.name}/-/${tarballFile(p.name, p.version)}`,
  integrity: p.integrity,
  license: 'MIT',
  ...(dependencies ? { dependencies } : {}),
});

/** package.json and package-lock.json for exact dependencies, each resolved under `base`. */
const lockedProject = (
  label: string,
  packages: { p: Published; deps?: Record<string, string> }[],
  direct: string[],
  base: string,
) => {
  const dependencies = Object.fromEntries(
    packages.filter(({ p }) => direct.includes(p.name)).map(({ p }) => [p.name, p.version]),
  );
  const lock = {
    name: 'fw-e2e',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'fw-e2e', version: '1.0.0', dependencies },
      ...Object.fromEntries(
        packages.map(({ p, deps }) => [`node_modules/${p.name}`, lockEntry(p, base, deps)]),
      ),
    },
  };
  return makeProject(harness, label, {
    'package.json': `${JSON.stringify({ name: 'fw-e2e', version: '1.0.0', private: true, dependencies }, null, 2)}\n`,
    'package-lock.json': `${JSON.stringify(lock, null, 2)}\n`,
  });
};

const npm = (args: string[], project: string, home: string) =>
  runClient('npm', args, { cwd: project, home, registry: harness.registry });

describe
  .skipIf(npmProblem !== undefined)
  .concurrent('npm ci from a lockfile through the firewall', { timeout: 240_000 }, () => {
    it('installs a clean lockfile whose resolved URLs name registry.npmjs.org (npm points them at the firewall)', async () => {
      const f = harness.fixtures;
      const { project, home } = lockedProject(
        'ci-clean',
        [
          { p: f['bw-clean@1.0.0']!, deps: { 'bw-clean-dep': '^2.0.0' } },
          { p: f['bw-clean-dep@2.1.0']! },
          { p: f['@bwtest/scoped-clean@1.2.0']!, deps: { 'bw-clean-dep': '^2.0.0' } },
        ],
        ['bw-clean', '@bwtest/scoped-clean'],
        PUBLIC,
      );
      const run = await npm(['ci'], project, home);
      expect(run.status, explain(run)).toBe(0);
      const installed = JSON.parse(
        readFileSync(join(project, 'node_modules/@bwtest/scoped-clean/package.json'), 'utf8'),
      );
      expect(installed.version).toBe('1.2.0');
      const served = harness.decisions.filter(
        (d) => d.package === '@bwtest/scoped-clean' && d.request === 'tarball',
      );
      expect(served.map((d) => [d.client, d.action])).toContainEqual(['npm', 'allow']);
    });

    it('fails on a too-new tarball the lockfile names at registry.npmjs.org, with the rule and reason', async () => {
      const fresh = harness.fixtures[`${FIXTURES.fresh.name}@${FIXTURES.fresh.hidden}`]!;
      const { project, home } = lockedProject('ci-fresh', [{ p: fresh }], [fresh.name], PUBLIC);
      const run = await npm(['ci'], project, home);
      expect(run.status, explain(run)).not.toBe(0);
      expect(run.output, explain(run)).toContain('E403');
      expect(run.output, explain(run)).toContain('bw-fresh@1.2.0 (minimumReleaseAge)');
      expect(run.output, explain(run)).toContain('under the minimum release age');
      // The request reached the firewall (the host was rewritten), not the public registry.
      expect(run.output).toContain(`${harness.registry}bw-fresh/-/bw-fresh-1.2.0.tgz`);
      expect(existsSync(join(project, 'node_modules/bw-fresh/package.json'))).toBe(false);
    });

    it("fails on a denied tarball the lockfile names at the firewall's own URL", async () => {
      const scripted = harness.fixtures[`${FIXTURES.scripted.name}@${FIXTURES.scripted.version}`]!;
      const { project, home } = lockedProject(
        'ci-scripted',
        [{ p: scripted }],
        [scripted.name],
        harness.registry,
      );
      const run = await npm(['ci'], project, home);
      expect(run.status, explain(run)).not.toBe(0);
      expect(run.output, explain(run)).toContain('bw-scripted@1.0.0 (installScripts)');
      expect(existsSync(join(project, 'node_modules/bw-scripted/package.json'))).toBe(false);
    });

    it('fails on a vulnerable tarball a lockfile names', async () => {
      const vulnerable = harness.fixtures[`minimist@${FIXTURES.vulnerable.version}`]!;
      const { project, home } = lockedProject('ci-vulnerable', [{ p: vulnerable }], ['minimist'], PUBLIC);
      const run = await npm(['ci'], project, home);
      expect(run.status, explain(run)).not.toBe(0);
      expect(run.output, explain(run)).toContain(`minimist@1.2.5 (vulnerabilities)`);
      expect(run.output, explain(run)).toContain(FIXTURES.vulnerable.advisory);
      const denied = harness.decisions.filter((d) => d.package === 'minimist' && d.request === 'tarball');
      expect(denied.map((d) => [d.version, d.action, d.rule])).toContainEqual([
        '1.2.5',
        'deny',
        'vulnerabilities',
      ]);
    });
  });

describe.skipIf(npmProblem !== undefined)('npm audit through the firewall', { timeout: 240_000 }, () => {
  it('returns the local advisories for a lockfile, without asking the upstream', async () => {
    const f = harness.fixtures;
    const { project, home } = lockedProject(
      'audit',
      [
        { p: f['minimist@1.2.5']! },
        { p: f['bw-clean@1.0.0']!, deps: { 'bw-clean-dep': '^2.0.0' } },
        { p: f['bw-clean-dep@2.1.0']! },
      ],
      ['minimist', 'bw-clean'],
      harness.registry,
    );
    const posts = () => harness.upstream.requests.filter((r) => r.method === 'POST').length;
    const postsBefore = posts();
    const run = await npm(['audit', '--json'], project, home);
    // npm audit exits 1 when it finds vulnerabilities at or above its audit level.
    expect(run.status, explain(run)).toBe(1);
    const report = JSON.parse(run.stdout);
    const minimist = report.vulnerabilities?.minimist;
    expect(minimist, run.stdout.slice(0, 2000)).toBeDefined();
    expect(minimist.severity).toBe('critical');
    const urls = minimist.via
      .filter((v: unknown) => typeof v === 'object')
      .map((v: { url: string }) => v.url);
    expect(urls).toContain(`https://github.com/advisories/${FIXTURES.vulnerable.advisory}`);
    // 1.2.5 is past GHSA-vh95-rmgr-6w4m's fixed 1.2.3: not reported.
    expect(urls).not.toContain('https://github.com/advisories/GHSA-vh95-rmgr-6w4m');
    expect(report.vulnerabilities['bw-clean']).toBeUndefined();
    expect(report.metadata.vulnerabilities.critical).toBe(1);
    expect(posts()).toBe(postsBefore);
  });

  it('reports nothing for a lockfile with the fixed version', async () => {
    const { project, home } = lockedProject(
      'audit-fixed',
      [{ p: harness.fixtures['minimist@1.2.6']! }],
      ['minimist'],
      harness.registry,
    );
    const run = await npm(['audit', '--json'], project, home);
    expect(run.status, explain(run)).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.vulnerabilities).toEqual({});
    expect(report.metadata.vulnerabilities.total).toBe(0);
  });
});
