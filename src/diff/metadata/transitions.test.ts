import { describe, expect, it } from 'vitest';
import { gradeTransitions } from './grading.js';
import { type MetadataTransition, metadataTransitions, trustLevel } from './transitions.js';

type Release = {
  version: string;
  time?: string;
  publisher?: string;
  maintainers?: string[];
  trust?: 'trusted-publisher' | 'provenance';
  repository?: string;
  gitHead?: string;
};

const PROVENANCE = {
  url: 'https://registry.invalid/-/npm/v1/attestations/pkg',
  provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
};

/** A packument as the registry serves it, one entry per release. */
const packument = (releases: Release[]): Record<string, unknown> => {
  const versions: Record<string, unknown> = {};
  const time: Record<string, string> = {
    created: '2020-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
  };
  for (const release of releases) {
    const manifest: Record<string, unknown> = {
      name: 'pkg',
      version: release.version,
      dist: { integrity: 'sha512-FIXTURE', ...(release.trust ? { attestations: PROVENANCE } : {}) },
    };
    if (release.publisher !== undefined) {
      manifest._npmUser = {
        name: release.publisher,
        email: `${release.publisher}@example.invalid`,
        ...(release.trust === 'trusted-publisher'
          ? { trustedPublisher: { id: 'github', oidcConfigId: 'oidc:FIXTURE' } }
          : {}),
      };
    }
    if (release.maintainers)
      manifest.maintainers = release.maintainers.map((name) => ({ name, email: `${name}@example.invalid` }));
    if (release.repository !== undefined) manifest.repository = { type: 'git', url: release.repository };
    if (release.gitHead !== undefined) manifest.gitHead = release.gitHead;
    versions[release.version] = manifest;
    if (release.time !== undefined) time[release.version] = release.time;
  }
  return { name: 'pkg', 'dist-tags': { latest: releases.at(-1)?.version }, versions, time };
};

/** A steady, honest history: monthly releases by the same people from the same repository. */
const steady = (count: number, overrides: Partial<Release> = {}): Release[] =>
  Array.from({ length: count }, (_, i) => ({
    version: `1.${i}.0`,
    time: new Date(Date.UTC(2024, i, 15)).toISOString(),
    publisher: 'alice',
    maintainers: ['alice', 'bob'],
    repository: 'git+https://github.com/example/pkg.git',
    gitHead: `${i}`.padStart(40, 'a'),
    ...overrides,
  }));

const kinds = (transitions: MetadataTransition[]): string[] => transitions.map((t) => t.kind);

