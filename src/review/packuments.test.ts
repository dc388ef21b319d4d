import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyNpmrc } from '../registry/npmrc.js';
import { type FakeRegistry, makePackument, startFakeRegistry } from '../registry/testdata/fake-registry.js';
import { createFullPackuments } from './packuments.js';

let registry: FakeRegistry;
const npmrc = () => ({ ...emptyNpmrc(), registry: registry.url });

beforeAll(async () => {
  registry = await startFakeRegistry();
  registry.set('lib', makePackument('lib', { '1.0.0': {}, '1.1.0': {} }));
});
afterAll(() => registry.close());

const fetchesOf = (name: string) => registry.requests.filter((r) => r.path === `/${name}`).length;

describe('createFullPackuments', () => {
  it('fetches once, then serves the digest from disk without reading the document until asked', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'bulwark-full-'));
    const first = await createFullPackuments({ npmrc: npmrc(), offline: false, cacheDir }).get('lib');
    expect(first?.text()).toContain('"1.1.0"');
    expect(fetchesOf('lib')).toBe(1);
    const again = createFullPackuments({ npmrc: npmrc(), offline: false, cacheDir });
    const warm = await again.get('lib');
    expect(warm?.digest).toBe(first?.digest);
    expect(fetchesOf('lib')).toBe(1);
    expect(warm?.text()).toBe(first?.text());
    // the validated form for the tarball client comes from the same document
    expect([...((await again.source.get('lib'))?.versions.keys() ?? [])]).toEqual(['1.0.0', '1.1.0']);
    // a body that vanished is no text (and the review then keeps no result)
    for (const file of readdirSync(cacheDir)) if (file.endsWith('.json')) rmSync(join(cacheDir, file));
    const gone = await createFullPackuments({ npmrc: npmrc(), offline: false, cacheDir }).get('lib');
    expect(gone?.text()).toBeUndefined();
  });

  it('revalidates a stale copy with its ETag (304 keeps the digest) and reads only the cache offline', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'bulwark-full-'));
    registry.set('other', makePackument('other', { '2.0.0': {} }));
    const first = await createFullPackuments({ npmrc: npmrc(), offline: false, cacheDir }).get('other');
    const stale = await createFullPackuments({ npmrc: npmrc(), offline: false, cacheDir, maxAgeMs: 0 }).get(
      'other',
    );
    const last = registry.requests.filter((r) => r.path === '/other').at(-1);
    expect(last).toMatchObject({ status: 304 });
    expect(last?.headers['if-none-match']).toBeDefined();
    expect(stale?.digest).toBe(first?.digest);
    const before = registry.requests.length;
    const offline = createFullPackuments({ npmrc: npmrc(), offline: true, cacheDir, maxAgeMs: 0 });
    expect((await offline.get('other'))?.digest).toBe(first?.digest);
    expect(await offline.get('never-fetched')).toBeUndefined();
    expect(registry.requests.length).toBe(before);
  });

  it('a package the registry does not have is undefined; a changed document gets a new digest', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'bulwark-full-'));
    expect(
      await createFullPackuments({ npmrc: npmrc(), offline: false, cacheDir }).get('missing'),
    ).toBeUndefined();
    registry.set('moving', makePackument('moving', { '1.0.0': {} }));
    const one = await createFullPackuments({ npmrc: npmrc(), offline: false, cacheDir }).get('moving');
    registry.set('moving', makePackument('moving', { '1.0.0': {}, '1.0.1': {} }));
    const two = await createFullPackuments({ npmrc: npmrc(), offline: false, cacheDir, maxAgeMs: 0 }).get(
      'moving',
    );
    expect(two?.digest).not.toBe(one?.digest);
    expect(two?.text()).toContain('1.0.1');
  });
});
