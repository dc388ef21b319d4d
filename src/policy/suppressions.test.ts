import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { applySuppressions, loadSuppressions, localDate, parseSuppressions } from './suppressions.js';

const finding = (extra: Partial<Finding> = {}): Finding => ({
  type: 'vulnerability',
  id: 'GHSA-35jh-r3h4-6jhm',
  aliases: ['CVE-2021-23337'],
  summary: 'Command injection in lodash',
  severity: 'high',
  package: { name: 'lodash', version: '4.17.20' },
  direct: true,
  devOnly: false,
  paths: [['app', 'lodash@4.17.20']],
  pathsTruncated: false,
  remediation: { kind: 'refresh', to: '4.17.21', command: 'npm update lodash' },
  references: [],
  ...extra,
});

const policy = (entries: string) => `suppressions:\n${entries}`;
const entry = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([key, value], i) => `${i === 0 ? '  - ' : '    '}${key}: ${value}`)
    .join('\n');

describe('parseSuppressions', () => {
  it('reads a valid file', () => {
    const text = policy(
      `${entry({
        id: 'GHSA-35jh-r3h4-6jhm',
        package: 'lodash',
        range: '"<4.17.21"',
        reason: '"not reachable: we never call template()"',
        expires: '2027-03-01',
      })}\n`,
    );
    expect(parseSuppressions(text, 'bulwark.yaml')).toEqual([
      {
        id: 'GHSA-35jh-r3h4-6jhm',
        package: 'lodash',
        range: '<4.17.21',
        reason: 'not reachable: we never call template()',
        expires: '2027-03-01',
        source: 'bulwark.yaml',
        allowMalware: false,
        line: 2,
      },
    ]);
  });

  it('accepts an empty file or an empty list', () => {
    expect(parseSuppressions('', 'b.yaml')).toEqual([]);
    expect(parseSuppressions('suppressions: []\n', 'b.yaml')).toEqual([]);
    expect(parseSuppressions('suppressions:\n', 'b.yaml')).toEqual([]);
  });

  const invalid: [string, string, RegExp][] = [
    [
      'typo in a key',
      policy(entry({ id: 'GHSA-35jh-r3h4-6jhm', reason: 'x', expire: '2027-01-01' })),
      /^b\.yaml:4:5: suppressions\[0\]: unknown key "expire"/,
    ],
    ['unknown top-level key', 'suppresions:\n  - id: X-1\n', /^b\.yaml:1:1: unknown key "suppresions"/],
    [
      'missing reason',
      policy(entry({ id: 'GHSA-35jh-r3h4-6jhm', expires: '2027-01-01' })),
      /^b\.yaml:2:5: .*`reason` is required/,
    ],
    ['missing expiry', policy(entry({ id: 'GHSA-35jh-r3h4-6jhm', reason: 'x' })), /`expires` is required/],
    [
      'bad date',
      policy(entry({ id: 'GHSA-35jh-r3h4-6jhm', reason: 'x', expires: '2027-02-30' })),
      /^b\.yaml:4:14: suppressions\[0\]\.expires must be a date written YYYY-MM-DD, got "2027-02-30"/,
    ],
    [
      'bad range',
      policy(entry({ id: 'GHSA-35jh-r3h4-6jhm', reason: 'x', expires: '2027-01-01', range: 'not a range' })),
      /^b\.yaml:5:12: .*range "not a range" is not a semver range/,
    ],
    [
      'number id',
      policy(entry({ id: '42', reason: 'x', expires: '2027-01-01' })),
      /^b\.yaml:2:9: .*id must be a non-empty string/,
    ],
    [
      'malware without allowMalware',
      policy(entry({ id: 'MAL-2025-1234', reason: 'x', expires: '2027-01-01' })),
      /^b\.yaml:2:9: .*refusing to suppress malware MAL-2025-1234/,
    ],
    ['not a list', 'suppressions: yes\n', /^b\.yaml:1:15: `suppressions` must be a list/],
    ['broken YAML', 'suppressions:\n  - id: [unclosed\n', /^b\.yaml:\d+:\d+: invalid YAML/],
    [
      'duplicate key',
      policy(entry({ id: 'A-1', reason: 'x', expires: '2027-01-01' }).concat('\n    id: B-2')),
      /invalid YAML: .*unique/i,
    ],
    [
      'nested value',
      policy(entry({ id: 'A-1', reason: '{a: 1}', expires: '2027-01-01' })),
      /^b\.yaml:3:13: suppressions\[0\]\.reason must be a single value/,
    ],
  ];
  it.each(invalid)('refuses %s with file:line:column', (_name, text, message) => {
    let caught: unknown;
    try {
      parseSuppressions(text, 'b.yaml');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toContain('\n');
  });

  it('treats __proto__ and constructor keys as unknown keys, without touching prototypes', () => {
    expect(() => parseSuppressions('__proto__:\n  polluted: true\n', 'b.yaml')).toThrow(
      /^b\.yaml:1:1: unknown key "__proto__"/,
    );
    expect(() =>
      parseSuppressions(
        policy(entry({ id: 'A-1', reason: 'x', expires: '2027-01-01', constructor: 'y' })),
        'b.yaml',
      ),
    ).toThrow(/unknown key "constructor"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts a malware suppression only with allowMalware: true', () => {
    const [parsed] = parseSuppressions(
      policy(
        entry({ id: 'MAL-2025-1234', reason: 'internal fork', expires: '2027-01-01', allowMalware: 'true' }),
      ),
      'b.yaml',
    );
    expect(parsed?.allowMalware).toBe(true);
  });

  it('finds bulwark.yaml or .bulwark.yaml, and refuses both at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-policy-'));
    expect(loadSuppressions(dir)).toEqual([]);
    writeFileSync(
      join(dir, '.bulwark.yaml'),
      policy(entry({ id: 'A-1', reason: 'x', expires: '2027-01-01' })),
    );
    expect(loadSuppressions(dir)[0]?.source).toBe(join(dir, '.bulwark.yaml'));
    writeFileSync(join(dir, 'bulwark.yaml'), 'suppressions: []\n');
    expect(() => loadSuppressions(dir)).toThrow(/both bulwark\.yaml and \.bulwark\.yaml exist/);
  });
});

