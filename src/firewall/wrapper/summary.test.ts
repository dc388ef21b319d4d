import { describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../types.js';
import { renderSummary, summarise, wrapperExitCode } from './summary.js';

const record = (over: Partial<DecisionRecord>): DecisionRecord => ({
  time: '2026-11-28T00:00:00.000Z',
  client: 'npm',
  package: 'left-pad',
  version: '1.0.0',
  request: 'tarball',
  action: 'allow',
  reason: 'no rule matched',
  ...over,
});

describe('summarise', () => {
  it('counts package versions once each, a denial outranking a warning', () => {
    const summary = summarise([
      record({
        package: 'a',
        request: 'packument',
        action: 'warn',
        rule: 'deprecated',
        reason: 'deprecated',
      }),
      record({ package: 'a', action: 'warn', rule: 'deprecated', reason: 'deprecated' }),
      record({ package: 'a', action: 'warn', rule: 'deprecated', reason: 'deprecated' }),
      record({ package: 'b' }),
      record({ package: 'b' }),
      record({ package: 'evil', action: 'deny', rule: 'malware', reason: 'known malware MAL-1' }),
      record({
        package: 'evil',
        request: 'packument',
        action: 'warn',
        rule: 'installScripts',
        reason: 'postinstall',
      }),
      record({
        package: 'new',
        version: '2.0.0',
        request: 'packument',
        action: 'hide',
        rule: 'minimumReleaseAge',
        reason: 'too new',
      }),
    ]);
    expect(summary.fetched).toBe(2);
    expect(summary.denied.map((d) => d.package)).toEqual(['evil']);
    expect(summary.warned.map((d) => d.package)).toEqual(['a']);
    expect(summary.hidden).toBe(1);
  });

  it('renders a count line, then one line per denial and warning with the rule, reason and waiver', () => {
    const lines = renderSummary(
      summarise([
        record({
          package: 'evil',
          action: 'deny',
          rule: 'malware',
          reason: 'known malware\nMAL-1 \u001b[31m',
        }),
        record({
          package: 'old',
          action: 'warn',
          wouldBe: 'deny',
          rule: 'vulnerabilities',
          reason: 'GHSA-x high',
        }),
      ]),
      'bulwark-firewall.yml',
    );
    expect(lines[0]).toBe('bulwark: 1 packages fetched, 1 denied, 1 warned, 0 hidden');
    expect(lines[1]).toContain(
      'denied evil@1.0.0 [malware] known malware MAL-1 \\x1b[31m; to waive, add to bulwark-firewall.yml',
    );
    expect(lines[2]).toContain('warned old@1.0.0 [vulnerabilities] GHSA-x high (dry run: would be deny)');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toMatch(/[\n\u001b]/);
  });
});

describe('wrapperExitCode', () => {
  it("returns the client's failure first, then 1 for a denial, else 0", () => {
    expect(wrapperExitCode(7, null, 3)).toBe(7);
    expect(wrapperExitCode(0, null, 1)).toBe(1);
    expect(wrapperExitCode(0, null, 0)).toBe(0);
    expect(wrapperExitCode(null, 'SIGINT', 0)).toBe(130);
    expect(wrapperExitCode(null, 'SIGTERM', 2)).toBe(143);
  });
});
