import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOsv } from '../intel/import.js';
import { makePackument } from '../registry/testdata/fake-registry.js';
import { openStore } from '../store/open-store.js';
import type { AdvisoryStore } from '../store/store.js';
import { answerAuditBulk, handleAuditBulk } from './audit-bulk.js';

/**
 * The real npm client (the one installed with Node) runs `npm audit` against a loopback registry
 * whose bulk advisory endpoint is `handleAuditBulk` over the real OSV corpus.
 */
const corpus = new URL('../../testdata/osv/npm/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'bulwark-npm-audit-'));
const installed: Record<string, string> = { lodash: '4.17.20', chal: '1.0.0', 'left-pad': '1.3.0' };
const published: Record<string, string[]> = {
  lodash: ['4.17.19', '4.17.20', '4.17.21'],
  chal: ['1.0.0'],
  'left-pad': ['1.3.0'],
};
let store: AdvisoryStore;
let server: Server;
let registry: string;
const bulkBodies: { encoding: string | undefined }[] = [];

beforeAll(async () => {
  store = await openStore(join(dir, 'bulwark.db'));
  await importOsv(store, corpus);
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'POST' && path === '/-/npm/v1/security/advisories/bulk') {
      bulkBodies.push({ encoding: req.headers['content-encoding'] });
      void handleAuditBulk(req, res, store);
      return;
    }
    const name = decodeURIComponent(path.slice(1));
    if (req.method === 'GET' && published[name]) {
      const doc = makePackument(name, Object.fromEntries(published[name].map((v) => [v, {}])));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const npmAudit = (project: string): Promise<{ status: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const home = join(dir, 'home');
    mkdirSync(home, { recursive: true });
    execFile(
      'npm',
      ['audit', '--json', '--package-lock-only'],
      {
        cwd: project,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          HOME: home,
          npm_config_registry: registry,
          npm_config_cache: join(dir, 'npm-cache'),
          npm_config_userconfig: join(home, '.npmrc'),
          npm_config_update_notifier: 'false',
          npm_config_fund: 'false',
        },
      },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });

describe('npm audit through the bulk endpoint', () => {
  it('reports the local advisories for a lockfile', async () => {
    const project = join(dir, 'project');
    mkdirSync(project, { recursive: true });
    const dependencies = Object.fromEntries(Object.entries(installed).map(([n, v]) => [n, v]));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'demo', version: '1.0.0', dependencies }),
    );
    const lock = {
      name: 'demo',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'demo', version: '1.0.0', dependencies },
        ...Object.fromEntries(
          Object.entries(installed).map(([name, version]) => {
            const dist = (
              makePackument(name, { [version]: {} }).versions as Record<
                string,
                { dist: { integrity: string } }
              >
            )[version]!.dist;
            return [
              `node_modules/${name}`,
              { version, resolved: `${registry}${name}/-/${name}-${version}.tgz`, integrity: dist.integrity },
            ];
          }),
        ),
      },
    };
    writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lock, null, 2));

    const run = await npmAudit(project);
    expect(bulkBodies).toEqual([{ encoding: 'gzip' }]);
    // npm audit exits 1 when it found vulnerabilities.
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as {
      vulnerabilities: Record<
        string,
        {
          severity: string;
          via: ({ source: string; severity: string; range: string; url: string } | string)[];
        }
      >;
      metadata: { vulnerabilities: Record<string, number> };
    };
    const expected = await answerAuditBulk(
      Object.fromEntries(Object.entries(installed).map(([n, v]) => [n, [v]])),
      store,
    );
    expect(Object.keys(report.vulnerabilities).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, advisories] of Object.entries(expected)) {
      const via = report.vulnerabilities[name]!.via.filter((v) => typeof v !== 'string');
      expect(via.map((v) => v.source).sort()).toEqual(advisories.map((a) => a.id).sort());
    }
    const lodash = report.vulnerabilities.lodash!.via.find(
      (v) => typeof v !== 'string' && v.source === 'GHSA-35jh-r3h4-6jhm',
    );
    expect(lodash).toMatchObject({
      severity: 'high',
      range: '<4.17.21',
      url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
    });
    expect(report.vulnerabilities.chal!.severity).toBe('critical');
    expect(report.vulnerabilities['left-pad']).toBeUndefined();
    expect(report.metadata.vulnerabilities.critical).toBeGreaterThanOrEqual(1);
  });
});
