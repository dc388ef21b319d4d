import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { defaultPolicy, loadFirewallPolicy, parseFirewallPolicy } from './load.js';
import { FIREWALL_POLICY_SCHEMA } from './schema.js';

const fail = (text: string): string => {
  try {
    parseFirewallPolicy(text, 'firewall.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected an error');
};

describe('parseFirewallPolicy', () => {
  it('gives the defaults for an empty file', () => {
    expect(parseFirewallPolicy('', 'p.yaml')).toEqual({ ...defaultPolicy(), file: 'p.yaml' });
    expect(parseFirewallPolicy('{}', 'p.json')).toEqual({ ...defaultPolicy(), file: 'p.json' });
  });

  it('reads every rule, shorthand and object forms', () => {
    const policy = parseFirewallPolicy(
      `version: 1
dryRun: true
failMode: open
rules:
  malware: deny
  malicious: { action: deny }
  suspicious: hide
  minimumReleaseAge: { action: deny, minutes: 10080 }
  installScripts:
    action: deny
    allow: [esbuild@0.25.0, "@swc/core@1.7.0"]
  vulnerabilities: { action: deny, severity: moderate }
  trustDowngrade: deny
  exoticDependencies: hide
  typosquat: deny
  deprecated: allow
  unpublished: warn
exceptions:
  - scope: "@acme"
    rules: [minimumReleaseAge]
    reason: our own packages
    expires: 2027-01-01
`,
      'p.yaml',
    );
    expect(policy.dryRun).toBe(true);
    expect(policy.failMode).toBe('open');
    expect(policy.rules).toEqual({
      malware: 'deny',
      malicious: 'deny',
      suspicious: 'hide',
      minimumReleaseAge: { action: 'deny', minutes: 10080 },
      installScripts: { action: 'deny', allow: ['esbuild@0.25.0', '@swc/core@1.7.0'] },
      vulnerabilities: { action: 'deny', severity: 'medium' },
      trustDowngrade: 'deny',
      exoticDependencies: 'hide',
      typosquat: 'deny',
      deprecated: 'allow',
      unpublished: 'warn',
      checkFailed: 'warn',
    });
    expect(policy.exceptions).toEqual([
      {
        scope: '@acme',
        rules: ['minimumReleaseAge'],
        reason: 'our own packages',
        expires: '2027-01-01',
        source: 'p.yaml:19',
      },
    ]);
  });

  it('reads JSON with positions too', () => {
    expect(parseFirewallPolicy('{"failMode": "closed"}', 'p.json').rules.checkFailed).toBe('deny');
    expect(fail('{\n  "failMode": "ajar"\n}')).toBe(
      'firewall.yaml:2:15: failMode: must be one of open, closed',
    );
  });

  it('names file, line, column and path for each kind of problem', () => {
    expect(fail('rules:\n  malware: block\n')).toBe(
      'firewall.yaml:2:12: rules.malware: must be one of allow, warn, hide, deny',
    );
    expect(fail('rules:\n  malwar: deny\n')).toMatch(
      /^firewall\.yaml:2:3: rules: unknown key "malwar" \(allowed: malware, malicious, /,
    );
    expect(fail('dryrun: true\n')).toMatch(/^firewall\.yaml:1:1: unknown key "dryrun"/);
    expect(fail('rules:\n  minimumReleaseAge: { minutes: -5 }\n')).toBe(
      'firewall.yaml:2:33: rules.minimumReleaseAge.minutes: must be >= 0',
    );
    expect(fail('exceptions:\n  - package: a\n    reason: r\n')).toBe(
      'firewall.yaml:2:5: exceptions[0]: `expires` is required',
    );
    expect(
      fail('exceptions:\n  - package: a\n    scope: "@a"\n    reason: r\n    expires: 2027-01-01\n'),
    ).toBe('firewall.yaml:2:5: exceptions[0]: needs exactly one of `package` or `scope`');
    expect(fail('exceptions:\n  - reason: r\n    expires: 2027-01-01\n')).toBe(
      'firewall.yaml:2:5: exceptions[0]: needs exactly one of `package` or `scope`',
    );
    expect(fail('exceptions:\n  - package: a\n    reason: r\n    expires: 2027-02-30\n')).toBe(
      'firewall.yaml:4:14: exceptions[0].expires: "2027-02-30" is not a calendar date (YYYY-MM-DD)',
    );
    expect(fail('exceptions:\n  - package: a\n    reason: r\n    expires: next year\n')).toBe(
      'firewall.yaml:4:14: exceptions[0].expires: must be a date written YYYY-MM-DD',
    );
    expect(
      fail(
        'exceptions:\n  - package: a\n    versions: "not a range!"\n    reason: r\n    expires: 2027-01-01\n',
      ),
    ).toBe('firewall.yaml:3:15: exceptions[0].versions: "not a range!" is not a semver range');
    expect(
      fail('exceptions:\n  - package: a\n    reason: r\n    rules: [malware]\n    expires: 2027-01-01\n'),
    ).toBe(
      'firewall.yaml:4:12: exceptions[0].rules: waiving malware or a malicious verdict needs `allowMalware: true`',
    );
    expect(fail('rules:\n  installScripts:\n    allow: [esbuild@^0.25.0]\n')).toBe(
      'firewall.yaml:3:13: rules.installScripts.allow[0]: must be a pin name@version',
    );
    expect(fail('rules:\n  installScripts:\n    allow: [esbuild@latest]\n')).toBe(
      'firewall.yaml:3:13: rules.installScripts.allow[0]: "esbuild@latest" must pin an exact version (name@1.2.3)',
    );
    expect(fail('- a\n- b\n')).toBe('firewall.yaml:1:1: must be object');
    expect(fail('failMode: open\nfailMode: closed\n')).toMatch(/^firewall\.yaml:2:1: invalid YAML: /);
  });

  it('refuses YAML aliases', () => {
    expect(fail('x: &a open\nfailMode: *a\n')).toMatch(/^firewall\.yaml:/);
  });

  it('an exception without rules waives everything, so it needs allowMalware', () => {
    const policy = parseFirewallPolicy(
      'exceptions:\n  - package: a\n    reason: r\n    expires: 2027-01-01\n',
      'p.yaml',
    );
    expect(policy.exceptions[0]!.rules).toBeUndefined();
  });
});

describe('loadFirewallPolicy', () => {
  it('reads a file and names it in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-fw-policy-'));
    try {
      const file = join(dir, 'firewall.json');
      writeFileSync(file, '{"dryRun": true}');
      expect(loadFirewallPolicy(file)).toMatchObject({ dryRun: true, file });
      writeFileSync(file, '{"dryRun": "yes"}');
      expect(() => loadFirewallPolicy(file)).toThrow(`${file}:1:12: dryRun: must be boolean`);
      expect(() => loadFirewallPolicy(join(dir, 'missing.yaml'))).toThrow(InputError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docs/firewall-policy.md', () => {
  it('has examples that load', () => {
    const doc = readFileSync(new URL('../../../docs/firewall-policy.md', import.meta.url), 'utf8');
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) expect(() => parseFirewallPolicy(block, 'example.yaml')).not.toThrow();
  });
});

describe('schemas/firewall-policy.schema.json', () => {
  it('is the schema the loader validates with', () => {
    const published = JSON.parse(
      readFileSync(new URL('../../../schemas/firewall-policy.schema.json', import.meta.url), 'utf8'),
    );
    expect(published).toEqual(JSON.parse(JSON.stringify(FIREWALL_POLICY_SCHEMA)));
  });
});
