import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeProjectId } from '../../../src/firewall/server/requester.js';
import {
  closeHarness,
  FIXTURES,
  type Harness,
  makeProject,
  startHarness,
} from '../../support/firewall-harness.js';
import {
  addCommand,
  CLIENT_IDS,
  type ClientId,
  type ClientRun,
  clientProblem,
  explain,
  FIREWALL_CLIENT,
  installedVersion,
  registryArgs,
  runClient,
} from '../../support/package-managers.js';

/**
 * Whether a client prints the 403's reason phrase (package, version, rule, reason). Yarn classic
 * prints Node's standard status text instead (`Request failed "403 Forbidden"`, lib/cli.js builds
 * it from http.STATUS_CODES) and Bun only `GET <url> - 403`; for them the output names the
 * package and version through the tarball URL, and the rule and reason are in the decision log.
 */
const PRINTS_REASON: Record<ClientId, boolean> = {
  npm: true,
  pnpm: true,
  'yarn-classic': false,
  'yarn-berry': true,
  bun: false,
};

/** The denial as the client shows it, and as the firewall recorded it for that client. */
const expectDenied = (
  id: ClientId,
  run: ClientRun,
  name: string,
  version: string,
  rule: string,
  reason: string,
) => {
  expect(run.status, explain(run)).not.toBe(0);
  if (PRINTS_REASON[id]) {
    expect(run.output, explain(run)).toContain(`${name}@${version} (${rule})`);
    expect(run.output, explain(run)).toContain(reason);
    // npm also prints the body's `error`, which says how to waive.
    if (id === 'npm') expect(run.output, explain(run)).toContain(`to waive, add to ${harness.policyFile}`);
  } else {
    expect(run.output, explain(run)).toContain(`/${name}/-/${name.split('/').pop()}-${version}.tgz`);
    expect(run.output, explain(run)).toContain('403');
  }
  const denied = harness.decisions.filter(
    (d) =>
      d.package === name && d.version === version && d.action === 'deny' && d.client === FIREWALL_CLIENT[id],
  );
  expect(denied.length, JSON.stringify(harness.decisions.filter((d) => d.package === name))).toBeGreaterThan(
    0,
  );
  expect(denied.every((d) => d.rule === rule && d.reason.includes(reason))).toBe(true);
};

const LOCKFILES: Record<ClientId, string | undefined> = {
  npm: 'package-lock.json',
  pnpm: 'pnpm-lock.yaml',
  'yarn-classic': 'yarn.lock',
  'yarn-berry': undefined,
  bun: 'bun.lock',
};

// Installing the clients happens once per machine (cached); a client that cannot be obtained or
// does not run here is skipped with the reason.
const problems = new Map<ClientId, string | undefined>();
for (const id of CLIENT_IDS) problems.set(id, await clientProblem(id));

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ analysis: true });
}, 120_000);
// No request through the firewall may have been an internal error.
afterAll(() => closeHarness(harness));

const install = (id: ClientId, project: string, home: string): Promise<ClientRun> =>
  runClient(id, ['install', ...registryArgs(id, harness.registry)], {
    cwd: project,
    home,
    registry: harness.registry,
  });

const manifest = (dependencies: Record<string, string>) =>
  `${JSON.stringify({ name: 'fw-e2e', version: '1.0.0', private: true, dependencies }, null, 2)}\n`;

