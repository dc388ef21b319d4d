import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/core/scan-result.js';
import {
  type ReleaseRegistry,
  startReleaseRegistry,
} from '../../src/scan/upgrades/testdata/release-registry.js';
import { cleanRelease, turnedRelease } from '../../src/scan/upgrades/testdata/releases.js';
import { makeHome, runCliAsync } from './run-cli.js';

let registry: ReleaseRegistry;
let project: string;

beforeAll(async () => {
  registry = await startReleaseRegistry();
  const lib = registry.publish('lib', '1.0.0', await cleanRelease('lib', '1.0.0'));
  registry.publish('lib', '1.0.1', await cleanRelease('lib', '1.0.1'));
  registry.publish('lib', '1.1.0', await turnedRelease('lib', '1.1.0'));
  const steady = registry.publish('steady', '2.0.0', await cleanRelease('steady', '2.0.0'));
  // A transitive package (steady's dependency): checked only with --upgrade-check-scope all.
  const deep = registry.publish('deep', '1.0.0', await cleanRelease('deep', '1.0.0'));
  registry.publish('deep', '1.2.0', await turnedRelease('deep', '1.2.0'));

  project = join(makeHome(), 'app');
  mkdirSync(project, { recursive: true });
  const dependencies = { lib: '^1.0.0', steady: '^2.0.0' };
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'app', version: '1.0.0', dependencies }),
  );
  const lock = {
    name: 'app',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'app', version: '1.0.0', dependencies },
      'node_modules/lib': { version: '1.0.0', ...lib },
      'node_modules/steady': { version: '2.0.0', ...steady, dependencies: { deep: '^1.0.0' } },
      'node_modules/deep': { version: '1.0.0', ...deep },
    },
  };
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lock, null, 2));
  // The project reads this registry: its lockfile's URLs are registry packages, not ad-hoc tarballs.
  writeFileSync(join(project, '.npmrc'), `registry=${registry.url}\n`);
}, 60_000);

afterAll(() => registry.close());

const scan = (home: string, args: string[]) =>
  runCliAsync(['scan', project, '--registry', registry.url, '--fail-on', 'never', ...args], { home });

describe('bulwark scan: newer releases checked before an upgrade (bundled CLI, loopback registry)', () => {
  it('warns about lib@1.1.0 and not 1.0.1; steady, with no newer release, yields nothing; a warm re-scan fetches no tarball', async () => {
    const home = makeHome();
    const run = await scan(home, ['--format', 'json']);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as ScanResult;
    expect(result.findings.filter((f) => f.type === 'behavior')).toEqual([]);
    expect(result.upgrades!.packages).toHaveLength(1);
    const lib = result.upgrades!.packages[0]!;
    expect(lib).toMatchObject({
      name: 'lib',
      installed: '1.0.0',
      latest: '1.1.0',
      checked: ['1.1.0', '1.0.1'],
    });
    expect(lib.turned.map((t) => [t.version, t.verdict])).toEqual([['1.1.0', 'malicious']]);
    expect(lib.turned[0]!.findings.some((f) => f.file === 'telemetry.js')).toBe(true);
    expect(result.upgrades!.summary).toMatchObject({ packages: 1, releases: 2, analysed: 2, turned: 1 });

    const table = await scan(home, []);
    expect(table.stdout).toContain('do not upgrade to lib@1.1.0 (installed 1.0.0): malicious');
    expect(table.stdout).not.toContain('lib@1.0.1');
    expect(table.stdout).not.toMatch(/upgrade to steady/);
    const tarballs = registry.requests.filter((path) => path.endsWith('.tgz')).length;
    const warm = JSON.parse((await scan(home, ['--format', 'json'])).stdout) as ScanResult;
    expect(warm.upgrades!.summary).toMatchObject({ analysed: 0, cached: 2, turned: 1 });
    expect(registry.requests.filter((path) => path.endsWith('.tgz')).length).toBe(tarballs);
  }, 120_000);

  it('--no-upgrade-check, --no-analysis and --offline leave the check out, asking the registry for no document', async () => {
    const home = makeHome();
    const before = registry.requests.filter((path) => !path.endsWith('.tgz')).length;
    for (const flags of [['--no-upgrade-check'], ['--no-analysis'], ['--offline']]) {
      const run = await scan(home, ['--format', 'json', ...flags]);
      expect(run.status, `${flags}: ${run.stderr}`).toBe(0);
      expect((JSON.parse(run.stdout) as ScanResult).upgrades, String(flags)).toBeUndefined();
    }
    expect(registry.requests.filter((path) => !path.endsWith('.tgz')).length).toBe(before);
  }, 120_000);

  it('checks direct dependencies by default and every package with --upgrade-check-scope all', async () => {
    const home = makeHome();
    const direct = await scan(home, ['--format', 'json']);
    expect((JSON.parse(direct.stdout) as ScanResult).upgrades!.packages.map((p) => p.name)).toEqual(['lib']);
    const all = await scan(home, ['--format', 'json', '--upgrade-check-scope', 'all']);
    expect(all.status, all.stderr).toBe(0);
    const names = (JSON.parse(all.stdout) as ScanResult).upgrades!.packages.map((p) => p.name).sort();
    expect(names).toEqual(['deep', 'lib']);
    const bad = await scan(home, ['--upgrade-check-scope', 'some']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--upgrade-check-depth 0 checks latest only; a bad depth is a usage error', async () => {
    const home = makeHome();
    const run = await scan(home, ['--format', 'json', '--upgrade-check-depth', '0']);
    expect((JSON.parse(run.stdout) as ScanResult).upgrades!.packages[0]!.checked).toEqual(['1.1.0']);
    const bad = await scan(home, ['--upgrade-check-depth', 'many']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'bulwark: --upgrade-check-depth: "many" is not a whole number from 0 to 10',
    );
  }, 120_000);
});