const only = <K extends MetadataTransition['kind']>(transitions: MetadataTransition[], kind: K) => {
  const found = transitions.filter((t): t is Extract<MetadataTransition, { kind: K }> => t.kind === kind);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('metadataTransitions — benign histories', () => {
  it('finds nothing in a steady history by the same publisher', () => {
    const doc = packument(steady(6));
    expect(metadataTransitions(doc, '1.4.0', '1.5.0')).toEqual([]);
  });

  it('finds nothing when every release has provenance or trusted publishing', () => {
    expect(metadataTransitions(packument(steady(6, { trust: 'provenance' })), '1.4.0', '1.5.0')).toEqual([]);
    expect(
      metadataTransitions(packument(steady(6, { trust: 'trusted-publisher' })), '1.4.0', '1.5.0'),
    ).toEqual([]);
  });

  it('accepts a publisher who released earlier, and an upgrade of trust', () => {
    const releases = steady(4, { trust: undefined });
    releases[1]!.publisher = 'bob';
    releases.push({ ...steady(5)[4]!, publisher: 'bob', trust: 'provenance' });
    expect(metadataTransitions(packument(releases), '1.3.0', '1.4.0')).toEqual([]);
  });

  it('treats repository URL spellings of one repository as the same', () => {
    const releases = steady(3);
    releases[2]!.repository = 'github:Example/PKG';
    expect(metadataTransitions(packument(releases), '1.1.0', '1.2.0')).toEqual([]);
  });

  it('finds nothing when the mirror stripped publishers and maintainers', () => {
    const releases = steady(4).map(({ publisher, maintainers, ...rest }) => rest);
    expect(metadataTransitions(packument(releases), '1.2.0', '1.3.0')).toEqual([]);
  });
});

describe('metadataTransitions — signals', () => {
  it('reports a publisher none of the earlier releases had', () => {
    const releases = steady(4);
    releases[3]!.publisher = 'mallory';
    const change = only(metadataTransitions(packument(releases), '1.2.0', '1.3.0'), 'publisher-change');
    expect(change.evidence).toEqual({
      publisher: 'mallory',
      previous: 'alice',
      knownPublishers: ['alice'],
      trustedPublishing: false,
    });
    expect(change.message).toContain('mallory');
  });

  it('reports added and removed maintainers', () => {
    const releases = steady(3);
    releases[2]!.maintainers = ['alice', 'mallory'];
    const change = only(metadataTransitions(packument(releases), '1.1.0', '1.2.0'), 'maintainers-changed');
    expect(change.evidence).toEqual({ added: ['mallory'], removed: ['bob'] });
  });

  it('reads maintainers stored as "name <email>" strings', () => {
    const doc = packument(steady(2));
    const versions = doc.versions as Record<string, Record<string, unknown>>;
    versions['1.0.0']!.maintainers = ['alice <alice@example.invalid>'];
    versions['1.1.0']!.maintainers = ['alice <alice@example.invalid>', 'eve (https://example.invalid)'];
    expect(only(metadataTransitions(doc, '1.0.0', '1.1.0'), 'maintainers-changed').evidence.added).toEqual([
      'eve',
    ]);
  });

  it('reports a trust downgrade against the best earlier release, not just `from`', () => {
    const releases = steady(5);
    releases[1]!.trust = 'trusted-publisher';
    releases[2]!.trust = 'provenance';
    const downgrade = only(metadataTransitions(packument(releases), '1.3.0', '1.4.0'), 'trust-downgrade');
    expect(downgrade.evidence).toEqual({ level: 'none', best: 'trusted-publisher', bestVersion: '1.1.0' });
  });

  it('ranks trusted publishing above provenance', () => {
    const releases = steady(3, { trust: 'trusted-publisher' });
    releases[2]!.trust = 'provenance';
    const downgrade = only(metadataTransitions(packument(releases), '1.1.0', '1.2.0'), 'trust-downgrade');
    expect(downgrade.evidence).toEqual({
      level: 'provenance',
      best: 'trusted-publisher',
      bestVersion: '1.1.0',
    });
  });

  it('reports a changed or removed repository', () => {
    const releases = steady(3);
    releases[2]!.repository = 'https://github.com/mallory/pkg';
    expect(
      only(metadataTransitions(packument(releases), '1.1.0', '1.2.0'), 'repository-changed').evidence,
    ).toEqual({
      from: 'https://github.com/example/pkg',
      to: 'https://github.com/mallory/pkg',
    });
    const removed = steady(3);
    delete removed[2]!.repository;
    expect(
      only(metadataTransitions(packument(removed), '1.1.0', '1.2.0'), 'repository-changed').evidence,
    ).toEqual({
      from: 'https://github.com/example/pkg',
    });
  });

  it('reports a release after a year of silence', () => {
    const releases = steady(3);
    releases[2]!.time = '2026-03-20T00:00:00.000Z';
    const dormant = only(metadataTransitions(packument(releases), '1.1.0', '1.2.0'), 'dormant-republish');
    expect(dormant.evidence.previous).toBe('1.1.0');
    expect(dormant.evidence.days).toBeGreaterThanOrEqual(365);
  });

  it('does not call 364 days dormant', () => {
    const releases = steady(3);
    releases[2]!.time = new Date(Date.parse(releases[1]!.time!) + 364 * 86_400_000).toISOString();
    expect(kinds(metadataTransitions(packument(releases), '1.1.0', '1.2.0'))).not.toContain(
      'dormant-republish',
    );
  });

  it('reports three releases within 30 minutes around `to`', () => {
    const releases = steady(5);
    releases[2]!.time = '2024-06-01T10:00:00.000Z';
    releases[3]!.time = '2024-06-01T10:12:00.000Z';
    releases[4]!.time = '2024-06-01T10:29:00.000Z';
    const burst = only(metadataTransitions(packument(releases), '1.2.0', '1.3.0'), 'release-burst');
    expect(burst.evidence).toEqual({ versions: ['1.2.0', '1.3.0', '1.4.0'], windowMinutes: 30 });
  });

  it('does not count releases spread over more than 30 minutes, or a burst `to` is not part of', () => {
    const spread = steady(5);
    spread[2]!.time = '2024-06-01T10:00:00.000Z';
    spread[3]!.time = '2024-06-01T10:20:00.000Z';
    spread[4]!.time = '2024-06-01T10:40:00.000Z';
    expect(kinds(metadataTransitions(packument(spread), '1.2.0', '1.3.0'))).not.toContain('release-burst');
    const elsewhere = steady(5);
    elsewhere[0]!.time = '2024-01-01T10:00:00.000Z';
    elsewhere[1]!.time = '2024-01-01T10:01:00.000Z';
    elsewhere[2]!.time = '2024-01-01T10:02:00.000Z';
    expect(kinds(metadataTransitions(packument(elsewhere), '1.3.0', '1.4.0'))).not.toContain('release-burst');
  });

  it('reports a jump of three majors and a jump to 99', () => {
    const releases = [...steady(2), { ...steady(3)[2]!, version: '4.0.0' }];
    expect(only(metadataTransitions(packument(releases), '1.1.0', '4.0.0'), 'version-jump').evidence).toEqual(
      {
        version: '4.0.0',
        previous: '1.1.0',
        majors: 3,
      },
    );
    const confusion = [...steady(2), { ...steady(3)[2]!, version: '99.0.0' }];
    expect(
      only(metadataTransitions(packument(confusion), '1.1.0', '99.0.0'), 'version-jump').evidence.majors,
    ).toBe(98);
  });

  it('does not call two majors a jump', () => {
    const releases = [...steady(2), { ...steady(3)[2]!, version: '3.0.0' }];
    expect(kinds(metadataTransitions(packument(releases), '1.1.0', '3.0.0'))).not.toContain('version-jump');
  });

  it('compares with `from` when `from` is above `to` (a downgrade)', () => {
    const releases = [
      { ...steady(1)[0]!, version: '1.5.0', publisher: 'mallory' },
      { ...steady(2)[1]!, version: '2.0.0' },
    ];
    expect(
      only(metadataTransitions(packument(releases), '2.0.0', '1.5.0'), 'publisher-change').evidence,
    ).toMatchObject({
      publisher: 'mallory',
      previous: 'alice',
    });
  });

  it('compares a version jump with the release just below `to`, not `from`', () => {
    const releases = [
      ...steady(2),
      { ...steady(3)[2]!, version: '2.0.0' },
      { ...steady(4)[3]!, version: '3.0.0' },
    ];
    releases.push({ ...steady(5)[4]!, version: '4.0.0' });
    expect(kinds(metadataTransitions(packument(releases), '1.0.0', '4.0.0'))).not.toContain('version-jump');
  });

  it('reports a missing gitHead when the previous release had one', () => {
    const releases = steady(3);
    delete releases[2]!.gitHead;
    const missing = only(metadataTransitions(packument(releases), '1.1.0', '1.2.0'), 'githead-missing');
    expect(missing.evidence).toEqual({ previous: '1.1.0', previousGitHead: '1'.padStart(40, 'a') });
  });

  it('reports the takeover shape: new publisher, new maintainer, no provenance, no gitHead', () => {
    const releases = steady(4, { trust: 'provenance' });
    releases[3] = {
      ...releases[3]!,
      publisher: 'mallory',
      maintainers: ['alice', 'bob', 'mallory'],
      trust: undefined,
    };
    delete releases[3].gitHead;
    expect(kinds(metadataTransitions(packument(releases), '1.2.0', '1.3.0')).sort()).toEqual([
      'githead-missing',
      'maintainers-changed',
      'publisher-change',
      'trust-downgrade',
    ]);
  });
});

describe('trustLevel', () => {
  it('reads pnpm trust evidence', () => {
    expect(trustLevel({ _npmUser: { name: 'GitHub Actions', trustedPublisher: { id: 'github' } } })).toBe(
      'trusted-publisher',
    );
    expect(trustLevel({ dist: { attestations: PROVENANCE } })).toBe('provenance');
    expect(trustLevel({ dist: { attestations: { url: 'https://registry.invalid/x' } } })).toBe('none');
    expect(trustLevel({ _npmUser: { trustedPublisher: 'yes' } })).toBe('none');
    expect(trustLevel(null)).toBe('none');
  });
});

describe('metadataTransitions — hostile documents', () => {
  const hostile: unknown[] = [
    null,
    undefined,
    42,
    'packument',
    [],
    { versions: [] },
    { versions: null, time: 'yesterday' },
    { versions: { '1.0.0': 'x', '2.0.0': [] }, time: { '1.0.0': 7, '2.0.0': {} } },
    {
      versions: {
        '1.0.0': { _npmUser: 'alice', maintainers: 'alice', dist: 'x', repository: 7, gitHead: {} },
        '2.0.0': {
          _npmUser: { name: 7 },
          maintainers: [null, 7, {}, { name: [] }],
          dist: { attestations: [] },
        },
      },
      time: { '1.0.0': 'not a date', '2.0.0': '2024-01-01T00:00:00Z' },
    },
  ];

  it.each(hostile.map((doc, i) => [i, doc]))('does not throw on document %i', (_, doc) => {
    expect(() => metadataTransitions(doc, '1.0.0', '2.0.0')).not.toThrow();
  });

  it('ignores versions reached through the prototype and __proto__ keys', () => {
    const doc = JSON.parse(
      '{"versions":{"__proto__":{"_npmUser":{"name":"mallory"}},"1.0.0":{"_npmUser":{"name":"alice"}}},"time":{"__proto__":"2024-01-01T00:00:00Z"}}',
    );
    expect(() => metadataTransitions(doc, '1.0.0', '__proto__')).not.toThrow();
    expect(metadataTransitions(doc, '1.0.0', 'toString')).toEqual([]);
    expect(metadataTransitions(doc, 'constructor', '1.0.0')).toEqual([]);
    expect(({} as Record<string, unknown>).name).toBeUndefined();
  });

  it('handles huge maps in bounded time and bounded evidence', () => {
    const count = 20_000;
    const versions: Record<string, unknown> = {};
    const time: Record<string, string> = {};
    for (let i = 0; i < count; i++) {
      versions[`1.0.${i}`] = { _npmUser: { name: `user${i}` }, maintainers: [{ name: `m${i}` }] };
      time[`1.0.${i}`] = '2024-01-01T00:00:00.000Z';
    }
    const to = `1.0.${count - 1}`;
    (versions[to] as Record<string, unknown>).maintainers = Array.from({ length: count }, (_, i) => ({
      name: `x${i}`,
    }));
    const started = performance.now();
    const transitions = metadataTransitions({ versions, time }, '1.0.0', to);
    expect(performance.now() - started).toBeLessThan(5_000);
    const burst = only(transitions, 'release-burst');
    expect(burst.evidence.versions.length).toBeLessThanOrEqual(50);
    expect(burst.message.length).toBeLessThan(400);
    expect(only(transitions, 'maintainers-changed').evidence.added.length).toBeLessThanOrEqual(50);
  });

  it('cuts hostile long values short', () => {
    const releases = steady(2);
    releases[1]!.publisher = 'm'.repeat(100_000);
    const change = only(metadataTransitions(packument(releases), '1.0.0', '1.1.0'), 'publisher-change');
    expect(change.evidence.publisher.length).toBeLessThanOrEqual(201);
  });
});

describe('gradeTransitions', () => {
  const takeover = (): Release[] => {
    const releases = steady(4, { trust: 'provenance' });
    releases[3] = {
      ...releases[3]!,
      publisher: 'mallory',
      maintainers: ['alice', 'bob', 'mallory'],
      trust: undefined,
    };
    return releases;
  };
  const graded = (releases: Release[], from: string, to: string) =>
    Object.fromEntries(
      gradeTransitions(metadataTransitions(packument(releases), from, to)).map((t) => [
        t.kind,
        [t.severity, t.confidence],
      ]),
    );

  it('rates a trust downgrade with a publisher change high', () => {
    expect(graded(takeover(), '1.2.0', '1.3.0')).toEqual({
      'publisher-change': ['high', 'high'],
      'trust-downgrade': ['high', 'high'],
      'maintainers-changed': ['medium', 'medium'],
    });
  });

  it('rates each alone medium', () => {
    const downgrade = steady(3, { trust: 'provenance' });
    downgrade[2]!.trust = undefined;
    expect(graded(downgrade, '1.1.0', '1.2.0')).toEqual({ 'trust-downgrade': ['medium', 'medium'] });
    const publisher = steady(3);
    publisher[2]!.publisher = 'carol';
    expect(graded(publisher, '1.1.0', '1.2.0')).toEqual({ 'publisher-change': ['medium', 'medium'] });
  });

  it('rates a move to trusted publishing low', () => {
    const releases = steady(3);
    releases[2] = { ...releases[2]!, publisher: 'GitHub Actions', trust: 'trusted-publisher' };
    expect(graded(releases, '1.1.0', '1.2.0')).toEqual({ 'publisher-change': ['low', 'low'] });
  });

  it('rates a dormant republish low, medium with a new publisher', () => {
    const releases = steady(3);
    releases[2]!.time = '2026-06-01T00:00:00.000Z';
    expect(graded(releases, '1.1.0', '1.2.0')).toEqual({ 'dormant-republish': ['low', 'medium'] });
    releases[2]!.publisher = 'mallory';
    expect(graded(releases, '1.1.0', '1.2.0')['dormant-republish']).toEqual(['medium', 'medium']);
  });

  it('rates a repository renamed under its owner low, a new owner medium, a removed one low', () => {
    const renamed = steady(3);
    renamed[2]!.repository = 'https://github.com/example/pkg-core';
    expect(graded(renamed, '1.1.0', '1.2.0')).toEqual({ 'repository-changed': ['low', 'medium'] });
    const moved = steady(3);
    moved[2]!.repository = 'https://github.com/mallory/pkg';
    expect(graded(moved, '1.1.0', '1.2.0')).toEqual({ 'repository-changed': ['medium', 'medium'] });
    const removed = steady(3);
    delete removed[2]!.repository;
    expect(graded(removed, '1.1.0', '1.2.0')).toEqual({ 'repository-changed': ['low', 'medium'] });
  });

  it('rates a jump to 99 above an ordinary major jump', () => {
    const jump = [...steady(2), { ...steady(3)[2]!, version: '5.0.0' }];
    expect(graded(jump, '1.1.0', '5.0.0')).toEqual({ 'version-jump': ['low', 'low'] });
    const confusion = [...steady(2), { ...steady(3)[2]!, version: '99.1.0' }];
    expect(graded(confusion, '1.1.0', '99.1.0')).toEqual({ 'version-jump': ['medium', 'medium'] });
  });
});
