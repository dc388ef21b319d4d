import { describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../types.js';
import { decisionLine } from './decision-line.js';

const record = (over: Partial<DecisionRecord>): DecisionRecord => ({
  time: '2026-11-28T00:00:00.000Z',
  client: 'npm',
  package: 'evil',
  version: '1.0.0',
  request: 'tarball',
  action: 'deny',
  rule: 'malware',
  reason: 'known malware MAL-1',
  ...over,
});

describe('decisionLine', () => {
  it('prints denials and warnings with the client and project, one line', () => {
    expect(decisionLine(record({ project: '/home/me/app' }))).toBe(
      'bulwark firewall: deny evil@1.0.0 (tarball) [malware] known malware MAL-1 — npm in /home/me/app',
    );
    expect(
      decisionLine(
        record({ action: 'warn', rule: 'installScripts', reason: 'postinstall\nx', client: 'other' }),
      ),
    ).toBe('bulwark firewall: warn evil@1.0.0 (tarball) [installScripts] postinstall x — other');
  });

  it('says "would deny" in dry run and stays quiet for allow and hide', () => {
    expect(decisionLine(record({ action: 'warn', wouldBe: 'deny' }))).toContain('would deny evil@1.0.0');
    expect(decisionLine(record({ action: 'allow', rule: undefined }))).toBeUndefined();
    expect(decisionLine(record({ action: 'hide', request: 'packument' }))).toBeUndefined();
  });
});