describe('applySuppressions', () => {
  const parse = (fields: Record<string, string>) =>
    parseSuppressions(
      policy(entry({ reason: 'accepted', expires: '2027-03-01', ...fields })),
      'bulwark.yaml',
    );

  it('matches by id, and by an alias of the finding', () => {
    const [byId] = applySuppressions([finding()], parse({ id: 'GHSA-35jh-r3h4-6jhm' }), '2026-01-01');
    expect(byId?.suppression).toEqual({
      id: 'GHSA-35jh-r3h4-6jhm',
      reason: 'accepted',
      expires: '2027-03-01',
      source: 'bulwark.yaml',
    });
    const [byAlias] = applySuppressions([finding()], parse({ id: 'cve-2021-23337' }), '2026-01-01');
    expect(byAlias?.suppression?.id).toBe('cve-2021-23337');
    const [other] = applySuppressions([finding()], parse({ id: 'GHSA-xxxx-xxxx-xxxx' }), '2026-01-01');
    expect(other?.suppression).toBeUndefined();
  });

  it('narrows by package and version range', () => {
    const rules = parse({ id: 'CVE-2021-23337', package: 'lodash', range: '"<4.17.21"' });
    const [covered, newer, otherPackage] = applySuppressions(
      [
        finding(),
        finding({ package: { name: 'lodash', version: '4.17.21' } }),
        finding({ package: { name: 'lodash-es', version: '4.17.20' } }),
      ],
      rules,
      '2026-01-01',
    );
    expect(covered?.suppression).toBeDefined();
    expect(newer?.suppression).toBeUndefined();
    expect(otherPackage?.suppression).toBeUndefined();
  });

  it('stops applying on the expiry date: yesterday still covered, today resurfaced', () => {
    const rules = parse({ id: 'GHSA-35jh-r3h4-6jhm' });
    const [dayBefore] = applySuppressions([finding()], rules, '2027-02-28');
    expect(dayBefore?.suppression).toBeDefined();
    expect(dayBefore?.expiredSuppression).toBeUndefined();
    const [onTheDay] = applySuppressions([finding()], rules, '2027-03-01');
    expect(onTheDay?.suppression).toBeUndefined();
    expect(onTheDay?.expiredSuppression?.expires).toBe('2027-03-01');
    const [viaDate] = applySuppressions([finding()], rules, new Date(2027, 2, 1, 12));
    expect(viaDate?.expiredSuppression).toBeDefined();
    expect(localDate(new Date(2027, 0, 5))).toBe('2027-01-05');
  });

  it('prefers an active suppression over an expired one for the same finding', () => {
    const rules = [
      ...parse({ id: 'GHSA-35jh-r3h4-6jhm', expires: '2026-01-01' }),
      ...parse({ id: 'CVE-2021-23337', expires: '2028-01-01' }),
    ];
    const [result] = applySuppressions([finding()], rules, '2027-01-01');
    expect(result?.suppression?.id).toBe('CVE-2021-23337');
    expect(result?.expiredSuppression).toBeUndefined();
  });

  it('never suppresses malware without allowMalware', () => {
    const malware = finding({ type: 'malware', id: 'GHSA-mal0-0000-0000', aliases: ['MAL-2025-9'] });
    const [plain] = applySuppressions([malware], parse({ id: 'GHSA-mal0-0000-0000' }), '2026-01-01');
    expect(plain?.suppression).toBeUndefined();
    const [allowed] = applySuppressions(
      [malware],
      parse({ id: 'MAL-2025-9', allowMalware: 'true' }),
      '2026-01-01',
    );
    expect(allowed?.suppression?.id).toBe('MAL-2025-9');
  });
});