for (const id of CLIENT_IDS) {
  const skip = problems.get(id);
  if (skip) console.warn(`skipping ${id} through the firewall: ${skip}`);

  describe.skipIf(skip !== undefined).concurrent(`${id} through the firewall`, { timeout: 240_000 }, () => {
    it('installs clean packages, scoped and unscoped, with their dependencies', async () => {
      const { project, home } = makeProject(harness, `${id}-clean`, {
        'package.json': manifest({ 'bw-clean': '^1.0.0', [FIXTURES.scoped.name]: '^1.0.0' }),
      });
      const run = await install(id, project, home);
      expect(run.status, explain(run)).toBe(0);
      expect(installedVersion(project, 'bw-clean')).toBe('1.0.0');
      expect(installedVersion(project, FIXTURES.scoped.name)).toBe('1.2.0');
      expect(installedVersion(join(project, 'node_modules/bw-clean'), 'bw-clean-dep')).toBe('2.1.0');
      // The bytes installed are the upstream's.
      const installed = readFileSync(
        join(realpathSync(join(project, 'node_modules/bw-clean')), 'index.js'),
        'utf8',
      );
      expect(installed).toContain('function bw_clean(a, b)');
      // The lockfile records the upstream's own integrity (Berry keeps a checksum of its cache zip instead).
      const lockfile = LOCKFILES[id];
      if (lockfile !== undefined) {
        const text = readFileSync(join(project, lockfile), 'utf8');
        expect(text).toContain(harness.fixtures['bw-clean@1.0.0']!.integrity);
        expect(text).toContain(harness.fixtures['@bwtest/scoped-clean@1.2.0']!.integrity);
      }
      // It went through the firewall, which knew the client.
      const seen = harness.decisions.filter(
        (d) => d.package === 'bw-clean-dep' && d.request === 'tarball' && d.client === FIREWALL_CLIENT[id],
      );
      expect(seen.length, JSON.stringify(harness.decisions.slice(-10))).toBeGreaterThan(0);
      expect(seen.every((d) => d.action === 'allow')).toBe(true);
    });

    it('keeps the /-/bulwark/p/<id>/ registry prefix, so decisions name the project and session', async () => {
      const { project, home } = makeProject(harness, `${id}-session`, {
        'package.json': manifest({ 'bw-clean': '^1.0.0', [FIXTURES.scoped.name]: '^1.0.0' }),
      });
      const session = `session-${id}`;
      const registry = `${harness.firewall.url}/-/bulwark/p/${encodeProjectId({ project, session })}/`;
      const run = await runClient(id, ['install', ...registryArgs(id, registry)], {
        cwd: project,
        home,
        registry,
      });
      expect(run.status, explain(run)).toBe(0);
      const mine = harness.decisions.filter((d) => d.session === session);
      const tarballs = mine.filter((d) => d.request === 'tarball').map((d) => `${d.package}@${d.version}`);
      expect(tarballs.sort(), JSON.stringify(mine)).toEqual([
        '@bwtest/scoped-clean@1.2.0',
        'bw-clean-dep@2.1.0',
        'bw-clean@1.0.0',
      ]);
      expect(mine.every((d) => d.project === project && d.action === 'allow')).toBe(true);
    });

    it('refuses a package code analysis finds malicious, printing package, rule and reason', async () => {
      const { project, home } = makeProject(harness, `${id}-malicious`, {
        'package.json': manifest({ [FIXTURES.stealer.name]: FIXTURES.stealer.version }),
      });
      const run = await install(id, project, home);
      expectDenied(id, run, 'bw-stealer', '1.0.0', 'malicious', 'code analysis verdict malicious');
      expect(existsSync(join(project, 'node_modules/bw-stealer/collect.js'))).toBe(false);
    });

    it('refuses malware pulled in by a clean package, naming the dependency', async () => {
      const { project, home } = makeProject(harness, `${id}-transitive`, {
        'package.json': manifest({ [FIXTURES.wrapper.name]: `^${FIXTURES.wrapper.version}` }),
      });
      const run = await install(id, project, home);
      expectDenied(id, run, 'bw-stealer', '1.0.0', 'malicious', 'code analysis verdict malicious');
      expect(existsSync(join(project, 'node_modules/bw-stealer/collect.js'))).toBe(false);
    });

    it('resolves a dependency of a dependency past the hidden version', async () => {
      const { project, home } = makeProject(harness, `${id}-transitive-age`, {
        'package.json': manifest({ [FIXTURES.usesFresh.name]: FIXTURES.usesFresh.version }),
      });
      const run = await install(id, project, home);
      expect(run.status, explain(run)).toBe(0);
      const parent = join(project, 'node_modules', FIXTURES.usesFresh.name);
      expect(installedVersion(parent, FIXTURES.fresh.name)).toBe(FIXTURES.fresh.allowed);
      expect(installedVersion(parent, 'bw-clean')).toBe('1.0.0');
    });

    it('refuses an install script that is not on the allowlist', async () => {
      const { project, home } = makeProject(harness, `${id}-scripts`, {
        'package.json': manifest({ [FIXTURES.scripted.name]: `^${FIXTURES.scripted.version}` }),
      });
      const run = await install(id, project, home);
      expectDenied(id, run, 'bw-scripted', '1.0.0', 'installScripts', 'runs postinstall');
      expect(existsSync(join(project, 'node_modules/bw-scripted/package.json'))).toBe(false);
    });

    it('refuses a version with a known vulnerability at the policy severity', async () => {
      const { project, home } = makeProject(harness, `${id}-vulnerable`, {
        'package.json': manifest({ minimist: FIXTURES.vulnerable.version }),
      });
      const run = await install(id, project, home);
      expectDenied(id, run, 'minimist', '1.2.5', 'vulnerabilities', FIXTURES.vulnerable.advisory);
    });

    it('fails on a tarball whose bytes do not match the packument integrity', async () => {
      const { project, home } = makeProject(harness, `${id}-tampered`, {
        'package.json': manifest({ [FIXTURES.tampered.name]: FIXTURES.tampered.version }),
      });
      const run = await install(id, project, home);
      expect(run.status, explain(run)).not.toBe(0);
      expect(run.output, explain(run)).toContain(FIXTURES.tampered.name);
      expect(run.output, explain(run)).toContain('502');
      expect(existsSync(join(project, 'node_modules/bw-tampered/package.json'))).toBe(false);
      const refused = harness.decisions.filter(
        (d) => d.package === FIXTURES.tampered.name && d.client === FIREWALL_CLIENT[id],
      );
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((d) => d.action === 'deny' && d.rule === 'checkFailed')).toBe(true);
    });

    it('resolves ^1.0.0 to the newest version old enough when the newest is hidden', async () => {
      const { project, home } = makeProject(harness, `${id}-age`, {
        'package.json': manifest({ [FIXTURES.fresh.name]: '^1.0.0' }),
      });
      const run = await install(id, project, home);
      expect(run.status, explain(run)).toBe(0);
      expect(installedVersion(project, FIXTURES.fresh.name)).toBe(FIXTURES.fresh.allowed);
      // Upstream's newest is 1.2.0: without the firewall the same range takes it.
      const upstreamDoc = harness.upstream.packument(FIXTURES.fresh.name) as {
        'dist-tags': { latest: string };
      };
      expect(upstreamDoc['dist-tags'].latest).toBe(FIXTURES.fresh.hidden);
    });

    it('control: straight from the upstream, the same range takes the newest version', async () => {
      // Shows the client has no release-age gate of its own in this setup (Yarn 4 has one).
      const { project, home } = makeProject(harness, `${id}-age-control`, {
        'package.json': manifest({ [FIXTURES.fresh.name]: '^1.0.0' }),
      });
      const direct = harness.upstream.url;
      const run = await runClient(id, ['install', ...registryArgs(id, direct)], {
        cwd: project,
        home,
        registry: direct,
      });
      expect(run.status, explain(run)).toBe(0);
      expect(installedVersion(project, FIXTURES.fresh.name)).toBe(FIXTURES.fresh.hidden);
    });

    it('adds the package without a range at the re-pointed latest', async () => {
      const { project, home } = makeProject(harness, `${id}-latest`);
      const run = await runClient(
        id,
        [...addCommand(id, [FIXTURES.fresh.name]), ...registryArgs(id, harness.registry)],
        {
          cwd: project,
          home,
          registry: harness.registry,
        },
      );
      expect(run.status, explain(run)).toBe(0);
      expect(installedVersion(project, FIXTURES.fresh.name)).toBe(FIXTURES.fresh.allowed);
      const saved = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')).dependencies;
      expect(saved[FIXTURES.fresh.name]).toContain(FIXTURES.fresh.allowed);
    });

    it('does not find the hidden version when it is asked for exactly', async () => {
      const { project, home } = makeProject(harness, `${id}-age-exact`, {
        'package.json': manifest({ [FIXTURES.fresh.name]: FIXTURES.fresh.hidden }),
      });
      const run = await install(id, project, home);
      expect(run.status, explain(run)).not.toBe(0);
      expect(run.output, explain(run)).toContain(FIXTURES.fresh.name);
      expect(existsSync(join(project, 'node_modules/bw-fresh/package.json'))).toBe(false);
    });
  });
}
