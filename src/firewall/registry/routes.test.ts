import { describe, expect, it } from 'vitest';
import { classifyRequest, parseLockfileTarballUrl, tarballVersion } from './routes.js';

const get = (path: string) => classifyRequest('GET', path);

describe('classifyRequest: packages', () => {
  it('reads packuments in every name shape', () => {
    expect(get('/left-pad')).toEqual({ kind: 'packument', name: 'left-pad' });
    expect(get('/@acme%2fwidget')).toEqual({ kind: 'packument', name: '@acme/widget' });
    expect(get('/@acme%2Fwidget')).toEqual({ kind: 'packument', name: '@acme/widget' });
    expect(get('/%40acme%2fwidget')).toEqual({ kind: 'packument', name: '@acme/widget' });
    expect(get('/@acme/widget')).toEqual({ kind: 'packument', name: '@acme/widget' });
    expect(get('/left-pad/')).toEqual({ kind: 'packument', name: 'left-pad' });
    expect(get('/left-pad?write=true')).toEqual({ kind: 'packument', name: 'left-pad' });
    expect(classifyRequest('head', '/JSONStream')).toEqual({ kind: 'packument', name: 'JSONStream' });
  });

  it('reads version and tag views', () => {
    expect(get('/left-pad/1.3.0')).toEqual({
      kind: 'version',
      name: 'left-pad',
      spec: '1.3.0',
      specKind: 'version',
    });
    expect(get('/left-pad/latest')).toEqual({
      kind: 'version',
      name: 'left-pad',
      spec: 'latest',
      specKind: 'tag',
    });
    expect(get('/@acme%2fwidget/2.1.0')).toEqual({
      kind: 'version',
      name: '@acme/widget',
      spec: '2.1.0',
      specKind: 'version',
    });
    expect(get('/@acme/widget/next')).toEqual({
      kind: 'version',
      name: '@acme/widget',
      spec: 'next',
      specKind: 'tag',
    });
    expect(get('/left-pad/^1.0.0').kind).toBe('unknown');
  });

  it('reads tarballs for both scoped shapes', () => {
    const tarball = { kind: 'tarball', name: '@acme/widget', version: '2.1.0', filename: 'widget-2.1.0.tgz' };
    expect(get('/@acme/widget/-/widget-2.1.0.tgz')).toEqual(tarball);
    expect(get('/@acme%2fwidget/-/widget-2.1.0.tgz')).toEqual(tarball);
    expect(get('/@acme%2Fwidget/-/widget-2.1.0.tgz')).toEqual(tarball);
    expect(get('/left-pad/-/left-pad-2.0.0-beta.1.tgz')).toEqual({
      kind: 'tarball',
      name: 'left-pad',
      version: '2.0.0-beta.1',
      filename: 'left-pad-2.0.0-beta.1.tgz',
    });
  });

  it('refuses tarball filenames for another package or without a version', () => {
    expect(get('/left-pad/-/evil-1.0.0.tgz')).toMatchObject({ kind: 'unknown' });
    expect(get('/left-pad/-/left-pad-latest.tgz')).toMatchObject({ kind: 'unknown' });
    expect(get('/left-pad/-/left-pad-1.0.0.tar.gz')).toMatchObject({ kind: 'unknown' });
    expect(get('/@acme/widget/-/@acme/widget-1.0.0.tgz')).toMatchObject({ kind: 'unknown' });
    expect(tarballVersion('@a/b', 'b-1.0.0.tgz')).toBe('1.0.0');
    expect(tarballVersion('@a/b', 'b-01.0.0.tgz')).toBeUndefined();
  });

  it('refuses path traversal and invalid names cleanly', () => {
    for (const path of [
      '/..',
      '/../etc/passwd',
      '/%2e%2e/etc/passwd',
      '/left-pad/%2e%2e',
      '/left-pad/-/..%2f..%2fsecret.tgz',
      '/foo%2f..%2fbar',
      '/@acme%2f..',
      '/@acme/..%2f..',
      '/.hidden',
      '/_private',
      '/node_modules',
      '/favicon.ico',
      '/left pad',
      '/left%20pad',
      '/a%5c..%5cb',
      '/a%00',
      '/%E0%A4%A',
      '//left-pad',
      '/left-pad//1.0.0',
      '/@acme',
      `/${'a'.repeat(215)}`,
      '/',
      'left-pad',
    ]) {
      expect(get(path), path).toMatchObject({ kind: 'unknown' });
    }
  });

  it('does not treat writes to package paths as reads', () => {
    expect(classifyRequest('PUT', '/left-pad')).toMatchObject({ kind: 'unknown' });
    expect(classifyRequest('DELETE', '/left-pad/-/left-pad-1.0.0.tgz/-rev/1')).toMatchObject({
      kind: 'unknown',
    });
  });
});

