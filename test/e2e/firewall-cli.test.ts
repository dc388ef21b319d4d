import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureSet, publishFixtures, stealerFiles } from '../support/firewall-fixtures.js';
import {
  CLIENT_IDS,
  type ClientId,
  clientCommand,
  clientProblem,
  ensureClient,
} from '../support/package-managers.js';
import { startUpstreamRegistry, type UpstreamRegistry } from '../support/upstream-registry.js';
import { makeHome, repoRoot, runCliAsync } from './run-cli.js';

const bin = join(repoRoot, 'bin/bulwark.js');
const DAY = 24 * 60 * 60 * 1000;

let upstream: UpstreamRegistry;
let scoped: UpstreamRegistry;
let fixtures: FixtureSet;
const children: ChildProcess[] = [];

beforeAll(async () => {
  upstream = await startUpstreamRegistry();
  fixtures = await publishFixtures(upstream);
  const ago = (ms: number) => new Date(Date.now() - ms);
  // A clean package whose optional dependency the firewall denies: npm survives the 403.
  await upstream.publish({
    name: 'bw-optional-host',
    version: '1.0.0',
    time: ago(20 * DAY),
    optionalDependencies: { 'bw-stealer': '1.0.0' },
  });
  await upstream.publish({
    name: 'bw-old',
    version: '1.0.0',
    time: ago(20 * DAY),
    deprecated: 'use bw-clean',
  });
  // A second upstream for a scope, as a company registry would be.
  scoped = await startUpstreamRegistry();
  await scoped.publish({
    name: '@corp/tool',
    version: '1.0.0',
    time: ago(20 * DAY),
    files: stealerFiles.slice(1),
  });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await upstream?.close();
  await scoped?.close();
});

type Running = {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
};

/** `bulwark firewall …` as a child process, resolved once it prints its startup line. */
const startFirewallCli = (args: string[], home: string, cwd: string): Promise<Running> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'firewall', ...args], {
      cwd,
      env: { ...process.env, BULWARK_HOME: home, HOME: home, NO_COLOR: '1' },
    });
    children.push(child);
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const timer = setTimeout(() => reject(new Error(`no startup line in 30 s: ${out} ${err}`)), 30_000);
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match && out.includes('\npoint clients')) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, stdout: () => out, stderr: () => err, exited });
      }
    });
    child.stderr!.on('data', (chunk) => {
      err += chunk;
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`firewall exited ${code}: ${out} ${err}`));
    });
  });

const waitFor = async (check: () => boolean, ms = 10_000): Promise<void> => {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** A project whose .npmrc points at the test upstream (and the scope at its own registry). */
const makeProject = (home: string, dependencies: Record<string, string>): string => {
  const project = join(home, 'project');
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'app', version: '1.0.0', private: true, dependencies }),
  );
  writeFileSync(join(project, '.npmrc'), `registry=${upstream.url}\n@corp:registry=${scoped.url}\n`);
  return project;
};

/** npm settings for the tests: its own cache, never scripts, no audit or update check. */
const npmEnv = (home: string): NodeJS.ProcessEnv => ({
  HOME: home,
  npm_config_cache: join(home, 'npm-cache'),
  npm_config_ignore_scripts: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
});

