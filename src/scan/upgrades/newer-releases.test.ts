import { describe, expect, it } from 'vitest';
import { newerReleases } from './newer-releases.js';

describe('newerReleases', () => {
  it('lists nothing when the installed release is the newest', () => {
    expect(newerReleases('1.2.0', ['1.0.0', '1.1.0', '1.2.0'], '1.2.0')).toEqual({
      newer: 0,
      checked: [],
      latest: '1.2.0',
    });
  });

  it('checks latest, the ^ and ~ targets, then the highest remaining, up to depth + 1', () => {
    const listed = ['1.0.0', '1.0.1', '1.0.2', '1.1.0', '1.2.0', '2.0.0', '2.1.0', '3.0.0', '3.1.0'];
    expect(newerReleases('1.0.0', listed, '3.1.0', 3)).toEqual({
      newer: 8,
      checked: ['3.1.0', '1.2.0', '1.0.2', '3.0.0'],
      latest: '3.1.0',
    });
    expect(newerReleases('1.0.0', listed, '3.1.0', 0).checked).toEqual(['3.1.0']);
    expect(newerReleases('1.0.0', listed, '3.1.0', 1).checked).toEqual(['3.1.0', '1.2.0']);
  });

  it('fills with the highest releases when latest, ^ and ~ coincide', () => {
    expect(newerReleases('1.0.0', ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4'], '1.0.4', 2).checked).toEqual(
      ['1.0.4', '1.0.3', '1.0.2'],
    );
  });

  it('reads ^ on a 0.x release as npm does: the same minor', () => {
    expect(newerReleases('0.2.0', ['0.2.0', '0.2.5', '0.3.0'], '0.3.0', 1).checked).toEqual([
      '0.3.0',
      '0.2.5',
    ]);
  });

  it('skips prereleases unless the installed release is a prerelease of the same version', () => {
    const listed = ['1.0.0', '1.0.1-canary.1', '1.1.0-beta.1', '1.0.1', '2.0.0-beta.1', '2.0.0-beta.2'];
    expect(newerReleases('1.0.0', listed, '1.0.1').checked).toEqual(['1.0.1']);
    expect(newerReleases('2.0.0-beta.1', listed, '1.0.1').checked).toEqual(['2.0.0-beta.2']);
  });

  it('checks latest even when it is a prerelease the filter would drop', () => {
    expect(newerReleases('1.0.0', ['1.0.0', '1.1.0-rc.1'], '1.1.0-rc.1').checked).toEqual(['1.1.0-rc.1']);
  });

  it('honours a partial version list: a latest tag naming an unlisted version is ignored', () => {
    const result = newerReleases('1.0.0', ['1.0.0', '1.0.1'], '1.5.0');
    expect(result).toEqual({ newer: 1, checked: ['1.0.1'] });
  });

  it('ignores versions that are not exactly semver, and an installed version that is not', () => {
    expect(newerReleases('1.0.0', ['v1.1.0', ' 1.2.0', '1.3.0', 'latest'], undefined).checked).toEqual([
      '1.3.0',
    ]);
    expect(newerReleases('not-a-version', ['1.0.0'], '1.0.0')).toEqual({ newer: 0, checked: [] });
  });

  it('never offers a downgrade', () => {
    expect(newerReleases('2.0.0', ['1.0.0', '1.9.9', '2.0.0'], '1.9.9')).toEqual({
      newer: 0,
      checked: [],
      latest: '1.9.9',
    });
  });
});