describe('classifyRequest: /-/ endpoints', () => {
  it('names the endpoints the firewall answers or watches', () => {
    expect(get('/-/npm/v1/keys')).toEqual({ kind: 'keys' });
    expect(get('/-/ping?write=true')).toEqual({ kind: 'ping' });
    expect(classifyRequest('POST', '/-/npm/v1/security/advisories/bulk')).toEqual({ kind: 'audit-bulk' });
    expect(classifyRequest('POST', '/-/npm/v1/security/audits')).toEqual({ kind: 'audit-legacy' });
    expect(classifyRequest('POST', '/-/npm/v1/security/audits/quick')).toEqual({ kind: 'audit-legacy' });
    expect(classifyRequest('GET', '/-/npm/v1/security/audits/quick')).toMatchObject({ kind: 'other-dash' });
    expect(get('/-/v1/search?text=left-pad&size=20')).toEqual({ kind: 'search' });
    expect(get('/-/whoami')).toEqual({ kind: 'whoami' });
    expect(classifyRequest('POST', '/-/v1/login')).toEqual({ kind: 'login' });
    expect(classifyRequest('PUT', '/-/user/org.couchdb.user:someone')).toEqual({ kind: 'login' });
  });

  it('reads dist-tags paths in both scoped shapes', () => {
    expect(get('/-/package/left-pad/dist-tags')).toEqual({ kind: 'dist-tags', name: 'left-pad' });
    expect(get('/-/package/@acme%2fwidget/dist-tags')).toEqual({ kind: 'dist-tags', name: '@acme/widget' });
    expect(get('/-/package/@acme/widget/dist-tags/next')).toEqual({
      kind: 'dist-tags',
      name: '@acme/widget',
      tag: 'next',
    });
    expect(get('/-/package/dist-tags/dist-tags')).toEqual({ kind: 'dist-tags', name: 'dist-tags' });
    expect(get('/-/package/..%2fx/dist-tags')).toMatchObject({ kind: 'unknown' });
    expect(get('/-/package/a/b/dist-tags')).toMatchObject({ kind: 'unknown' });
  });

  it('passes other /-/ endpoints through with their raw path', () => {
    expect(get('/-/npm/v1/attestations/@acme%2fwidget@2.1.0')).toEqual({
      kind: 'other-dash',
      path: '/-/npm/v1/attestations/@acme%2fwidget@2.1.0',
    });
    expect(classifyRequest('GET', '/-/npm/v1/security/advisories/bulk')).toMatchObject({
      kind: 'other-dash',
    });
    expect(get('/-/stage/abc')).toMatchObject({ kind: 'other-dash' });
    expect(get('/-/../left-pad')).toMatchObject({ kind: 'unknown' });
  });
});

describe('parseLockfileTarballUrl', () => {
  it('reads tarball URLs of the public registries', () => {
    expect(parseLockfileTarballUrl('https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz')).toEqual({
      name: 'left-pad',
      version: '1.3.0',
      filename: 'left-pad-1.3.0.tgz',
      host: 'registry.npmjs.org',
    });
    expect(
      parseLockfileTarballUrl('https://registry.yarnpkg.com/@acme/widget/-/widget-2.1.0.tgz#deadbeef'),
    ).toMatchObject({
      name: '@acme/widget',
      version: '2.1.0',
    });
    expect(
      parseLockfileTarballUrl('https://registry.npmmirror.com/@acme%2fwidget/-/widget-2.0.0.tgz'),
    ).toMatchObject({
      name: '@acme/widget',
      version: '2.0.0',
      host: 'registry.npmmirror.com',
    });
  });

  it('reads URLs under configured bases, with a path prefix', () => {
    const bases = ['https://mirror.invalid/api/npm/remote/', 'http://127.0.0.1:4873'];
    expect(
      parseLockfileTarballUrl('https://mirror.invalid/api/npm/remote/left-pad/-/left-pad-1.0.0.tgz', bases),
    ).toMatchObject({
      name: 'left-pad',
      version: '1.0.0',
    });
    expect(
      parseLockfileTarballUrl('http://127.0.0.1:4873/@acme/widget/-/widget-2.1.0.tgz', bases),
    ).toMatchObject({
      name: '@acme/widget',
    });
    expect(
      parseLockfileTarballUrl('https://mirror.invalid/other/left-pad/-/left-pad-1.0.0.tgz', bases),
    ).toBeUndefined();
  });

  it('ignores non-registry URLs', () => {
    for (const url of [
      'git+https://github.invalid/acme/widget.git#abc',
      'file:../widget-1.0.0.tgz',
      'https://codeload.invalid/acme/widget/tar.gz/abc',
      'https://registry.npmjs.org.evil.invalid/left-pad/-/left-pad-1.0.0.tgz',
      'https://registry.npmjs.org:8443/left-pad/-/left-pad-1.0.0.tgz',
      'https://registry.npmjs.org/left-pad/-/evil-1.0.0.tgz',
      'not a url',
    ]) {
      expect(parseLockfileTarballUrl(url), url).toBeUndefined();
    }
  });
});