describe('bulwark firewall', () => {
  it('starts with defaults from the project, serves packuments, prints decisions, stops on SIGTERM', async () => {
    const home = makeHome();
    const project = makeProject(home, {});
    writeFileSync(join(project, 'bulwark-firewall.yml'), 'rules:\n  deprecated: deny\n');
    const fw = await startFirewallCli(['--port', '0', '--no-analysis'], home, project);
    const [startup, hint] = fw.stdout().split('\n');
    expect(startup).toContain(`upstream ${upstream.url}`);
    expect(startup).toContain(`policy ${join(project, 'bulwark-firewall.yml')}`);
    expect(startup).toContain('intel: none');
    expect(hint).toBe(`point clients at it: registry=${fw.url}/ (or run bulwark npm|pnpm|yarn|bun …)`);
    // stderr is another pipe: its lines may arrive after the startup line.
    await waitFor(() => fw.stderr().includes('no advisory database'));

    const state = JSON.parse(readFileSync(join(home, 'firewall', 'running.json'), 'utf8'));
    expect(state).toMatchObject({
      url: fw.url,
      pid: fw.child.pid,
      policy: join(project, 'bulwark-firewall.yml'),
    });

    const response = await fetch(`${fw.url}/bw-clean-dep`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { versions: Record<string, { dist: { tarball: string } }> };
    expect(Object.keys(doc.versions).sort()).toEqual(['2.0.0', '2.1.0']);
    expect(doc.versions['2.1.0']!.dist.tarball.startsWith(`${fw.url}/`)).toBe(true);

    const denied = await fetch(`${fw.url}/bw-old/-/bw-old-1.0.0.tgz`);
    expect(denied.status).toBe(403);
    await waitFor(() => /deny bw-old@1\.0\.0 \(tarball\) \[deprecated\]/.test(fw.stderr()));

    fw.child.kill('SIGTERM');
    expect(await fw.exited).toBe(0);
    expect(existsSync(join(home, 'firewall', 'running.json'))).toBe(false);
  }, 60_000);

  it('refuses bad options with one line and exit 2', async () => {
    const home = makeHome();
    const project = makeProject(home, {});
    writeFileSync(join(project, 'bad.yml'), 'rules:\n  malware: explode\n');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const busyPort = String((busy.address() as { port: number }).port);
    const cases: [string[], RegExp][] = [
      [['--port', 'http'], /^bulwark: --port: "http" is not a port number/],
      [['--port', '70000'], /^bulwark: --port: /],
      [['--upstream', 'registry.example'], /^bulwark: --upstream: "registry\.example" is not a URL/],
      [['--policy', 'missing.yml'], /missing\.yml: /],
      [['--policy', 'bad.yml'], /bad\.yml:2:\d+: /],
      [
        ['--admin-token-env', 'BULWARK_TEST_UNSET_TOKEN'],
        /--admin-token-env BULWARK_TEST_UNSET_TOKEN: the variable is not set/,
      ],
      [['--host', 'not a host'], /^bulwark: --host: /],
      [['--port', busyPort], /in use/],
    ];
    try {
      for (const [args, message] of cases) {
        const run = await runCliAsync(['firewall', ...args, '--no-analysis'], { home, cwd: project });
        expect(run.status, args.join(' ')).toBe(2);
        const lines = run.stderr
          .trim()
          .split('\n')
          .filter((line) => !line.startsWith('bulwark: warning:'));
        expect(lines, args.join(' ')).toHaveLength(1);
        expect(lines[0], args.join(' ')).toMatch(message);
      }
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  }, 120_000);
});

describe('bulwark npm', () => {
  it('installs through a firewall of its own, scopes included, and summarises the run', async () => {
    const home = makeHome();
    const project = makeProject(home, { 'bw-clean': '^1.0.0', '@corp/tool': '^1.0.0' });
    const run = await runCliAsync(['npm', 'install'], {
      home,
      cwd: project,
      // Written out, as npm writes them by default (a parent npm may pass its own setting down).
      env: { ...npmEnv(home), npm_config_omit_lockfile_registry_resolved: 'false' },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/firewall for this run at http:\/\/127\.0\.0\.1:\d+ \(upstream /);
    // The lockfile keeps the upstreams' tarball URLs, not this run's temporary firewall port,
    // though every tarball was fetched through the firewall (below).
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string }>;
    };
    expect(lock.packages['node_modules/bw-clean']?.resolved).toBe(
      `${upstream.url}bw-clean/-/bw-clean-1.0.0.tgz`,
    );
    expect(lock.packages['node_modules/@corp/tool']?.resolved).toBe(
      `${scoped.url}@corp/tool/-/tool-1.0.0.tgz`,
    );
    expect(upstream.requests.filter((r) => r.userAgent?.startsWith('npm/'))).toEqual([]);
    expect(run.stderr).toContain('bulwark: 3 packages fetched, 0 denied');
    for (const name of ['bw-clean', 'bw-clean-dep', '@corp/tool'])
      expect(existsSync(join(project, 'node_modules', name, 'package.json')), name).toBe(true);
    // The scoped package came from its own registry, fetched by the firewall, not by npm.
    expect(scoped.requests.some((r) => r.path.endsWith('.tgz') && !r.userAgent?.startsWith('npm/'))).toBe(
      true,
    );
    expect(scoped.requests.filter((r) => r.userAgent?.startsWith('npm/'))).toEqual([]);
    // The user's files are untouched.
    expect(readFileSync(join(project, '.npmrc'), 'utf8')).toBe(
      `registry=${upstream.url}\n@corp:registry=${scoped.url}\n`,
    );
  }, 120_000);

  it('exits 1 when a denial did not fail the client, and names the package, rule and waiver', async () => {
    const home = makeHome();
    const project = makeProject(home, { 'bw-optional-host': '1.0.0' });
    const run = await runCliAsync(['npm', 'install'], { home, cwd: project, env: npmEnv(home) });
    expect(run.status, run.stderr).toBe(1);
    expect(existsSync(join(project, 'node_modules/bw-optional-host/package.json'))).toBe(true);
    expect(existsSync(join(project, 'node_modules/bw-stealer'))).toBe(false);
    expect(run.stderr).toMatch(/bulwark: 1 packages fetched, 1 denied/);
    expect(run.stderr).toMatch(
      /bulwark: {3}denied bw-stealer@1\.0\.0 \[(malicious|installScripts)\] .*to waive/,
    );
  }, 120_000);

  it("uses a running firewall and reads this run's decisions from its log", async () => {
    const home = makeHome();
    const project = makeProject(home, { 'bw-stealer': '1.0.0' });
    const fw = await startFirewallCli(['--port', '0'], home, project);
    try {
      const run = await runCliAsync(['npm', 'install'], { home, cwd: project, env: npmEnv(home) });
      expect(run.stderr).toContain(`bulwark: using the firewall at ${fw.url}`);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/bulwark: 0 packages fetched, 1 denied/);
      expect(run.stderr).toMatch(/denied bw-stealer@1\.0\.0/);
      await waitFor(() => /deny bw-stealer@1\.0\.0 \(tarball\) .* npm in /.test(fw.stderr()));
      // The log knows the run's project from the registry URL's prefix.
      const log = await runCliAsync(
        ['firewall', 'log', '--project', project, '--action', 'deny', '--format', 'json'],
        {
          home,
          cwd: project,
        },
      );
      expect(log.status, log.stderr).toBe(0);
      const records = JSON.parse(log.stdout) as { package: string; project?: string; session?: string }[];
      expect(records.some((r) => r.package === 'bw-stealer' && r.project === project && r.session)).toBe(
        true,
      );
    } finally {
      fw.child.kill('SIGTERM');
      await fw.exited;
    }
  }, 120_000);

  it('passes arguments through untouched and refuses a client missing from PATH', async () => {
    const home = makeHome();
    const project = makeProject(home, {});
    const npmVersion = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim();
    const version = await runCliAsync(['npm', '--version'], { home, cwd: project, env: npmEnv(home) });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(npmVersion);
    const missing = await runCliAsync(['bun', 'install'], {
      home,
      cwd: project,
      env: { PATH: join(home, 'empty') },
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('bulwark: bun: not found on PATH\n');
  }, 60_000);
});

/** The client's name on PATH: both Yarns are `yarn`. */
const commandName = (id: ClientId): string => (id.startsWith('yarn') ? 'yarn' : id);

describe('bulwark <client> with each real client (installed by test/support)', () => {
  for (const id of CLIENT_IDS) {
    it(`${id}: installs through the firewall via environment only, and fails on a denial`, async (context) => {
      const problem = await clientProblem(id);
      if (problem !== undefined) context.skip(problem);
      const home = makeHome();
      // The client on PATH as a user has it: a shim named like the client. bash, not sh: dash drops
      // environment variables whose names are not identifiers (`npm_config_@corp:registry`).
      const { argv, env } = clientCommand(id, await ensureClient(id), { home, registry: upstream.url });
      const binDir = join(home, 'bin');
      mkdirSync(binDir);
      const shim = join(binDir, commandName(id));
      writeFileSync(shim, `#!/bin/bash\nexec ${argv.map((a) => `'${a}'`).join(' ')} "$@"\n`);
      chmodSync(shim, 0o755);
      const runEnv = { ...env, PATH: `${binDir}:${process.env.PATH}` };
      const direct = () =>
        upstream.requests.filter((r) => r.userAgent?.toLowerCase().startsWith(`${commandName(id)}/`)).length;
      const before = direct();

      // @corp is another registry in .npmrc: the client must reach it through the firewall too.
      const project = makeProject(join(home, 'clean'), { 'bw-clean': '^1.0.0', '@corp/tool': '^1.0.0' });
      const clean = await runCliAsync([commandName(id), 'install'], { home, cwd: project, env: runEnv });
      expect(clean.status, clean.stdout + clean.stderr).toBe(0);
      expect(existsSync(join(project, 'node_modules/bw-clean/package.json'))).toBe(true);
      expect(existsSync(join(project, 'node_modules/@corp/tool/package.json'))).toBe(true);
      // Bun reads scoped registries from .npmrc only, with no environment override: a warning says so.
      const bunBypass = id === 'bun';
      expect(clean.stderr).toContain(`bulwark: ${bunBypass ? 2 : 3} packages fetched, 0 denied`);
      expect(clean.stderr.includes('Bun takes no environment override for scoped registries')).toBe(
        bunBypass,
      );

      const hostile = makeProject(join(home, 'hostile'), { 'bw-stealer': '1.0.0' });
      const denied = await runCliAsync([commandName(id), 'install'], { home, cwd: hostile, env: runEnv });
      expect(denied.status, denied.stdout + denied.stderr).not.toBe(0);
      expect(denied.stderr).toMatch(/bulwark: 0 packages fetched, 1 denied/);
      expect(existsSync(join(hostile, 'node_modules/bw-stealer/collect.js'))).toBe(false);
      // Nothing went to the upstream but through the firewall; the project files are as written.
      expect(direct()).toBe(before);
      const scopedDirect = scoped.requests.filter((r) =>
        r.userAgent?.toLowerCase().startsWith(`${commandName(id)}/`),
      );
      if (!bunBypass) expect(scopedDirect).toEqual([]);
      expect(readFileSync(join(project, '.npmrc'), 'utf8')).toBe(
        `registry=${upstream.url}\n@corp:registry=${scoped.url}\n`,
      );
    }, 240_000);
  }
});

describe('bulwark yarn with a Yarn classic lockfile pinning public registry URLs', () => {
  it('checks the pinned tarballs through the firewall first and does not run Yarn when one is denied', async (context) => {
    const problem = await clientProblem('yarn-classic');
    if (problem !== undefined) context.skip(problem);
    const home = makeHome();
    const { argv, env } = clientCommand('yarn-classic', await ensureClient('yarn-classic'), {
      home,
      registry: upstream.url,
    });
    const binDir = join(home, 'bin');
    mkdirSync(binDir);
    writeFileSync(join(binDir, 'yarn'), `#!/bin/bash\nexec ${argv.map((a) => `'${a}'`).join(' ')} "$@"\n`);
    chmodSync(join(binDir, 'yarn'), 0o755);
    const project = makeProject(home, { 'bw-stealer': '1.0.0' });
    const stealer = upstream.requests.length;
    const published = fixtures['bw-stealer@1.0.0']!;
    // As `yarn install` writes it against the public registry: Yarn classic fetches this URL as is.
    writeFileSync(
      join(project, 'yarn.lock'),
      `# yarn lockfile v1\n\n\nbw-stealer@1.0.0:\n  version "1.0.0"\n  resolved "https://registry.yarnpkg.com/bw-stealer/-/bw-stealer-1.0.0.tgz#${published.shasum}"\n  integrity ${published.integrity}\n`,
    );
    const run = await runCliAsync(['yarn', 'install', '--frozen-lockfile'], {
      home,
      cwd: project,
      env: { ...env, PATH: `${binDir}:${process.env.PATH}` },
    });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toContain('yarn.lock pins 1 tarballs on other hosts');
    expect(run.stderr).toContain('bulwark: yarn was not run');
    expect(run.stderr).toMatch(/denied bw-stealer@1\.0\.0/);
    expect(existsSync(join(project, 'node_modules'))).toBe(false);
    // The firewall fetched it from the upstream to decide; Yarn itself asked nobody.
    expect(upstream.requests.slice(stealer).some((r) => r.path.endsWith('bw-stealer-1.0.0.tgz'))).toBe(true);
    expect(upstream.requests.slice(stealer).filter((r) => r.userAgent?.startsWith('yarn/'))).toEqual([]);
  }, 120_000);
});
