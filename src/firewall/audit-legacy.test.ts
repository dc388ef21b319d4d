import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientProblem, runClient } from '../../test/support/package-managers.js';
import { importOsv } from '../intel/import.js';
import { defaultPolicy } from '../policy/firewall/load.js';
import { makePackument } from '../registry/testdata/fake-registry.js';
import { openStore } from '../store/open-store.js';
import type { AdvisoryStore } from '../store/store.js';
import { AuditBodyError, bulkAdvisoryId } from './audit-bulk.js';
import { answerLegacyAudit, patchedVersions } from './audit-legacy.js';
import { startFirewall } from './server/start-firewall.js';
import { pnpmLockfile } from './testdata/pnpm-lock.js';
import type { Firewall } from './types.js';

const corpus = new URL('../../testdata/osv/npm/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'bulwark-legacy-audit-'));
let store: AdvisoryStore;
beforeAll(async () => {
  store = await openStore(join(dir, 'bulwark.db'));
  await importOsv(store, corpus);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An npm 6 audit tree: lodash twice at 4.17.20 (one nested), once at 4.17.21, chal as a dev dependency. */
const tree = {
  name: 'demo',
  version: '1.0.0',
  install: [],
  remove: [],
  metadata: {},
  requires: { lodash: '4.17.20', app: '1.0.0', chal: '1.0.0' },
  dependencies: {
    lodash: { version: '4.17.20' },
    app: {
      version: '1.0.0',
      requires: { lodash: '4.17.20', other: '1.0.0' },
      dependencies: {
        lodash: { version: '4.17.20' },
        other: { version: '2.0.0', dependencies: { lodash: { version: '4.17.21' } } },
      },
    },
    chal: { version: '1.0.0', dev: true },
  },
};

describe('answerLegacyAudit', () => {
  it('lists each advisory with the tree paths of the affected versions only', async () => {
    const report = await answerLegacyAudit(tree, store);
    // GHSA-35jh-r3h4-6jhm: lodash <4.17.21; GHSA-29mw-wpgm-hmr9: lodash >=4.0.0 <4.17.21 (both from the OSV files).
    const command = report.advisories[String(bulkAdvisoryId('GHSA-35jh-r3h4-6jhm', 'lodash'))]!;
    expect(command).toMatchObject({
      id: bulkAdvisoryId('GHSA-35jh-r3h4-6jhm', 'lodash'),
      title: 'Command Injection in lodash',
      module_name: 'lodash',
      vulnerable_versions: '<4.17.21',
      patched_versions: '>=4.17.21',
      severity: 'high',
      cwe: 'CWE-77, CWE-94',
      cves: ['CVE-2021-23337'],
      github_advisory_id: 'GHSA-35jh-r3h4-6jhm',
      url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
      recommendation: 'Upgrade to version 4.17.21 or later',
      findings: [{ version: '4.17.20', paths: expect.arrayContaining(['lodash', 'app>lodash']) }],
    });
    expect(command.findings[0]!.paths).toHaveLength(2);
    expect(
      report.advisories[String(bulkAdvisoryId('GHSA-29mw-wpgm-hmr9', 'lodash'))]?.vulnerable_versions,
    ).toBe('>=4.0.0 <4.17.21');
    const malware = report.advisories[String(bulkAdvisoryId('MAL-2022-1876', 'chal'))]!;
    expect(malware).toMatchObject({
      module_name: 'chal',
      severity: 'critical',
      patched_versions: '<0.0.0',
      recommendation: 'Remove chal: it is malware (MAL-2022-1876)',
      findings: [{ version: '1.0.0', paths: ['chal'] }],
    });
    // No finding for the nested 4.17.21 anywhere.
    for (const advisory of Object.values(report.advisories))
      for (const finding of advisory.findings) expect(finding.paths).not.toContain('app>other>lodash');
    const severities = Object.values(report.advisories).map((a) => a.severity);
    expect(report.metadata).toEqual({
      vulnerabilities: {
        info: severities.filter((s) => s === 'info').length,
        low: severities.filter((s) => s === 'low').length,
        moderate: severities.filter((s) => s === 'moderate').length,
        high: severities.filter((s) => s === 'high').length,
        critical: severities.filter((s) => s === 'critical').length,
      },
      dependencies: 5,
      devDependencies: 1,
      optionalDependencies: 0,
      totalDependencies: 6,
    });
    expect(report.metadata.vulnerabilities.critical).toBeGreaterThanOrEqual(1);
    expect(report.actions).toEqual([]);
  });

  it('answers a clean tree with no advisories and refuses a malformed one', async () => {
    const clean = await answerLegacyAudit({ dependencies: { lodash: { version: '4.17.21' } } }, store);
    expect(clean.advisories).toEqual({});
    expect(clean.metadata.totalDependencies).toBe(1);
    await expect(answerLegacyAudit([], store)).rejects.toThrow(AuditBodyError);
    await expect(answerLegacyAudit({ dependencies: { a: 'x' } }, store)).rejects.toThrow(
      'a: must be an object',
    );
    await expect(answerLegacyAudit({ dependencies: [] }, store)).rejects.toThrow(AuditBodyError);
  });

  it('derives the patched range from the last vulnerable one', () => {
    expect(patchedVersions('<4.17.21')).toBe('>=4.17.21');
    expect(patchedVersions('>=1.0.0 <1.2.3 || >=2.0.0 <=2.1.0')).toBe('>2.1.0');
    expect(patchedVersions('*')).toBe('<0.0.0');
    expect(patchedVersions('>=3.0.0')).toBe('<0.0.0');
    expect(patchedVersions('1.0.1 || 1.0.2')).toBe('<0.0.0');
  });
});

// pnpm 10 still calls the npm 6 endpoints (pnpm 11+ uses the bulk one). Installed once per machine
// from the registry mirror by the end-to-end tests' client setup.
const pnpmProblem = await clientProblem('pnpm');

describe.skipIf(pnpmProblem !== undefined)(
  `pnpm 10 audit through the npm 6 endpoint ${pnpmProblem ?? ''}`,
  () => {
    // The real firewall, so the route to the npm 6 endpoint is tested too; nothing is upstream.
    let firewall: Firewall;
    let registry: string;
    beforeAll(async () => {
      firewall = await startFirewall({
        upstream: 'http://127.0.0.1:9/',
        policy: defaultPolicy(),
        store,
        analysis: false,
        port: 0,
        dataDir: join(dir, 'firewall-data'),
      });
      registry = `${firewall.url}/`;
    });
    afterAll(() => firewall.close());

    it('reports the local advisories for a pnpm-lock.yaml', async () => {
      const installed: Record<string, string> = { lodash: '4.17.20', chal: '1.0.0', 'left-pad': '1.3.0' };
      const integrity = (name: string, version: string) =>
        (makePackument(name, { [version]: {} }).versions as Record<string, { dist: { integrity: string } }>)[
          version
        ]!.dist.integrity;
      const project = join(dir, 'pnpm-project');
      mkdirSync(project, { recursive: true });
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: 'demo', version: '1.0.0', dependencies: installed }),
      );
      writeFileSync(join(project, 'pnpm-lock.yaml'), pnpmLockfile(installed, integrity));
      const run = await runClient('pnpm', ['audit', '--json'], {
        cwd: project,
        home: join(dir, 'home'),
        registry,
      });
      expect(run.status, run.output).toBe(1);
      const report = JSON.parse(run.stdout) as {
        advisories: Record<string, { module_name: string; id: number }>;
      };
      const expected = await answerLegacyAudit(
        {
          dependencies: {
            '.': {
              version: '1.0.0',
              dependencies: Object.fromEntries(
                Object.entries(installed).map(([n, v]) => [n, { version: v }]),
              ),
            },
          },
        },
        store,
      );
      expect(Object.keys(report.advisories).sort()).toEqual(Object.keys(expected.advisories).sort());
      expect(Object.values(report.advisories).map((a) => a.module_name)).toContain('chal');
      expect(Object.values(report.advisories).map((a) => a.module_name)).not.toContain('left-pad');
    });
  },
);
