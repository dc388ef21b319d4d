import { describe, expect, it } from 'vitest';
import { abbreviateDocument } from './abbreviate.js';
import {
  canonicalTarballPath,
  hideVersions,
  ifNoneMatchMatches,
  rewriteTarballUrls,
  serialiseDocument,
  strongEtag,
} from './rewrite.js';
import { leftPadFull, scopedFull } from './testdata/documents.js';

const ORIGIN = 'http://127.0.0.1:4873';

describe('rewriteTarballUrls', () => {
  it('points every tarball at the firewall and leaves the rest of dist alone', () => {
    const full = leftPadFull();
    const before = structuredClone(full);
    const doc = rewriteTarballUrls(full, `${ORIGIN}/`);
    expect(full).toEqual(before);
    for (const [version, entry] of Object.entries(doc.versions)) {
      const { tarball, ...rest } = entry.dist as Record<string, unknown>;
      expect(tarball).toBe(`${ORIGIN}/left-pad/-/left-pad-${version}.tgz`);
      const { tarball: _, ...original } = before.versions[version]!.dist as Record<string, unknown>;
      expect(rest).toEqual(original);
    }
    expect(doc.time).toEqual(before.time);
    expect(doc.readme).toBe(before.readme);
  });

  it('keeps the scoped path shape, drops an upstream prefix and keeps attestations', () => {
    const full = scopedFull();
    const doc = rewriteTarballUrls(full, `${ORIGIN}/fw`);
    expect((doc.versions['2.0.0']!.dist as { tarball: string }).tarball).toBe(
      `${ORIGIN}/fw/@acme%2fwidget/-/widget-2.0.0.tgz`,
    );
    const dist = doc.versions['2.1.0']!.dist as Record<string, unknown>;
    expect(dist.tarball).toBe(`${ORIGIN}/fw/@acme/widget/-/widget-2.1.0.tgz`);
    expect(dist.attestations).toEqual((full.versions['2.1.0']!.dist as Record<string, unknown>).attestations);
    expect(dist.signatures).toEqual((full.versions['2.1.0']!.dist as Record<string, unknown>).signatures);
    expect(dist.integrity).toBe((full.versions['2.1.0']!.dist as Record<string, unknown>).integrity);
  });

  it('never hands out a URL that bypasses the firewall', () => {
    const full = leftPadFull();
    (full.versions['1.0.0']!.dist as Record<string, unknown>).tarball = 'https://cdn.invalid/blob/abc';
    (full.versions['1.2.0']!.dist as Record<string, unknown>).tarball =
      'https://upstream.invalid/evil/-/evil-1.2.0.tgz';
    delete (full.versions['1.3.0']!.dist as Record<string, unknown>).tarball;
    const doc = rewriteTarballUrls(full, ORIGIN);
    expect((doc.versions['1.0.0']!.dist as { tarball: string }).tarball).toBe(
      `${ORIGIN}/left-pad/-/left-pad-1.0.0.tgz`,
    );
    expect((doc.versions['1.2.0']!.dist as { tarball: string }).tarball).toBe(
      `${ORIGIN}/left-pad/-/left-pad-1.2.0.tgz`,
    );
    expect((doc.versions['1.3.0']!.dist as { tarball: string }).tarball).toBe(
      `${ORIGIN}/left-pad/-/left-pad-1.3.0.tgz`,
    );
    expect(canonicalTarballPath('@acme/widget', '1.0.0')).toBe('/@acme/widget/-/widget-1.0.0.tgz');
  });

  it('works on abbreviated documents', () => {
    const doc = rewriteTarballUrls(abbreviateDocument(scopedFull()), ORIGIN);
    expect((doc.versions['2.1.0']!.dist as { tarball: string }).tarball).toBe(
      `${ORIGIN}/@acme/widget/-/widget-2.1.0.tgz`,
    );
  });
});

describe('hideVersions', () => {
  it('removes versions, their time entries and the tags pointing at them', () => {
    const full = leftPadFull();
    const before = structuredClone(full);
    const doc = hideVersions(full, {
      hide: ['1.3.0', '2.0.0-beta.1'],
      distTags: { latest: '1.2.0', next: '2.0.0-beta.1' },
    });
    expect(full).toEqual(before);
    expect(Object.keys(doc.versions)).toEqual(['1.0.0', '1.2.0']);
    expect(doc['dist-tags']).toEqual({ latest: '1.2.0' });
    expect(doc.time).toEqual({
      created: '2016-03-01T00:00:00.000Z',
      modified: '2026-11-27T00:00:00.000Z',
      '1.0.0': '2016-03-01T00:00:00.000Z',
      '1.2.0': '2017-01-01T00:00:00.000Z',
    });
    expect(doc.readme).toBe(full.readme);
  });

  it('keeps upstream tags when none are given, minus hidden targets', () => {
    const doc = hideVersions(leftPadFull(), { hide: ['2.0.0-beta.1'] });
    expect(doc['dist-tags']).toEqual({ latest: '1.3.0' });
  });

  it('returns the same object when nothing changes', () => {
    const full = leftPadFull();
    expect(hideVersions(full, { hide: [] })).toBe(full);
    expect(hideVersions(full, { hide: ['9.9.9'] })).toBe(full);
    expect(hideVersions(full, { hide: [], distTags: { latest: '1.2.0' } })).not.toBe(full);
  });

  it('works on abbreviated documents, which have no time', () => {
    const doc = hideVersions(abbreviateDocument(scopedFull()), {
      hide: ['2.1.0'],
      distTags: { latest: '2.0.0' },
    });
    expect(Object.keys(doc.versions)).toEqual(['2.0.0']);
    expect(doc).not.toHaveProperty('time');
  });
});

describe('ETags', () => {
  it('is a strong validator of the exact bytes sent', () => {
    const full = leftPadFull();
    const body = serialiseDocument(full);
    const tag = strongEtag(body);
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(strongEtag(body.toString('utf8'))).toBe(tag);
    expect(strongEtag(serialiseDocument(rewriteTarballUrls(full, ORIGIN)))).not.toBe(tag);
    expect(strongEtag(serialiseDocument(hideVersions(full, { hide: ['1.3.0'] })))).not.toBe(tag);
  });

  it('matches If-None-Match lists, weak tags and *', () => {
    const tag = '"abc"';
    expect(ifNoneMatchMatches(undefined, tag)).toBe(false);
    expect(ifNoneMatchMatches('"abc"', tag)).toBe(true);
    expect(ifNoneMatchMatches('W/"abc"', tag)).toBe(true);
    expect(ifNoneMatchMatches('"x", W/"y", "abc"', tag)).toBe(true);
    expect(ifNoneMatchMatches('"x,abc", "y"', tag)).toBe(false);
    expect(ifNoneMatchMatches('*', tag)).toBe(true);
    expect(ifNoneMatchMatches(' * ', tag)).toBe(true);
    expect(ifNoneMatchMatches('abc', tag)).toBe(false);
    expect(ifNoneMatchMatches('"abcd"', tag)).toBe(false);
    expect(ifNoneMatchMatches('"abc"', 'W/"abc"')).toBe(true);
    expect(ifNoneMatchMatches('', tag)).toBe(false);
  });
});