describe('applySuppressions on behaviour findings', () => {
  const behavior = (verdict: 'malicious' | 'suspicious', aliases: string[] = []): Finding =>
    finding({
      type: 'behavior',
      id: 'credential-file-read',
      aliases,
      package: { name: 'fixture-tool', version: '2.0.0' },
      remediation: { kind: 'none', reason: 'review' },
      behavior: { verdict, score: 5, capabilities: [], evidence: [], analyzer: 'test', cached: false },
    });
  const parse = (...entries: Record<string, string>[]) =>
    parseSuppressions(
      policy(entries.map((e) => entry({ reason: 'reviewed', expires: '2027-03-01', ...e })).join('\n')),
      'bulwark.yaml',
    );

  it('suppresses a verdict only when every rule behind it is accepted', () => {
    const oneRule = parse({ id: 'credential-file-read', package: 'fixture-tool' });
    expect(applySuppressions([behavior('suspicious')], oneRule, '2026-01-01')[0]?.suppression?.id).toBe(
      'credential-file-read',
    );
    const [partly] = applySuppressions([behavior('suspicious', ['network-raw-ip'])], oneRule, '2026-01-01');
    expect(partly?.suppression).toBeUndefined();
    const both = parse({ id: 'credential-file-read' }, { id: 'network-raw-ip' });
    const [covered] = applySuppressions([behavior('suspicious', ['network-raw-ip'])], both, '2026-01-01');
    expect(covered?.suppression).toBeDefined();
  });

  it('accepts id "behavior" for one named package, and requires allowMalware for a malicious verdict', () => {
    const whole = parse({ id: 'behavior', package: 'fixture-tool' });
    expect(
      applySuppressions([behavior('suspicious', ['network-raw-ip'])], whole, '2026-01-01')[0]?.suppression,
    ).toBeDefined();
    expect(applySuppressions([behavior('malicious')], whole, '2026-01-01')[0]?.suppression).toBeUndefined();
    const allowed = parse({ id: 'behavior', package: 'fixture-tool', allowMalware: 'true' });
    expect(applySuppressions([behavior('malicious')], allowed, '2026-01-01')[0]?.suppression).toBeDefined();
  });

  it('refuses id "behavior" without a package', () => {
    expect(() => parse({ id: 'behavior' })).toThrow(/needs `package`/);
  });

  it('marks a behaviour finding expired when a covering entry has expired', () => {
    const expired = parseSuppressions(
      policy(entry({ id: 'credential-file-read', reason: 'old', expires: '2025-01-01' })),
      'bulwark.yaml',
    );
    const [result] = applySuppressions([behavior('suspicious')], expired, '2026-01-01');
    expect(result?.suppression).toBeUndefined();
    expect(result?.expiredSuppression?.id).toBe('credential-file-read');
  });
});
