import { describe, expect, it } from 'vitest';
import { decide, expiredExceptions, isExoticSpecifier } from './decide.js';
import { defaultPolicy } from './load.js';
import type { FirewallPolicy, PolicyException, Subject } from './types.js';

const NOW = new Date('2026-11-28T12:00:00Z');
const OLD = '2026-01-01T00:00:00Z';
const subject = (extra: Partial<Subject> = {}): Subject => ({
  name: 'left-pad',
  version: '1.3.0',
  publishedAt: OLD,
  ...extra,
});
const policy = (edit: (p: FirewallPolicy) => void = () => {}): FirewallPolicy => {
  const p = defaultPolicy();
  edit(p);
  return p;
};
const exception = (extra: Partial<PolicyException>): PolicyException => ({
  reason: 'reviewed',
  expires: '2027-01-01',
  ...extra,
});

describe('decide', () => {
  it('allows a clean, old version', () => {
    expect(decide(policy(), subject(), NOW)).toEqual({
      action: 'allow',
      reason: 'no rule matched',
      waivable: false,
      matches: [],
      expired: [],
    });
  });

  it('denies known malware by default', () => {
    const d = decide(policy(), subject({ malware: [{ id: 'MAL-2026-1', summary: 'steals tokens' }] }), NOW);
    expect(d).toMatchObject({ action: 'deny', rule: 'malware', waivable: true });
    expect(d.reason).toBe('known malware: MAL-2026-1 (steals tokens)');
  });

  it('denies a malicious verdict and warns on a suspicious one', () => {
    const malicious = subject({
      analysis: { verdict: 'malicious', rules: ['credential-file-read', 'exfil'] },
    });
    expect(decide(policy(), malicious, NOW)).toMatchObject({
      action: 'deny',
      rule: 'malicious',
      reason: 'code analysis verdict malicious: credential-file-read, exfil',
    });
    const suspicious = subject({ analysis: { verdict: 'suspicious', rules: ['obfuscation'] } });
    expect(decide(policy(), suspicious, NOW)).toMatchObject({ action: 'warn', rule: 'suspicious' });
    expect(decide(policy(), subject({ analysis: { verdict: 'clean', rules: [] } }), NOW).action).toBe(
      'allow',
    );
  });

  it('hides a version younger than the minimum release age', () => {
    const young = subject({ publishedAt: new Date(NOW.getTime() - 3 * 3600_000) });
    expect(decide(policy(), young, NOW)).toMatchObject({
      action: 'hide',
      rule: 'minimumReleaseAge',
      reason: 'published 3 h ago, under the minimum release age of 24 h',
    });
    const justOldEnough = subject({ publishedAt: new Date(NOW.getTime() - 1440 * 60_000) });
    expect(decide(policy(), justOldEnough, NOW).action).toBe('allow');
    const off = policy((p) => {
      p.rules.minimumReleaseAge.minutes = 0;
    });
    expect(decide(off, young, NOW).action).toBe('allow');
  });

  it('treats an unknown publish time as too new only when failing closed', () => {
    const unknown = subject({ publishedAt: undefined });
    expect(decide(policy(), unknown, NOW)).toMatchObject({
      action: 'hide',
      reason: 'publish time unknown, and the policy fails closed',
    });
    const open = policy((p) => {
      p.failMode = 'open';
    });
    expect(decide(open, unknown, NOW).action).toBe('allow');
  });

  it('flags install scripts unless the exact name@version is allowed', () => {
    const scripted = subject({ name: 'esbuild', version: '0.25.0', installScripts: ['postinstall'] });
    expect(decide(policy(), scripted, NOW)).toMatchObject({
      action: 'warn',
      rule: 'installScripts',
      reason: 'runs postinstall and esbuild@0.25.0 is not in installScripts.allow',
    });
    const strict = policy((p) => {
      p.rules.installScripts = { action: 'deny', allow: ['esbuild@0.25.0'] };
    });
    expect(decide(strict, scripted, NOW).action).toBe('allow');
    expect(decide(strict, { ...scripted, version: '0.25.1' }, NOW).action).toBe('deny');
    // `prepare` and `test` do not run when a dependency is installed from the registry.
    expect(decide(strict, subject({ installScripts: ['prepare', 'test'] }), NOW).action).toBe('allow');
  });

  it('flags vulnerabilities at or above the severity only', () => {
    const vulns = subject({
      vulnerabilities: [
        { id: 'GHSA-aaaa-bbbb-cccc', severity: 'medium' },
        { id: 'GHSA-dddd-eeee-ffff', severity: 'critical' },
      ],
    });
    expect(decide(policy(), vulns, NOW)).toMatchObject({
      action: 'warn',
      rule: 'vulnerabilities',
      reason: 'vulnerable: GHSA-dddd-eeee-ffff (critical)',
    });
    const low = subject({ vulnerabilities: [{ id: 'GHSA-aaaa-bbbb-cccc', severity: 'medium' }] });
    expect(decide(policy(), low, NOW).action).toBe('allow');
    const medium = policy((p) => {
      p.rules.vulnerabilities = { action: 'deny', severity: 'medium' };
    });
    expect(decide(medium, low, NOW).action).toBe('deny');
  });

  it('flags a trust downgrade, not an equal or stronger level', () => {
    const down = subject({
      trust: { current: 'none', bestEarlier: 'trustedPublisher', bestEarlierVersion: '1.2.0' },
    });
    expect(decide(policy(), down, NOW)).toMatchObject({
      action: 'warn',
      rule: 'trustDowngrade',
      reason: 'published with no provenance; an earlier version (1.2.0) had trustedPublisher',
    });
    expect(
      decide(policy(), subject({ trust: { current: 'provenance', bestEarlier: 'provenance' } }), NOW).action,
    ).toBe('allow');
    expect(
      decide(policy(), subject({ trust: { current: 'trustedPublisher', bestEarlier: 'none' } }), NOW).action,
    ).toBe('allow');
  });

  it('flags git, http and file dependencies', () => {
    const exotic = subject({
      dependencies: { a: '^1.0.0', b: 'git+https://example.invalid/b.git', c: 'npm:d@^2', e: 'workspace:*' },
    });
    expect(decide(policy(), exotic, NOW)).toMatchObject({
      action: 'warn',
      rule: 'exoticDependencies',
      reason: 'depends on b from git+https://example.invalid/b.git',
    });
    for (const spec of [
      'git://example.invalid/x.git',
      'github:user/repo',
      'user/repo#main',
      'https://example.invalid/x.tgz',
      'http://127.0.0.1/x.tgz',
      'file:../x',
      'link:../x',
      './vendor/x.tgz',
      'npm:x@https://example.invalid/x.tgz',
    ]) {
      expect(isExoticSpecifier(spec), spec).toBe(true);
    }
    for (const spec of ['^1.2.3', '1.x || 2', 'latest', '*', '', 'npm:@scope/x@^1', 'workspace:^']) {
      expect(isExoticSpecifier(spec), spec).toBe(false);
    }
  });

  it('flags typosquats, deprecated and unpublished versions', () => {
    expect(decide(policy(), subject({ typosquatOf: 'lodash' }), NOW)).toMatchObject({
      action: 'warn',
      rule: 'typosquat',
      reason: 'the name imitates lodash',
    });
    expect(decide(policy(), subject({ deprecated: 'use v2' }), NOW)).toMatchObject({
      action: 'warn',
      rule: 'deprecated',
      reason: 'deprecated: use v2',
    });
    expect(decide(policy(), subject({ unpublished: true }), NOW)).toMatchObject({
      action: 'deny',
      rule: 'unpublished',
      waivable: false,
    });
  });

  it('lets the strongest action win and lists every match, strongest first', () => {
    const d = decide(
      policy(),
      subject({
        typosquatOf: 'lodash',
        publishedAt: new Date(NOW.getTime() - 60_000),
        malware: [{ id: 'MAL-2026-2' }],
      }),
      NOW,
    );
    expect(d.rule).toBe('malware');
    expect(d.matches.map((m) => [m.rule, m.action])).toEqual([
      ['malware', 'deny'],
      ['minimumReleaseAge', 'hide'],
      ['typosquat', 'warn'],
    ]);
  });

  describe('fail mode', () => {
    const failed = subject({ failures: ['analysis timed out'] });
    it('denies what could not be checked when closed (the default)', () => {
      expect(decide(policy(), failed, NOW)).toMatchObject({
        action: 'deny',
        rule: 'checkFailed',
        reason: 'could not be checked: analysis timed out',
      });
    });
    it('warns and serves when open', () => {
      const open = policy((p) => {
        p.failMode = 'open';
        p.rules.checkFailed = 'warn';
      });
      expect(decide(open, failed, NOW)).toMatchObject({ action: 'warn', rule: 'checkFailed' });
    });
  });

  describe('dry run', () => {
    it('serves as warn what it would hide or deny, and says what it would have done', () => {
      const dry = policy((p) => {
        p.dryRun = true;
      });
      expect(decide(dry, subject({ malware: [{ id: 'MAL-2026-3' }] }), NOW)).toMatchObject({
        action: 'warn',
        wouldBe: 'deny',
        rule: 'malware',
      });
      const typo = decide(dry, subject({ typosquatOf: 'react' }), NOW);
      expect(typo.action).toBe('warn');
      expect(typo.wouldBe).toBeUndefined();
    });
  });

  describe('exceptions', () => {
    const young = subject({
      name: '@acme/ui',
      version: '2.0.0',
      publishedAt: new Date(NOW.getTime() - 60_000),
    });

    it('a package exception waives with its reason', () => {
      const p = policy((q) => {
        q.exceptions = [
          exception({ package: '@acme/ui', rules: ['minimumReleaseAge'], reason: 'our release' }),
        ];
      });
      const d = decide(p, young, NOW);
      expect(d).toMatchObject({
        action: 'allow',
        rule: 'minimumReleaseAge',
        reason: 'waived: our release (until 2027-01-01)',
        waiver: { package: '@acme/ui' },
      });
      expect(d.matches[0]!.waiver?.reason).toBe('our release');
    });

    it('a scope exception covers every package of the scope, and only that scope', () => {
      const p = policy((q) => {
        q.exceptions = [exception({ scope: '@acme' })];
      });
      expect(decide(p, young, NOW).action).toBe('allow');
      expect(decide(p, { ...young, name: '@other/ui' }, NOW).action).toBe('hide');
      expect(decide(p, { ...young, name: 'acme' }, NOW).action).toBe('hide');
    });

    it('respects the version range and the rule list', () => {
      const p = policy((q) => {
        q.exceptions = [exception({ package: '@acme/ui', versions: '^1', rules: ['minimumReleaseAge'] })];
      });
      expect(decide(p, young, NOW).action).toBe('hide');
      expect(decide(p, { ...young, version: '1.4.0' }, NOW).action).toBe('allow');
      expect(decide(p, { ...young, version: '1.4.0', typosquatOf: 'ui' }, NOW)).toMatchObject({
        action: 'warn',
        rule: 'typosquat',
      });
    });

    it('ignores an expired exception from its expiry date on, and reports it', () => {
      const expiring = exception({ package: '@acme/ui', expires: '2026-11-28', reason: 'old' });
      const p = policy((q) => {
        q.exceptions = [expiring];
      });
      const d = decide(p, young, NOW);
      expect(d.action).toBe('hide');
      expect(d.expired).toEqual([expiring]);
      expect(decide(p, young, new Date('2026-11-27T23:59:59Z')).action).toBe('allow');
      expect(expiredExceptions(p, NOW)).toEqual([expiring]);
      expect(expiredExceptions(p, new Date('2026-11-27T23:59:59Z'))).toEqual([]);
    });

    it('waives malware only with allowMalware', () => {
      const bad = subject({ name: 'internal-tool', malware: [{ id: 'MAL-2026-4' }] });
      const without = policy((q) => {
        q.exceptions = [exception({ package: 'internal-tool' })];
      });
      expect(decide(without, bad, NOW).action).toBe('deny');
      const withIt = policy((q) => {
        q.exceptions = [exception({ package: 'internal-tool', allowMalware: true })];
      });
      expect(decide(withIt, bad, NOW)).toMatchObject({ action: 'allow', waiver: { allowMalware: true } });
    });

    it('never waives an unpublished version', () => {
      const p = policy((q) => {
        q.exceptions = [exception({ package: 'left-pad' })];
      });
      expect(decide(p, subject({ unpublished: true }), NOW)).toMatchObject({
        action: 'deny',
        rule: 'unpublished',
      });
    });

    it('a waived strong match leaves the weaker unwaived one in force', () => {
      const p = policy((q) => {
        q.exceptions = [exception({ package: '@acme/ui', rules: ['minimumReleaseAge'] })];
      });
      const d = decide(p, { ...young, deprecated: 'old' }, NOW);
      expect(d).toMatchObject({ action: 'warn', rule: 'deprecated' });
      expect(d.waiver).toBeUndefined();
    });
  });
});
