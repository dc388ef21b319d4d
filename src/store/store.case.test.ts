import { describe, expect, it } from 'vitest';
import type { Advisory } from '../core/advisory.js';
import { InputError } from '../core/errors.js';
import type { AdvisoryStore } from './store.js';

/**
 * The behaviour every AdvisoryStore implementation must have. Not run on its own (vitest excludes
 * `*.case.test.ts`); each implementation's test file calls it with a factory for a fresh store.
 */

const advisory = (
  id: string,
  modified: string,
  names: string[],
  extra: Partial<Advisory> = {},
): Advisory => ({
  id,
  aliases: [],
  modified,
  summary: `${id} summary`,
  kind: 'vulnerability',
  severity: {
    level: 'high',
    score: 7.5,
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    source: 'cvss-v3',
  },
  affected: names.map((name) => ({
    name,
    ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
    versions: [],
  })),
  references: [{ type: 'WEB', url: 'https://example.invalid/advisory' }],
  cwes: [],
  ...extra,
});

const source = { name: 'test', location: '/tmp/test-source' };

async function* failingAfter(items: Advisory[]): AsyncGenerator<Advisory> {
  yield* items;
  throw new InputError('broken.zip:BAD-1.json', '$.affected must be an array, got a string');
}

export const runStoreContract = (name: string, open: () => Promise<AdvisoryStore>): void => {
  describe(`AdvisoryStore contract: ${name}`, () => {
    it('starts empty', async () => {
      const store = await open();
      const status = await store.status();
      expect(status).toMatchObject({ advisories: 0, malware: 0, withdrawn: 0, packages: 0, sources: [] });
      expect(status.lastImportAt).toBeUndefined();
      expect(await store.advisoriesFor(['anything'])).toEqual(new Map());
      await store.close();
    });

    it('imports and returns advisories by package name, exactly as given', async () => {
      const store = await open();
      const a = advisory('GHSA-aaaa', '2025-01-01T00:00:00Z', ['left-pad', 'right-pad'], {
        aliases: ['CVE-2025-1'],
      });
      const b = advisory('MAL-2025-1', '2025-02-01T00:00:00Z', ['left-pad'], {
        kind: 'malware',
        severity: { level: 'critical', source: 'malware' },
        integrity: ['sha512-AAAA'],
      });
      const c = advisory('GHSA-cccc', '2025-03-01T00:00:00Z', ['other'], {
        withdrawn: '2025-03-02T00:00:00Z',
      });
      const stats = await store.importAdvisories([a, b, c], source);
      expect(stats).toEqual({ read: 3, added: 3, updated: 0, unchanged: 0, skipped: 0 });
      const found = await store.advisoriesFor(['left-pad', 'right-pad', 'other', 'missing', 'left-pad']);
      expect([...found.keys()].sort()).toEqual(['left-pad', 'other', 'right-pad']);
      expect(found.get('left-pad')).toEqual([a, b]);
      expect(found.get('right-pad')).toEqual([a]);
      expect(found.get('other')).toEqual([c]);
      expect(await store.getAdvisory('MAL-2025-1')).toEqual(b);
      expect(await store.getAdvisory('nope')).toBeUndefined();
      expect(await store.getAdvisory('CVE-2025-1')).toEqual(a);
      await store.close();
    });

    it('gives match candidates with only the ranges for each name, and whole records by id', async () => {
      const store = await open();
      const a = advisory('GHSA-aaaa', '2025-01-01T00:00:00Z', ['left-pad', 'right-pad'], {
        aliases: ['CVE-2025-1'],
      });
      const b = advisory('MAL-2025-1', '2025-02-01T00:00:00Z', ['left-pad'], {
        kind: 'malware',
        severity: { level: 'critical', source: 'malware' },
        integrity: ['sha512-AAAA'],
        withdrawn: '2025-03-01T00:00:00Z',
      });
      await store.importAdvisories([a, b], source);
      const candidates = await store.matchCandidates(['left-pad', 'right-pad', 'missing']);
      expect([...candidates.keys()].sort()).toEqual(['left-pad', 'right-pad']);
      expect(candidates.get('left-pad')).toEqual([
        { id: 'GHSA-aaaa', kind: 'vulnerability', affected: a.affected.filter((p) => p.name === 'left-pad') },
        {
          id: 'MAL-2025-1',
          kind: 'malware',
          withdrawn: '2025-03-01T00:00:00Z',
          integrity: ['sha512-AAAA'],
          affected: b.affected,
        },
      ]);
      expect(candidates.get('right-pad')?.[0]?.affected).toEqual(
        a.affected.filter((p) => p.name === 'right-pad'),
      );
      const records = await store.getAdvisories(['MAL-2025-1', 'GHSA-aaaa', 'nope', 'CVE-2025-1']);
      expect([...records.keys()].sort()).toEqual(['GHSA-aaaa', 'MAL-2025-1']);
      expect(records.get('MAL-2025-1')).toEqual(b);
      await store.close();
    });

    it('may leave out candidates the lowest installed version is already past', async () => {
      const store = await open();
      const fixed = advisory('GHSA-fixd', '2025-01-01T00:00:00Z', ['pkg']); // introduced 0, fixed 2.0.0
      const open_ = advisory('GHSA-open', '2025-01-01T00:00:00Z', ['pkg'], {
        affected: [
          { name: 'pkg', ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }], versions: [] },
        ],
      });
      const hashed = advisory('MAL-hash', '2025-01-01T00:00:00Z', ['pkg'], {
        kind: 'malware',
        affected: [{ name: 'pkg', ranges: [], versions: ['1.0.0'] }],
        integrity: ['sha512-BBBB'],
      });
      await store.importAdvisories([fixed, open_, hashed], source);
      const ids = async (lowest: string) =>
        ((await store.matchCandidates(['pkg'], new Map([['pkg', lowest]]))).get('pkg') ?? []).map(
          (c) => c.id,
        );
      // Never leaves out one that can affect the version; may leave out one that cannot.
      expect(await ids('1.9.9')).toEqual(['GHSA-fixd', 'GHSA-open', 'MAL-hash']);
      expect(await ids('2.0.0-beta.1')).toEqual(
        expect.arrayContaining(['GHSA-fixd', 'GHSA-open', 'MAL-hash']),
      );
      expect(await ids('3.0.0')).toEqual(expect.arrayContaining(['GHSA-open', 'MAL-hash']));
      expect((await store.matchCandidates(['pkg'])).get('pkg')?.map((c) => c.id)).toEqual([
        'GHSA-fixd',
        'GHSA-open',
        'MAL-hash',
      ]);
      await store.close();
    });

    it('is incremental by id and modified', async () => {
      const store = await open();
      await store.importAdvisories(
        [advisory('A-1', '2025-01-01T00:00:00Z', ['p', 'q'], { aliases: ['CVE-OLD'] })],
        source,
      );
      expect((await store.getAdvisory('CVE-OLD'))?.id).toBe('A-1');
      const newer = advisory('A-1', '2025-01-01T00:00:01.5Z', ['q', 'r'], { summary: 'changed' });
      const same = advisory('A-1', '2025-01-01T00:00:01.500Z', ['x'], { summary: 'same time' });
      const older = advisory('A-1', '2024-12-31T00:00:00Z', ['y'], { summary: 'older' });
      expect(await store.importAdvisories([newer], source)).toMatchObject({
        added: 0,
        updated: 1,
        unchanged: 0,
      });
      expect(await store.importAdvisories([same, older], source)).toMatchObject({ updated: 0, unchanged: 2 });
      expect((await store.getAdvisory('A-1'))?.summary).toBe('changed');
      expect(await store.getAdvisory('CVE-OLD')).toBeUndefined();
      const found = await store.advisoriesFor(['p', 'q', 'r', 'x', 'y']);
      expect([...found.keys()].sort()).toEqual(['q', 'r']);
      expect((await store.status()).advisories).toBe(1);
      await store.close();
    });

    it('rolls back a failed import completely', async () => {
      const store = await open();
      await store.importAdvisories([advisory('KEEP-1', '2025-01-01T00:00:00Z', ['kept'])], source);
      const before = await store.status();
      await expect(
        store.importAdvisories(
          failingAfter([
            advisory('NEW-1', '2025-01-01T00:00:00Z', ['fresh']),
            advisory('KEEP-1', '2026-01-01T00:00:00Z', ['changed'], { summary: 'should not land' }),
          ]),
          { name: 'other-source', location: '/tmp/other' },
        ),
      ).rejects.toThrow(/broken\.zip:BAD-1\.json/);
      const after = await store.status();
      expect(after).toEqual(before);
      expect(await store.getAdvisory('NEW-1')).toBeUndefined();
      expect((await store.getAdvisory('KEEP-1'))?.summary).toBe('KEEP-1 summary');
      expect(await store.advisoriesFor(['fresh', 'changed'])).toEqual(new Map());
      expect(await store.getSource('other-source')).toBeUndefined();
      // and the store still works afterwards
      expect(
        await store.importAdvisories([advisory('NEW-2', '2025-01-01T00:00:00Z', ['fresh'])], source),
      ).toMatchObject({
        added: 1,
      });
      await store.close();
    });

    it('accepts async iterables', async () => {
      const store = await open();
      async function* items() {
        for (let i = 0; i < 50; i++) yield advisory(`ASYNC-${i}`, '2025-01-01T00:00:00Z', [`pkg-${i % 10}`]);
      }
      expect(await store.importAdvisories(items(), source)).toMatchObject({ read: 50, added: 50 });
      expect((await store.advisoriesFor(['pkg-3'])).get('pkg-3')).toHaveLength(5);
      await store.close();
    });

    it('looks up more names than one batch holds', async () => {
      const store = await open();
      const many = Array.from({ length: 1500 }, (_, i) =>
        advisory(`MANY-${i}`, '2025-01-01T00:00:00Z', [`name-${i}`]),
      );
      await store.importAdvisories(many, source);
      const names = Array.from({ length: 3000 }, (_, i) => `name-${i}`);
      const found = await store.advisoriesFor(names);
      expect(found.size).toBe(1500);
      expect(found.get('name-1499')?.[0]?.id).toBe('MANY-1499');
      await store.close();
    });

    it('counts in status and records sources', async () => {
      const store = await open();
      await store.importAdvisories(
        [
          advisory('V-1', '2025-01-01T00:00:00Z', ['a', 'b']),
          advisory('M-1', '2025-05-01T00:00:00Z', ['b', 'c'], { kind: 'malware' }),
          advisory('W-1', '2025-03-01T00:00:00Z', ['d'], {
            kind: 'malware',
            withdrawn: '2025-03-02T00:00:00Z',
          }),
        ],
        {
          name: 'osv-npm',
          location: 'https://example.invalid/all.zip',
          etag: '"abc"',
          lastModified: 'Tue, 01 Apr 2025 00:00:00 GMT',
        },
      );
      const status = await store.status();
      expect(status).toMatchObject({
        advisories: 3,
        vulnerabilities: 1,
        malware: 2,
        withdrawn: 1,
        packages: 4,
      });
      expect(Date.parse(status.newestModified!)).toBe(Date.parse('2025-05-01T00:00:00Z'));
      expect(status.sources).toHaveLength(1);
      expect(status.sources[0]).toMatchObject({
        name: 'osv-npm',
        location: 'https://example.invalid/all.zip',
        etag: '"abc"',
        lastModified: 'Tue, 01 Apr 2025 00:00:00 GMT',
        entries: 3,
      });
      expect(status.lastImportAt).toBe(status.sources[0]!.importedAt);

      await store.recordSource({
        name: 'osv-npm',
        location: 'https://example.invalid/all.zip',
        importedAt: '2030-01-01T00:00:00.000Z',
        etag: '"def"',
        entries: 3,
      });
      const recorded = await store.getSource('osv-npm');
      expect(recorded).toEqual({
        name: 'osv-npm',
        location: 'https://example.invalid/all.zip',
        importedAt: '2030-01-01T00:00:00.000Z',
        etag: '"def"',
        entries: 3,
      });
      expect(await store.getSource('nothing')).toBeUndefined();
      await store.close();
    });
  });
};
