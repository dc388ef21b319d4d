import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../core/scan-result.js';
import { buildCycloneDx, type CycloneDxBom, npmPurl, renderCycloneDx } from './cyclonedx.js';
import { sriToHashes } from './sri-hashes.js';
import { emptyResult, fixtureResult, HOSTILE_NAME } from './testdata/scan-result-fixture.js';

const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
const bomOf = (result: ScanResult): CycloneDxBom => JSON.parse(renderCycloneDx(result));
const component = (bom: CycloneDxBom, name: string, group?: string) =>
  bom.components.find((c) => c.name === name && c.group === group)!;
const vulnerability = (bom: CycloneDxBom, id: string) => bom.vulnerabilities.filter((v) => v.id === id);

describe('renderCycloneDx', () => {
  it('is valid CycloneDX 1.6 (strict JSON schema)', async () => {
    expect(await validator.validate(renderCycloneDx(fixtureResult()))).toBeNull();
    expect(await validator.validate(renderCycloneDx(emptyResult()))).toBeNull();
  });

  it('the validator can fail', async () => {
    const bom = bomOf(fixtureResult()) as unknown as {
      vulnerabilities: { ratings: { severity: string }[] }[];
    };
    bom.vulnerabilities[0]!.ratings[0]!.severity = 'apocalyptic';
    expect(await validator.validate(JSON.stringify(bom))).not.toBeNull();
  });

  it('describes the tool, the project and the time', () => {
    const bom = bomOf(fixtureResult());
    expect(bom.metadata.timestamp).toBe('2025-06-15T12:00:00.000Z');
    expect(bom.metadata.tools.components[0]).toMatchObject({ name: 'bulwark', version: '0.1.0' });
    expect(bom.metadata.component).toMatchObject({ type: 'application', name: 'acme-app' });
    expect(bom.serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(bomOf(fixtureResult()).serialNumber).toBe(bom.serialNumber);
    const later = fixtureResult();
    later.generatedAt = '2025-06-16T12:00:00.000Z';
    expect(bomOf(later).serialNumber).not.toBe(bom.serialNumber);
  });

  it('has one component per inventory package, identified by purl', () => {
    const bom = bomOf(fixtureResult());
    expect(bom.components).toHaveLength(fixtureResult().packages.length);
    const babel = component(bom, 'core', '@babel');
    expect(babel.purl).toBe('pkg:npm/%40babel/core@7.22.0');
    expect(babel['bom-ref']).toBe(babel.purl);
    expect(new Set(bom.components.map((c) => c['bom-ref'])).size).toBe(bom.components.length);
  });

  it('turns SRI integrity into hex hashes', () => {
    const bom = bomOf(fixtureResult());
    const lodash = component(bom, 'lodash');
    expect(lodash.hashes).toEqual([
      {
        alg: 'SHA-512',
        content: Buffer.from(
          fixtureResult()
            .packages.find((p) => p.name === 'lodash')!
            .integrity!.slice(7),
          'base64',
        ).toString('hex'),
      },
    ]);
    expect(lodash.hashes![0]!.content).toMatch(/^[0-9a-f]{128}$/);
    expect(component(bom, 'cookie').hashes).toEqual([
      { alg: 'SHA-1', content: '59c826fc854197cbd4d1083bce8fc00d0761e8b3' },
    ]);
    expect(component(bom, 'my-fork').hashes).toBeUndefined();
  });

  it('drops malformed integrity instead of emitting an invalid hash', () => {
    expect(sriToHashes('sha512-tooShort==')).toEqual([]);
    expect(sriToHashes('md5-AAAAAAAAAAAAAAAAAAAAAA==')).toEqual([]);
    expect(sriToHashes('sha1-Wcgm/IVBl8vU0Qg7zo/ADQdh6LM= sha1-Wcgm/IVBl8vU0Qg7zo/ADQdh6LM=')).toHaveLength(
      1,
    );
    expect(sriToHashes(undefined)).toEqual([]);
  });

  it('maps dev to excluded, optional to optional, the rest to required', () => {
    const bom = bomOf(fixtureResult());
    expect(component(bom, 'jsdom').scope).toBe('excluded');
    expect(component(bom, 'ws').scope).toBe('excluded');
    expect(component(bom, 'lodash').scope).toBe('required');
    const optional = fixtureResult();
    optional.packages.find((p) => p.name === 'ws')!.dev = false;
    expect(component(bomOf(optional), 'ws').scope).toBe('optional');
    expect(component(bom, 'jsdom').properties).toContainEqual({
      name: 'cdx:npm:package:development',
      value: 'true',
    });
  });

  it('records non-registry sources and npm aliases', () => {
    const bom = bomOf(fixtureResult());
    const fork = component(bom, 'my-fork');
    expect(fork.externalReferences).toEqual([
      {
        type: 'vcs',
        url: 'git+ssh://git@git.example.invalid/acme/my-fork.git#0123456789abcdef0123456789abcdef01234567',
      },
    ]);
    expect(fork.purl).toContain('?vcs_url=');
    const evil = component(bom, 'pkg\u001b[8m', '@evil');
    expect(evil.externalReferences).toEqual([
      { type: 'distribution', url: 'https://tarballs.example.invalid/evil-pkg-1.0.0.tgz' },
    ]);
    expect(component(bom, 'lodash').externalReferences).toBeUndefined();
    expect(component(bom, 'string-width').properties).toContainEqual({
      name: 'bulwark:npm:alias',
      value: 'string-width-cjs',
    });
  });

  it('lists every finding as a vulnerability pointing at its component', () => {
    const bom = bomOf(fixtureResult());
    const refs = new Set(bom.components.map((c) => c['bom-ref']));
    const affected = bom.vulnerabilities.flatMap((v) => v.affects.map((a) => a.ref));
    expect(affected).toHaveLength(fixtureResult().findings.length);
    for (const ref of affected) expect(refs.has(ref)).toBe(true);

    const [minimist] = vulnerability(bom, 'GHSA-xvch-5gv4-984h');
    expect(minimist).toMatchObject({
      source: { name: 'GitHub Advisory Database', url: 'https://github.com/advisories/GHSA-xvch-5gv4-984h' },
      references: [{ id: 'CVE-2021-44906', source: { name: 'NVD' } }],
      ratings: [
        {
          score: 9.8,
          severity: 'critical',
          method: 'CVSSv31',
          vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        },
      ],
      description: 'Prototype Pollution in minimist',
      recommendation: 'Refresh the lockfile (resolves to 1.2.8): npm update minimist',
      advisories: [{ url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44906' }],
      affects: [{ ref: 'pkg:npm/minimist@1.2.5', versions: [{ version: '1.2.5', status: 'affected' }] }],
    });
    expect(minimist!.analysis).toBeUndefined();
    const [cookie] = vulnerability(bom, 'GHSA-pxg6-pf52-xh8x');
    expect(cookie!.ratings).toEqual([{ source: cookie!.source, severity: 'low', method: 'other' }]);
  });

  it('rates malware critical with CWE-506 and says to rotate secrets', () => {
    const [mal] = vulnerability(bomOf(fixtureResult()), 'MAL-2025-46974');
    expect(mal!.ratings).toEqual([
      {
        source: { name: 'OpenSSF Malicious Packages', url: 'https://osv.dev/vulnerability/MAL-2025-46974' },
        severity: 'critical',
        method: 'other',
      },
    ]);
    expect(mal!.cwes).toEqual([506]);
    expect(mal!.recommendation).toContain('rotate every secret');
  });

  it('expresses accepted risks as VEX analysis', () => {
    const bom = bomOf(fixtureResult());
    expect(vulnerability(bom, 'GHSA-c2qf-rxjj-qqgw')[0]!.analysis).toEqual({
      state: 'exploitable',
      response: ['will_not_fix'],
      detail:
        'Accepted risk: Ranges are parsed only from our own package.json, never from user input. ' +
        '(accepted until 2099-12-31; from .bulwark.yaml)',
    });
    expect(vulnerability(bom, 'GHSA-78xj-cgh5-2h22')[0]!.analysis!.detail).toContain('no expiry');
    expect(vulnerability(bom, 'GHSA-72xf-g2v4-qvf3')[0]!.analysis).toMatchObject({ state: 'in_triage' });
    expect(vulnerability(bom, 'GHSA-72xf-g2v4-qvf3')[0]!.analysis!.detail).toContain('expired on 2024-01-31');

    const noFix = fixtureResult();
    const ip = noFix.findings.find((f) => f.id === 'GHSA-78xj-cgh5-2h22')!;
    ip.remediation = { kind: 'none', reason: 'no fixed version' };
    expect(vulnerability(bomOf(noFix), 'GHSA-78xj-cgh5-2h22')[0]!.analysis!.response).toEqual([
      'can_not_fix',
    ]);
  });

  it('groups one advisory on several versions, but never mixes accepted and active findings', async () => {
    const result = fixtureResult();
    const lodash = result.findings.find((f) => f.id === 'GHSA-p6mc-m468-83gw')!;
    result.packages.push({ ...result.packages.find((p) => p.name === 'lodash')!, version: '4.17.11' });
    result.packages.push({ ...result.packages.find((p) => p.name === 'lodash')!, version: '4.17.10' });
    result.findings.push({ ...structuredClone(lodash), package: { name: 'lodash', version: '4.17.11' } });
    result.findings.push({
      ...structuredClone(lodash),
      package: { name: 'lodash', version: '4.17.10' },
      suppression: { id: lodash.id, reason: 'legacy build only', source: '.bulwark.yaml' },
    });
    const entries = vulnerability(bomOf(result), 'GHSA-p6mc-m468-83gw');
    expect(entries).toHaveLength(2);
    expect(entries[0]!.affects.map((a) => a.versions[0]!.version)).toEqual(['4.17.15', '4.17.11']);
    expect(entries[1]!.analysis!.state).toBe('exploitable');
    expect(await validator.validate(renderCycloneDx(result))).toBeNull();
  });

  it('keeps bom-refs unique when purls collide and adds components findings need', async () => {
    const result = emptyResult();
    result.packages = [
      {
        name: 'JSONStream',
        version: '1.3.5',
        source: 'registry',
        direct: true,
        dev: false,
        optional: false,
        bundled: false,
      },
      {
        name: 'jsonstream',
        version: '1.3.5',
        source: 'registry',
        direct: true,
        dev: false,
        optional: false,
        bundled: false,
      },
    ];
    result.findings = [
      { ...structuredClone(fixtureResult().findings[3]!), package: { name: 'ghost', version: '0.0.1' } },
    ];
    const bom = buildCycloneDx(result);
    expect(bom.components.map((c) => c['bom-ref'])).toEqual([
      'pkg:npm/jsonstream@1.3.5',
      'pkg:npm/jsonstream@1.3.5#2',
      'pkg:npm/ghost@0.0.1',
    ]);
    expect(bom.vulnerabilities[0]!.affects[0]!.ref).toBe('pkg:npm/ghost@0.0.1');
    expect(await validator.validate(JSON.stringify(bom))).toBeNull();
  });

  it('builds purls for scoped, git and tarball packages and survives hostile names', () => {
    expect(npmPurl({ name: '@types/node', version: '20.0.0', source: 'registry' })).toBe(
      'pkg:npm/%40types/node@20.0.0',
    );
    expect(
      npmPurl({
        name: 'x',
        version: '1.0.0',
        source: 'tarball',
        resolved: 'https://t.example.invalid/x.tgz',
      }),
    ).toBe('pkg:npm/x@1.0.0?download_url=https%3A%2F%2Ft.example.invalid%2Fx.tgz');
    expect(npmPurl({ name: 'x', version: '1.0.0', source: 'tarball', resolved: 'file:vendor/x.tgz' })).toBe(
      'pkg:npm/x@1.0.0',
    );
    expect(npmPurl({ name: '', version: '1.0.0', source: 'registry' })).toBeUndefined();
    const hostile = npmPurl({ name: HOSTILE_NAME, version: '1.0.0', source: 'registry' });
    expect(hostile === undefined || !hostile.includes('\u001b')).toBe(true);
  });
});
