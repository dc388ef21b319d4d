import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { advisory } from '../../remediation/testdata/graphs.js';
import { openStore } from '../../store/open-store.js';
import {
  findPolicyFile,
  parsePort,
  parseUpstream,
  readAdminToken,
  resolveFirewallSetup,
} from './firewall-setup.js';

const dir = (files: Record<string, string> = {}): string => {
  const d = mkdtempSync(join(tmpdir(), 'bulwark-fw-setup-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
};
/** An environment with its own home and data directory, so the user's files never leak in. */
const isolated = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  HOME: dir(),
  BULWARK_HOME: dir(),
  ...extra,
});

const inputError = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
};

describe('option parsing', () => {
  it('accepts ports 0 to 65535 only', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('65535')).toBe(65535);
    for (const bad of ['65536', '-1', 'http', '80.5', ''])
      expect(inputError(() => parsePort(bad))).toMatch(/^--port: /);
  });

  it('accepts http(s) upstreams without credentials and adds the trailing slash', () => {
    expect(parseUpstream('http://127.0.0.1:9/npm')).toBe('http://127.0.0.1:9/npm/');
    expect(inputError(() => parseUpstream('ftp://x/'))).toContain('not an http or https URL');
    expect(inputError(() => parseUpstream('not a url'))).toContain('is not a URL');
    expect(inputError(() => parseUpstream('https://u:p@x/'))).toContain('credentials');
  });

  it('finds bulwark-firewall.yml, .yaml or .json in the project, or takes --policy', () => {
    expect(findPolicyFile(dir())).toBeUndefined();
    const project = dir({ 'bulwark-firewall.json': '{}', 'bulwark-firewall.yaml': '' });
    expect(findPolicyFile(project)).toBe(join(project, 'bulwark-firewall.yaml'));
    expect(findPolicyFile(project, 'other.yml')).toBe(join(project, 'other.yml'));
  });

  it('reads the admin token from a variable or a file, never both, never short', () => {
    const token = 'a'.repeat(32);
    expect(readAdminToken({ adminTokenEnv: 'T' }, { T: token })).toBe(token);
    const d = dir({ token: `${token}\n` });
    expect(readAdminToken({ adminTokenFile: join(d, 'token') }, {})).toBe(token);
    expect(readAdminToken({}, {})).toBeUndefined();
    expect(inputError(() => readAdminToken({ adminTokenEnv: 'T' }, {}))).toContain('not set');
    expect(inputError(() => readAdminToken({ adminTokenEnv: 'T' }, { T: 'short' }))).toContain('at least 16');
    expect(inputError(() => readAdminToken({ adminTokenFile: join(d, 'none') }, {}))).toContain('ENOENT');
    expect(
      inputError(() => readAdminToken({ adminTokenEnv: 'T', adminTokenFile: 'f' }, { T: token })),
    ).toContain('not both');
  });
});

describe('resolveFirewallSetup', () => {
  it('defaults: 127.0.0.1:4873, npmjs upstream, built-in policy, no intel (with a warning)', async () => {
    const setup = await resolveFirewallSetup({}, dir(), isolated());
    expect(setup.options).toMatchObject({
      host: '127.0.0.1',
      port: 4873,
      upstream: 'https://registry.npmjs.org/',
    });
    expect(setup.options.policy.rules.malware).toBe('deny');
    expect(setup.policyFile).toBeUndefined();
    expect(setup.intel).toBe('intel: none');
    expect(setup.warnings.join('\n')).toContain('no advisory database');
  });

  it("takes the registry, scopes and their auth from the project's .npmrc", async () => {
    const project = dir({
      '.npmrc': [
        'registry=http://127.0.0.1:7001/mirror',
        '@corp:registry=http://127.0.0.1:7002/',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: .npmrc's literal ${VAR} syntax
        '//127.0.0.1:7002/:_authToken=${CORP_TOKEN}',
        '//127.0.0.1:7001/mirror/:_auth=dXNlcjpwYXNz',
      ].join('\n'),
    });
    const setup = await resolveFirewallSetup({}, project, isolated({ CORP_TOKEN: 'tok' }));
    expect(setup.options.upstream).toBe('http://127.0.0.1:7001/mirror/');
    expect(setup.options.scopes).toEqual({ '@corp': 'http://127.0.0.1:7002/' });
    expect(setup.options.upstreamAuth).toEqual({
      'http://127.0.0.1:7001/mirror/': 'Basic dXNlcjpwYXNz',
      'http://127.0.0.1:7002/': 'Bearer tok',
    });
  });

  it('applies flags: upstream, policy file, dry run, no analysis', async () => {
    const project = dir({ 'strict.yml': 'rules:\n  suspicious: deny\n' });
    const setup = await resolveFirewallSetup(
      {
        port: '0',
        host: '::1',
        upstream: 'http://127.0.0.1:9',
        policy: 'strict.yml',
        dryRun: true,
        analysis: false,
      },
      project,
      isolated(),
    );
    expect(setup.options).toMatchObject({
      port: 0,
      host: '::1',
      upstream: 'http://127.0.0.1:9/',
      analysis: false,
    });
    expect(setup.options.policy.rules.suspicious).toBe('deny');
    expect(setup.options.policy.dryRun).toBe(true);
    expect(setup.policyFile).toBe(join(project, 'strict.yml'));
  });

  it('rejects an invalid policy, a missing --db and a bad host with one-line input errors', async () => {
    const project = dir({ 'bad.yml': 'rules:\n  malware: explode\n' });
    await expect(resolveFirewallSetup({ policy: 'bad.yml' }, project, isolated())).rejects.toThrow(
      /bad\.yml:2:\d+/,
    );
    await expect(resolveFirewallSetup({ policy: 'none.yml' }, project, isolated())).rejects.toThrow(
      InputError,
    );
    await expect(resolveFirewallSetup({ db: 'none.db' }, project, isolated())).rejects.toThrow(
      /none\.db: no such/,
    );
    await expect(resolveFirewallSetup({ host: 'example.com' }, project, isolated())).rejects.toThrow(
      /^--host: /,
    );
  });

  it('warns about listening beyond loopback', async () => {
    const setup = await resolveFirewallSetup({ host: '0.0.0.0' }, dir(), isolated());
    expect(setup.warnings.join('\n')).toContain('other machines can reach the firewall');
  });

  it('opens the intel database read-only and reports its size and age', async () => {
    const dbPath = join(dir(), 'bulwark.db');
    const store = await openStore(dbPath);
    await store.importAdvisories(
      [advisory('GHSA-vvvv-1111-aaaa', 'vuln', [{ introduced: '0' }, { fixed: '1.3.0' }])],
      {
        name: 'test',
        location: 'firewall-setup.test.ts',
      },
    );
    await store.close();
    const setup = await resolveFirewallSetup({ db: dbPath }, dir(), isolated());
    try {
      expect(setup.intel).toBe('intel: 1 advisories, 0 malware, 0 days old');
      expect(setup.options.store).toBe(setup.store);
      expect(setup.warnings).toEqual([]);
    } finally {
      await setup.store?.close();
    }
  });
});
