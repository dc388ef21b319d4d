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
import { type AuditBulkAnswer, answerAuditBulk, bulkAdvisoryId, handleAuditBulk } from './audit-bulk.js';
import { pnpmLockfile } from './testdata/pnpm-lock.js';

/**
 * Real clients — the npm installed with Node and the project's pnpm — run their audit against a
 * loopback registry whose bulk advisory endpoint is `handleAuditBulk` over the real OSV corpus.
 */
const corpus = new URL('../../testdata/osv/npm/', import.meta.url).pathname;
const pnpmBin = new URL('../../node_modules/.bin/pnpm', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'bulwark-client-audit-'));
const installed: Record<string, string> = { lodash: '4.17.20', chal: '1.0.0', 'left-pad': '1.3.0' };
const published: Record<string, string[]> = {
  lodash: ['4.17.19', '4.17.20', '4.17.21'],
  chal: ['1.0.0'],
  'left-pad': ['1.3.0'],
};
const integrity = (name: string, version: string): string =>
  (makePackument(name, { [version]: {} }).versions as Record<string, { dist: { integrity: string } }>)[
    version
  ]!.dist.integrity;

let store: AdvisoryStore;
let server: Server;
let registry: string;
let expected: AuditBulkAnswer;
const bulkRequests: { encoding: string | undefined; userAgent: string | undefined }[] = [];

beforeAll(async () => {
  store = await openStore(join(dir, 'bulwark.db'));
  await importOsv(store, corpus);
  expected = await answerAuditBulk(
    Object.fromEntries(Object.entries(installed).map(([n, v]) => [n, [v]])),
    store,
  );
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'POST' && path === '/-/npm/v1/security/advisories/bulk') {
      bulkRequests.push({ encoding: req.headers['content-encoding'], userAgent: req.headers['user-agent'] });
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

/** A project whose lockfile pins `installed`, with only loopback configuration. */
const project = (name: string, lockfile: string, text: string): string => {
  const root = join(dir, name);
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name: 'demo', version: '1.0.0', dependencies: installed }),
  );
  writeFileSync(join(root, lockfile), text);
  return root;
};

const run = (
  command: string,
  args: string[],
  cwd: string,
): Promise<{ status: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const home = join(dir, 'home');
    mkdirSync(home, { recursive: true });
    execFile(
      command,
      args,
      {
        cwd,
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

describe('package managers audit through the bulk endpoint', () => {
  it('npm audit reports the local advisories for a package-lock.json', async () => {
    const lock = {
      name: 'demo',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'demo', version: '1.0.0', dependencies: installed },
        ...Object.fromEntries(
          Object.entries(installed).map(([name, version]) => [
            `node_modules/${name}`,
            {
              version,
              resolved: `${registry}${name}/-/${name}-${version}.tgz`,
              integrity: integrity(name, version),
            },
          ]),
        ),
      },
    };
    const root = project('npm-project', 'package-lock.json', JSON.stringify(lock, null, 2));
    bulkRequests.length = 0;
    const result = await run('npm', ['audit', '--json', '--package-lock-only'], root);
    expect(bulkRequests).toEqual([{ encoding: 'gzip', userAgent: expect.stringMatching(/^npm\//) }]);
    // npm audit exits 1 when it found vulnerabilities.
    expect(result.status, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as {
      vulnerabilities: Record<
        string,
        {
          severity: string;
          via: ({ source: number; severity: string; range: string; url: string } | string)[];
        }
      >;
      metadata: { vulnerabilities: Record<string, number> };
    };
    expect(Object.keys(report.vulnerabilities).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, advisories] of Object.entries(expected)) {
      const via = report.vulnerabilities[name]!.via.filter((v) => typeof v !== 'string');
      expect(via.map((v) => v.source).sort()).toEqual(advisories.map((a) => a.id).sort());
    }
    expect(
      report.vulnerabilities.lodash!.via.find(
        (v) => typeof v !== 'string' && v.source === bulkAdvisoryId('GHSA-35jh-r3h4-6jhm', 'lodash'),
      ),
    ).toMatchObject({
      severity: 'high',
      range: '<4.17.21',
      url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
    });
    expect(report.vulnerabilities.chal!.severity).toBe('critical');
    expect(report.vulnerabilities['left-pad']).toBeUndefined();
    expect(report.metadata.vulnerabilities.critical).toBeGreaterThanOrEqual(1);
  });

  it('pnpm audit reports the local advisories for a pnpm-lock.yaml', async () => {
    const lock = pnpmLockfile(installed, integrity);
    const root = project('pnpm-project', 'pnpm-lock.yaml', lock);
    bulkRequests.length = 0;
    const result = await run(pnpmBin, ['audit', '--json', `--registry=${registry}`], root);
    expect(bulkRequests).toEqual([{ encoding: undefined, userAgent: expect.stringMatching(/^pnpm\//) }]);
    expect(result.status, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as {
      advisories: Record<
        string,
        { id: number; module_name: string; severity: string; github_advisory_id: string }
      >;
    };
    const reported = Object.values(report.advisories)
      .map((a) => `${a.module_name} ${a.id} ${a.severity}`)
      .sort();
    const wanted = Object.entries(expected)
      .flatMap(([name, list]) => list.map((a) => `${name} ${a.id} ${a.severity}`))
      .sort();
    expect(reported).toEqual(wanted);
    expect(
      Object.values(report.advisories).find((a) => a.id === bulkAdvisoryId('GHSA-35jh-r3h4-6jhm', 'lodash'))
        ?.github_advisory_id,
    ).toBe('GHSA-35jh-r3h4-6jhm');
  });
});
