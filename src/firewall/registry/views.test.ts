import { describe, expect, it } from 'vitest';
import { hideVersions } from './rewrite.js';
import { leftPadFull } from './testdata/documents.js';
import { distTagsView, versionView } from './views.js';

describe('versionView', () => {
  it('resolves versions and tags', () => {
    const doc = leftPadFull();
    expect(versionView(doc, '1.2.0')).toBe(doc.versions['1.2.0']);
    expect(versionView(doc, 'latest')).toBe(doc.versions['1.3.0']);
    expect(versionView(doc, 'next')).toBe(doc.versions['2.0.0-beta.1']);
    expect(versionView(doc, '9.9.9')).toBeUndefined();
    expect(versionView(doc, 'constructor')).toBeUndefined();
    expect(versionView(doc, 'toString')).toBeUndefined();
  });

  it('never shows a hidden version', () => {
    const doc = hideVersions(leftPadFull(), { hide: ['1.3.0'], distTags: { latest: '1.2.0' } });
    expect(versionView(doc, '1.3.0')).toBeUndefined();
    expect(versionView(doc, 'latest')?.version).toBe('1.2.0');
  });
});

describe('distTagsView', () => {
  it('returns a copy of the tags or one tag', () => {
    const doc = leftPadFull();
    const tags = distTagsView(doc);
    expect(tags).toEqual({ latest: '1.3.0', next: '2.0.0-beta.1' });
    expect(tags).not.toBe(doc['dist-tags']);
    expect(distTagsView(doc, 'next')).toBe('2.0.0-beta.1');
    expect(distTagsView(doc, 'beta')).toBeUndefined();
    expect(distTagsView(doc, '__proto__')).toBeUndefined();
  });
});
