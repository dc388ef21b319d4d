import { describe, expect, it } from 'vitest';
import { rateSeverity, scoreVector } from './severity.js';

describe('scoreVector', () => {
  // Published base scores (FIRST calculators, NVD).
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'cvss-v3'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L', 5.3, 'cvss-v3'],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L', 5.6, 'cvss-v3'],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'cvss-v3'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0, 'cvss-v3'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3, 'cvss-v4'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 10, 'cvss-v4'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.7, 'cvss-v4'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0, 'cvss-v4'],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5, 'cvss-v2'],
  ])('%s → %d', (vector, score, source) => {
    expect(scoreVector(vector)).toEqual({ score, vector, source });
  });

  it.each([
    '',
    'garbage',
    'CVSS:3.1/AV:N',
    'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H',
    'CVSS:9.9/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/',
  ])('rejects %j', (vector) => {
    expect(scoreVector(vector)).toBeUndefined();
  });
});

describe('rateSeverity', () => {
  const v3 = { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L' };
  const v4 = { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' };

  it('prefers v4 over v3 whatever the order', () => {
    expect(rateSeverity({ kind: 'vulnerability', severities: [v3, v4] })).toEqual({
      level: 'critical',
      score: 9.3,
      vector: v4.score,
      source: 'cvss-v4',
    });
  });

  it('uses v3 when there is no valid v4', () => {
    const broken = { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N' };
    expect(
      rateSeverity({ kind: 'vulnerability', severities: [broken, v3], databaseSeverity: 'HIGH' }),
    ).toEqual({
      level: 'medium',
      score: 5.3,
      vector: v3.score,
      source: 'cvss-v3',
    });
  });

  it('ignores a vector filed under the wrong type', () => {
    const mislabelled = { type: 'CVSS_V3', score: v4.score };
    expect(rateSeverity({ kind: 'vulnerability', severities: [mislabelled] }).source).toBe('none');
  });

  it.each([
    ['LOW', 'low'],
    ['MODERATE', 'medium'],
    ['HIGH', 'high'],
    ['CRITICAL', 'critical'],
  ])('falls back to database severity %s', (text, level) => {
    expect(rateSeverity({ kind: 'vulnerability', severities: [], databaseSeverity: text })).toEqual({
      level,
      source: 'database',
    });
  });

  it('is unknown with nothing to go on', () => {
    expect(rateSeverity({ kind: 'vulnerability', severities: [], databaseSeverity: 'weird' })).toEqual({
      level: 'unknown',
      source: 'none',
    });
  });

  it('rates malware critical whatever the vectors say', () => {
    expect(rateSeverity({ kind: 'malware', severities: [v3], databaseSeverity: 'LOW' })).toEqual({
      level: 'critical',
      source: 'malware',
    });
  });
});
