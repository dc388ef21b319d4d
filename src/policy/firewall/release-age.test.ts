import { describe, expect, it } from 'vitest';
import { defaultPolicy } from './load.js';
import { type PackumentLike, releaseAgeView, viewHiding } from './release-age.js';
import type { FirewallPolicy } from './types.js';

const NOW = new Date('2026-11-28T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000).toISOString();

const packument = (): PackumentLike => ({
  name: 'widget',
  versions: { '1.0.0': {}, '1.1.0': {}, '1.2.0-beta.1': {}, '1.2.0': {}, '2.0.0-rc.1': {}, '2.0.0': {} },
  time: {
    created: hoursAgo(5000),
    modified: hoursAgo(1),
    '1.0.0': hoursAgo(5000),
    '1.1.0': hoursAgo(4000),
    '1.2.0-beta.1': hoursAgo(48),
    '1.2.0': hoursAgo(2),
    '2.0.0-rc.1': hoursAgo(3),
    '2.0.0': hoursAgo(1),
  },
  'dist-tags': { latest: '2.0.0', next: '2.0.0-rc.1', legacy: '1.0.0' },
});
const policy = (edit: (p: FirewallPolicy) => void = () => {}): FirewallPolicy => {
  const p = defaultPolicy();
  edit(p);
  return p;
};

describe('releaseAgeView', () => {
  it('hides versions younger than the minimum and re-points latest to the newest stable left', () => {
    const doc = packument();
    const before = structuredClone(doc);
    expect(releaseAgeView(policy(), doc, NOW)).toEqual({
      hidden: ['1.2.0', '2.0.0-rc.1', '2.0.0'],
      distTags: { latest: '1.1.0', next: '1.2.0-beta.1', legacy: '1.0.0' },
      changed: true,
    });
    expect(doc).toEqual(before);
  });

  it('never moves latest to a prerelease, even a newer one', () => {
    const view = releaseAgeView(
      policy((p) => {
        p.rules.minimumReleaseAge.minutes = 24 * 60;
      }),
      packument(),
      NOW,
    );
    expect(view.distTags.latest).toBe('1.1.0');
    expect(view.hidden).not.toContain('1.2.0-beta.1');
  });

  it('drops latest when no stable version is left', () => {
    const doc: PackumentLike = {
      name: 'fresh',
      versions: { '0.1.0-alpha.0': {}, '1.0.0': {} },
      time: { '0.1.0-alpha.0': hoursAgo(100), '1.0.0': hoursAgo(1) },
      'dist-tags': { latest: '1.0.0' },
    };
    expect(releaseAgeView(policy(), doc, NOW)).toEqual({ hidden: ['1.0.0'], distTags: {}, changed: true });
  });

  it('never moves latest above where it was', () => {
    const doc = packument();
    doc['dist-tags'] = { latest: '1.2.0' };
    doc.time!['2.0.0'] = hoursAgo(500);
    const view = releaseAgeView(policy(), doc, NOW);
    expect(view.distTags).toEqual({ latest: '1.1.0' });
  });

  it('changes nothing when every version is old enough', () => {
    const view = releaseAgeView(
      policy((p) => {
        p.rules.minimumReleaseAge.minutes = 30;
      }),
      packument(),
      NOW,
    );
    expect(view).toEqual({ hidden: [], distTags: packument()['dist-tags'], changed: false });
  });

  it('hides versions without a publish time only when failing closed', () => {
    const doc = packument();
    delete doc.time!['1.0.0'];
    expect(releaseAgeView(policy(), doc, NOW).hidden).toContain('1.0.0');
    const open = policy((p) => {
      p.failMode = 'open';
    });
    expect(releaseAgeView(open, doc, NOW).hidden).not.toContain('1.0.0');
  });

  it('hides nothing in dry run, when the rule does not hide, or for an excepted package', () => {
    expect(
      releaseAgeView(
        policy((p) => {
          p.dryRun = true;
        }),
        packument(),
        NOW,
      ).changed,
    ).toBe(false);
    const deny = policy((p) => {
      p.rules.minimumReleaseAge.action = 'deny';
    });
    expect(releaseAgeView(deny, packument(), NOW).changed).toBe(false);
    const excepted = policy((p) => {
      p.exceptions = [
        {
          package: 'widget',
          versions: '2.x',
          rules: ['minimumReleaseAge'],
          reason: 'hotfix',
          expires: '2027-01-01',
        },
      ];
    });
    expect(releaseAgeView(excepted, packument(), NOW).hidden).toEqual(['1.2.0']);
    const expired = policy((p) => {
      p.exceptions = [{ package: 'widget', reason: 'old', expires: '2026-11-01' }];
    });
    expect(releaseAgeView(expired, packument(), NOW).hidden).toHaveLength(3);
  });
});

describe('viewHiding', () => {
  it('re-points a prerelease tag to an older prerelease and drops tags with nothing left', () => {
    expect(viewHiding(packument(), ['2.0.0-rc.1', '1.2.0-beta.1', '2.0.0'])).toEqual({
      hidden: ['2.0.0-rc.1', '1.2.0-beta.1', '2.0.0'],
      distTags: { latest: '1.2.0', next: '1.2.0', legacy: '1.0.0' },
      changed: true,
    });
    expect(viewHiding(packument(), ['1.0.0']).distTags.legacy).toBeUndefined();
  });
});
