import { describe, expect, it } from 'vitest';
import type { SandboxReport } from '../../../src/sandbox/types.js';
import {
  expectBothRuns,
  type FixtureRun,
  findingsOf,
  itLeavesNoTrace,
  itTracedEveryProcess,
  operationsOn,
  sandboxFixture,
} from '../../support/sandbox-e2e.js';

/** Clean, exit 0, no honeytoken touched, no persistence; `strict`: no finding above low at all. */
const itIsClean = (run: FixtureRun, name: string, strict = false): void => {
  it('calls it clean and exits 0', () => {
    const report = run.report();
    const threats = report.findings.filter((f) => f.kind === 'threat').map((f) => `${f.rule}: ${f.message}`);
    expect(report.verdict, threats.join('\n')).toBe('clean');
    expect(run.outcome().cli.status).toBe(0);
    expect(report.package.name).toBe(name);
  });

  it('touches no honeytoken and persists nothing', () => {
    const report = run.report();
    expect(report.honeytokens).toEqual({ read: [], exfiltrated: [] });
    expect(report.files.filter((f) => f.persistence !== undefined)).toEqual([]);
    for (const rule of ['sandbox-honeytoken-read', 'sandbox-credential-then-network', 'sandbox-persistence'])
      expect(findingsOf(report, rule)).toEqual([]);
  });

  if (strict)
    it('has no finding above low', () => {
      const report = run.report();
      expect(
        report.findings.filter((f) => f.severity !== 'low').map((f) => `${f.rule}: ${f.message}`),
      ).toEqual([]);
    });

  it('ran install and import in both the developer and the CI run', () => {
    expectBothRuns(run.report());
  });
};

/** What the package's own processes tried on the network (npm's own registry check is npm's). */
const packageNetwork = (report: SandboxReport) => ({
  attempts: report.network.filter((a) => a.actor !== undefined),
  queries: report.dns.filter((q) => q.actor !== undefined),
});

describe('bulwark sandbox: native-addon (node-gyp build at install)', () => {
  const run = sandboxFixture('native-addon', { markers: ['node-gyp'] });
  itIsClean(run, 'native-addon');

  it('built the addon with node-gyp and loaded it', () => {
    const report = run.report();
    const gyp = report.processes.filter((p) => p.command.some((arg) => /node-gyp/.test(arg)));
    expect(gyp.length).toBeGreaterThan(0);
    expect(gyp.every((p) => p.ofPackage && p.phase === 'install')).toBe(true);
    expect(
      report.processes.some((p) => p.command.some((arg) => /(?:^|\/)(?:g\+\+|c\+\+|cc1plus)$/.test(arg))),
    ).toBe(true);
    const isAddon = (path: string) => path.endsWith('/node_modules/native-addon/build/Release/addon.node');
    expect(report.files.filter((f) => isAddon(f.path)).length).toBeGreaterThan(0);
    expect(report.files.some((f) => isAddon(f.path) && f.outsidePackage)).toBe(false);
    for (const r of report.runs) expect(r.phases[1]?.stdout).toContain('loaded native-addon');
  });

  it("does not count the build's 2>/dev/null and compiler temp files as writes outside the package", () => {
    expect(findingsOf(run.report(), 'sandbox-outside-write').map((f) => f.message)).toEqual([]);
  });

  it('made no network attempt of its own', () => {
    expect(packageNetwork(run.report())).toEqual({ attempts: [], queries: [] });
  });

  itTracedEveryProcess(run);
  itLeavesNoTrace(run);
});

describe('bulwark sandbox: download-at-install (prebuilt-binary download, bundled fallback)', () => {
  const run = sandboxFixture('download-at-install', { markers: ['vendor/tool'] });
  itIsClean(run, 'download-at-install');

  it('sees the release download attempt, then the fallback written and run in its own directory', () => {
    const report = run.report();
    const github = report.network.find((a) => a.host === 'github.invalid' || a.sni === 'github.invalid');
    expect(github).toMatchObject({ protocol: 'tcp', port: 443, sni: 'github.invalid' });
    expect(github?.actor).toMatchObject({
      phase: 'install',
      script: 'postinstall',
      package: 'download-at-install',
    });
    const isTool = (path: string) => path.endsWith('/node_modules/download-at-install/vendor/tool');
    expect(operationsOn(report, isTool)).toEqual(expect.arrayContaining(['create', 'chmod', 'exec']));
    expect(report.files.some((f) => isTool(f.path) && f.outsidePackage)).toBe(false);
    expect(findingsOf(report, 'sandbox-download-execute')).toEqual([]);
    for (const r of report.runs) expect(r.phases[0]?.stdout).toContain('acme-tool 1.2.3');
  });

  itTracedEveryProcess(run);
  itLeavesNoTrace(run);
});

describe('bulwark sandbox: plain-library (no scripts)', () => {
  const run = sandboxFixture('plain-library');
  itIsClean(run, 'plain-library', true);

  it('made no network attempt, wrote nothing and started nothing of its own', () => {
    const report = run.report();
    expect(packageNetwork(report)).toEqual({ attempts: [], queries: [] });
    expect(report.files.filter((f) => f.operations.some((op) => op !== 'read'))).toEqual([]);
    // The import phase's loader is the only process of the package.
    expect(report.processes.filter((p) => p.ofPackage && p.phase === 'install')).toEqual([]);
  });

  itTracedEveryProcess(run);
  itLeavesNoTrace(run);
});
