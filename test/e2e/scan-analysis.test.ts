import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/core/scan-result.js';
import {
  benignPackage,
  maliciousPackage,
  slowPackage,
  sri,
  startTarballServer,
  type TarballServer,
} from '../../src/scan/analysis/testdata/packages.js';
import { makeHome, runCliAsync } from './run-cli.js';

let server: TarballServer;
let project: string;
let slowProject: string;

/** A package-lock v3 project whose dependencies are served by the loopback registry. */
const writeProject = (dir: string, packages: { name: string; url: string; integrity: string }[]) => {
  mkdirSync(dir, { recursive: true });
  const dependencies = Object.fromEntries(packages.map((p) => [p.name, '1.0.0']));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies }));
  const lock = {
    name: 'app',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'app', version: '1.0.0', dependencies },
      ...Object.fromEntries(
        packages.map((p) => [
          `node_modules/${p.name}`,
          { version: '1.0.0', resolved: p.url, integrity: p.integrity },
        ]),
      ),
    },
  };
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
};

beforeAll(async () => {
  server = await startTarballServer();
  const publish = async (name: string, bytes: Buffer) => ({
    name,
    url: server.publish(name, '1.0.0', bytes),
    integrity: sri(bytes),
  });
  const root = makeHome();
  project = join(root, 'app');
  writeProject(project, [
    await publish('fixture-stealer', await maliciousPackage()),
    await publish('fixture-add', await benignPackage('fixture-add')),
    await publish('fixture-sub', await benignPackage('fixture-sub')),
  ]);
  slowProject = join(root, 'slow-app');
  writeProject(slowProject, [
    await publish('fixture-slow', await slowPackage('fixture-slow', 12)),
    await publish('fixture-mul', await benignPackage('fixture-mul')),
  ]);
}, 60_000);

afterAll(() => server.close());

const scanJson = async (home: string, args: string[]) => {
  const run = await runCliAsync(['scan', '--format', 'json', ...args], { home });
  return { run, result: run.stdout ? (JSON.parse(run.stdout) as ScanResult) : undefined };
};

describe('bulwark scan: behavioural analysis (compiled CLI, loopback registry)', () => {
  it('finds the malicious package by its code, fails the scan, and analyses nothing again on a re-scan', async () => {
    const home = makeHome();
    const cold = await scanJson(home, [project]);
    expect(cold.run.status, cold.run.stderr).toBe(1);
    const behaviour = cold.result!.findings.filter((f) => f.type === 'behavior');
    expect(behaviour).toHaveLength(1);
    expect(behaviour[0]).toMatchObject({
      package: { name: 'fixture-stealer', version: '1.0.0' },
      severity: 'critical',
      direct: true,
      behavior: { verdict: 'malicious', cached: false },
    });
    expect(behaviour[0]!.behavior!.evidence.map((e) => e.rule)).toContain('install-script-download-exec');
    expect(cold.result!.findings[0]!.package.name).toBe('fixture-stealer');
    expect(cold.result!.analysis).toMatchObject({
      packages: 3,
      analysed: 3,
      cached: 0,
      verdicts: { clean: 2, suspicious: 0, malicious: 1 },
      notAnalysed: [],
    });

    const requests = server.requests.length;
    const warm = await scanJson(home, [project]);
    expect(warm.result!.analysis).toMatchObject({ packages: 3, analysed: 0, cached: 3 });
    expect(server.requests.length).toBe(requests);
    expect(warm.result!.findings.find((f) => f.type === 'behavior')?.behavior?.cached).toBe(true);
    expect(warm.run.status).toBe(1);

    // --fail-on never overrides even a malicious verdict
    expect((await scanJson(home, [project, '--fail-on', 'never'])).run.status).toBe(0);
  }, 120_000);

  it('renders the behaviour finding in every format', async () => {
    const home = makeHome();
    for (const format of ['table', 'markdown', 'sarif', 'cyclonedx']) {
      const run = await runCliAsync(['scan', project, '--format', format], { home });
      expect(run.status, `${format}: ${run.stderr}`).toBe(1);
      expect(run.stdout, format).toContain('fixture-stealer');
      if (format !== 'cyclonedx') expect(run.stdout, format).toContain('install-script-download-exec');
    }
  }, 120_000);

  it('--offline with an empty cache lists the packages as not analysed, without a request or an error', async () => {
    const requests = server.requests.length;
    const { run, result } = await scanJson(makeHome(), [project, '--offline']);
    expect(run.status, run.stderr).toBe(0);
    expect(server.requests.length).toBe(requests);
    expect(result!.analysis!.notAnalysed.map((n) => `${n.name}:${n.reason}`).sort()).toEqual([
      'fixture-add:offline',
      'fixture-stealer:offline',
      'fixture-sub:offline',
    ]);
    expect(result!.findings.filter((f) => f.type === 'behavior')).toEqual([]);
  }, 60_000);

  it('--no-analysis reads no code and fetches nothing', async () => {
    const requests = server.requests.length;
    const { run, result } = await scanJson(makeHome(), [project, '--no-analysis']);
    expect(run.status, run.stderr).toBe(0);
    expect(server.requests.length).toBe(requests);
    expect(result!.analysis).toBeUndefined();
  }, 60_000);

  it('a package past --analysis-time-limit yields a finding, and the rest is still analysed', async () => {
    // 0.8 s: far above a small package's analysis, far below the 12 MB file's (over 2 s)
    const { run, result } = await scanJson(makeHome(), [slowProject, '--analysis-time-limit', '0.8']);
    expect(run.status, run.stderr).toBe(0);
    const limit = result!.findings.find((f) => f.id === 'analysis-time-limit');
    expect(limit).toMatchObject({
      type: 'behavior',
      package: { name: 'fixture-slow' },
      severity: 'medium',
      behavior: { problem: 'time-limit' },
    });
    expect(result!.analysis).toMatchObject({
      analysed: 2,
      failed: 1,
      verdicts: { clean: 1 },
      timeLimitMs: 800,
    });
  }, 60_000);

  it('rejects a bad --analysis-time-limit with one line and exit code 2', async () => {
    const above = await runCliAsync(['scan', project, '--analysis-time-limit', '11'], { home: makeHome() });
    expect(above.status).toBe(2);
    expect(above.stderr).toContain('at most 10');
    const run = await runCliAsync(['scan', project, '--analysis-time-limit', 'soon'], { home: makeHome() });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'bulwark: --analysis-time-limit: "soon" is not a number of seconds above 0 and at most 10\n',
    );
  });
});
