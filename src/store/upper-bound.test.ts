import { describe, expect, it } from 'vitest';
import type { AffectedPackage, OsvEvent } from '../core/advisory.js';
import { isAffected } from '../intel/range.js';
import { releaseKey, upperBoundKey } from './upper-bound.js';

const block = (events: OsvEvent[][], versions: string[] = []): AffectedPackage => ({
  name: 'p',
  ranges: events.map((e) => ({ type: 'SEMVER', events: e })),
  versions,
});

describe('releaseKey', () => {
  it('sorts like semver releases and ignores prereleases', () => {
    const keys = ['0.9.0', '0.10.0', '1.2.3', '10.0.0', '1.2.10'].map((v) => releaseKey(v)!);
    expect([...keys].sort()).toEqual([keys[0], keys[1], keys[2], keys[4], keys[3]]);
    expect(releaseKey('1.2.3-beta.1')).toBe(releaseKey('1.2.3'));
    expect(releaseKey('not a version')).toBeUndefined();
  });
});

describe('upperBoundKey', () => {
  it('is the highest closing version, or null when anything stays open', () => {
    expect(upperBoundKey([block([[{ introduced: '0' }, { fixed: '1.2.3' }]])])).toBe(releaseKey('1.2.3'));
    expect(upperBoundKey([block([[{ introduced: '1.0.0' }, { last_affected: '1.4.0' }]], ['2.0.1'])])).toBe(
      releaseKey('2.0.1'),
    );
    expect(upperBoundKey([block([[{ introduced: '0' }]])])).toBeNull();
    expect(
      upperBoundKey([block([[{ introduced: '0' }, { fixed: '1.0.0' }, { introduced: '2.0.0' }]])]),
    ).toBeNull();
    expect(upperBoundKey([block([[{ introduced: '0' }, { limit: '*' }]])])).toBeNull();
    expect(upperBoundKey([block([[{ introduced: '0' }, { fixed: 'garbage' }]])])).toBeNull();
    expect(upperBoundKey([block([], ['1.0.0'])], ['sha512-AAAA'])).toBeNull();
  });

  it('never excludes an affected version (checked against the range evaluator)', () => {
    const cases: AffectedPackage[] = [
      block([[{ introduced: '0' }, { fixed: '2.0.0-rc.1' }]]),
      block([
        [{ introduced: '1.0.0' }, { fixed: '1.5.0' }],
        [{ introduced: '3.0.0' }, { last_affected: '3.1.0' }],
      ]),
      block([[{ introduced: '0' }, { limit: '4.0.0' }]], ['5.0.0-beta']),
    ];
    const versions = [
      '0.1.0',
      '1.4.9',
      '2.0.0-rc.0',
      '2.0.0',
      '3.1.0',
      '3.1.1',
      '4.0.0',
      '5.0.0-beta',
      '5.0.0',
    ];
    for (const affected of cases) {
      const upper = upperBoundKey([affected])!;
      const advisory = {
        id: 'X',
        aliases: [],
        modified: '',
        summary: '',
        kind: 'vulnerability' as const,
        severity: { level: 'unknown' as const, source: 'none' as const },
        affected: [affected],
        references: [],
        cwes: [],
      };
      for (const version of versions) {
        if (isAffected(advisory, 'p', version)) expect(releaseKey(version)! <= upper, version).toBe(true);
      }
    }
  });
});
