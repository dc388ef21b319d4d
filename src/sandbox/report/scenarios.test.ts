import { describe, expect, it } from 'vitest';
import { buildSandboxReport } from './build-report.js';
import {
  dnsExfiltration,
  downloadAndExecute,
  downloadAtInstall,
  META,
  nativeBuild,
  shaiHuludHttpPut,
  shaiHuludStyle,
  xmlrpcStyle,
} from './testdata/scenarios.js';

const rulesOf = (report: ReturnType<typeof buildSandboxReport>, kind = 'threat') =>
  [...new Set(report.findings.filter((f) => f.kind === kind).map((f) => f.rule))].sort();

describe('the issue scenarios', () => {
  it.each([
    ['xmlrpc-style', xmlrpcStyle],
    ['DNS exfiltration to a hard-coded resolver', dnsExfiltration],
    ['download and execute from a literal IP', downloadAndExecute],
    ['Shai-Hulud-style publish', shaiHuludStyle],
    ['Shai-Hulud-style registry PUT', shaiHuludHttpPut],
  ])('%s is malicious', (_name, scenario) => {
    const report = buildSandboxReport([scenario()], META);
    expect(report.verdict, JSON.stringify(report.findings, null, 1)).toBe('malicious');
  });

  it.each([
    ['native build', nativeBuild],
    ['download at install', downloadAtInstall],
  ])('%s is clean with only capabilities', (_name, scenario) => {
    const report = buildSandboxReport([scenario()], META);
    expect(rulesOf(report), JSON.stringify(report.findings, null, 1)).toEqual([]);
    expect(report.verdict).toBe('clean');
    expect(report.score).toBe(0);
  });

  it('benign packages stay clean over both runs (plain and CI-like)', () => {
    for (const scenario of [nativeBuild, downloadAtInstall]) {
      const ci = scenario();
      ci.name = 'ci';
      const report = buildSandboxReport([scenario(), ci], META);
      expect(report.verdict).toBe('clean');
      expect(rulesOf(report)).toEqual([]);
      expect(report.runs.map((run) => run.name)).toEqual(['default', 'ci']);
    }
  });

  it('xmlrpc-style fires the rules that describe it', () => {
    const report = buildSandboxReport([xmlrpcStyle()], META);
    expect(rulesOf(report)).toEqual([
      'sandbox-credential-then-network',
      'sandbox-crypto-miner',
      'sandbox-download-execute',
      'sandbox-exec-hidden-binary',
      'sandbox-honeytoken-read',
      'sandbox-outside-write',
      'sandbox-persistence',
      'sandbox-sensitive-read',
    ]);
    expect(report.score).toBe(10);
    expect(report.findings.find((f) => f.rule === 'sandbox-exec-hidden-binary')).toMatchObject({
      confidence: 'high',
      message: expect.stringContaining('from the hidden directory ~/.local/share/.cache'),
    });
  });

  it('the DNS scenario finds the token in the labels and names the resolver', () => {
    const report = buildSandboxReport([dnsExfiltration()], META);
    expect(rulesOf(report)).toEqual(
      expect.arrayContaining([
        'sandbox-honeytoken-exfiltration',
        'sandbox-hardcoded-resolver',
        'sandbox-dns-exfiltration-shape',
      ]),
    );
    expect(report.honeytokens.exfiltrated).toContainEqual(
      expect.objectContaining({ token: 'github-token', channel: 'dns', encoding: 'hex', run: 'ci' }),
    );
    expect(report.dns.every((q) => q.hardCodedResolver && q.resolver === '203.0.113.53')).toBe(true);
    expect(report.findings.find((f) => f.rule === 'sandbox-honeytoken-exfiltration')?.actor).toMatchObject({
      pid: 4111,
      script: 'postinstall',
    });
  });

  it('the download scenario fires download-execute, literal IP and the hidden binary', () => {
    const report = buildSandboxReport([downloadAndExecute()], META);
    expect(rulesOf(report)).toEqual([
      'sandbox-download-execute',
      'sandbox-exec-hidden-binary',
      'sandbox-literal-ip',
    ]);
  });

  it('Shai-Hulud: the npm CLI it starts is not excused, and the publish is found', () => {
    const report = buildSandboxReport([shaiHuludStyle()], META);
    expect(rulesOf(report)).toEqual(
      expect.arrayContaining([
        'sandbox-npm-publish',
        'sandbox-honeytoken-read',
        'sandbox-credential-then-network',
      ]),
    );
    const reads = report.findings.filter((f) => f.rule === 'sandbox-honeytoken-read');
    expect(reads.map((f) => f.actor?.pid).sort()).toEqual([4131, 4132]);
  });
});
