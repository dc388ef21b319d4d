import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { openStore } from '../store/open-store.js';
import type { AdvisoryStore } from '../store/store.js';
import { importOsv } from './import.js';
import { isAffected } from './range.js';
import { makeZip } from './testdata/make-zip.js';

const corpus = new URL('../../testdata/osv/npm/', import.meta.url).pathname;
const real = (id: string) => readFileSync(join(corpus, `${id}.json`), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'bulwark-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const fresh = () => openStore(join(dir, `db-${++counter}`, 'bulwark.db'));
const writeZip = (name: string, entries: Parameters<typeof makeZip>[0]) => {
  const path = join(dir, name);
  writeFileSync(path, makeZip(entries));
  return path;
};

const pypiOnly = JSON.stringify({
  id: 'PYSEC-2099-1',
  modified: '2099-01-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'PyPI', name: 'requests' }, versions: ['1.0'] }],
});

const counts = async (store: AdvisoryStore) => {
  const { advisories, malware, withdrawn, packages, sources } = await store.status();
  return { advisories, malware, withdrawn, packages, sources: sources.length };
};

describe('importOsv', () => {
  it('imports the real corpus directory, then finds nothing new', async () => {
    const store = await fresh();
    const first = await importOsv(store, corpus);
    expect(first).toMatchObject({ read: 325, added: 325, updated: 0, unchanged: 0, skipped: 0 });
    expect(first.source).toEqual({
      name: `file:${corpus.replace(/\/$/, '')}`,
      location: corpus.replace(/\/$/, ''),
    });
    const second = await importOsv(store, corpus);
    expect(second).toMatchObject({ read: 325, added: 0, updated: 0, unchanged: 325 });
    const status = await store.status();
    expect(status).toMatchObject({ advisories: 325, malware: 135, withdrawn: 12 });
    const lodash = (await store.advisoriesFor(['lodash'])).get('lodash') ?? [];
    expect(lodash.filter((a) => isAffected(a, 'lodash', '4.17.20')).map((a) => a.id)).toContain(
      'GHSA-29mw-wpgm-hmr9',
    );
    await store.close();
  });

  it('streams an OSV all.zip, skips non-npm records and ignores other files', async () => {
    const zip = writeZip('all.zip', [
      { name: 'MAL-2025-46969.json', data: real('MAL-2025-46969') },
      { name: 'GHSA-29mw-wpgm-hmr9.json', data: real('GHSA-29mw-wpgm-hmr9'), store: true },
      { name: 'PYSEC-2099-1.json', data: pypiOnly },
      { name: 'README.txt', data: 'not a record' },
      { name: 'nested/', data: '' },
    ]);
    const store = await fresh();
    expect(await importOsv(store, zip)).toMatchObject({ read: 3, added: 2, skipped: 1 });
    const chalk = (await store.advisoriesFor(['chalk'])).get('chalk');
    expect(chalk?.[0]?.kind).toBe('malware');
    await store.close();
  });

  it('updates only records whose modified is newer', async () => {
    const record = JSON.parse(real('GHSA-29mw-wpgm-hmr9')) as Record<string, unknown>;
    const store = await fresh();
    await importOsv(store, writeZip('v1.zip', [{ name: 'a.json', data: JSON.stringify(record) }]));
    const newer = { ...record, modified: '2030-01-01T00:00:00Z', summary: 'updated summary' };
    const older = { ...record, modified: '2020-01-01T00:00:00Z', summary: 'older summary' };
    const result = await importOsv(
      store,
      writeZip('v2.zip', [
        { name: 'a.json', data: JSON.stringify(newer) },
        { name: 'b.json', data: JSON.stringify(older) },
      ]),
    );
    expect(result).toMatchObject({ read: 2, added: 0, updated: 1, unchanged: 1 });
    expect((await store.getAdvisory('GHSA-29mw-wpgm-hmr9'))?.summary).toBe('updated summary');
    await store.close();
  });

  it('reads the GitHub advisory-database layout and a single file', async () => {
    const root = join(dir, 'advisory-database');
    const ids = ['GHSA-27h2-hvpr-p74q', 'GHSA-73qr-pfmq-6rp8'];
    for (const id of ids) {
      const folder = join(root, 'advisories', 'github-reviewed', '2022', '12', id);
      mkdirSync(folder, { recursive: true });
      cpSync(join(corpus, `${id}.json`), join(folder, `${id}.json`));
    }
    mkdirSync(join(root, '.github'), { recursive: true });
    writeFileSync(join(root, '.github', 'settings.json'), '{"not": "an advisory"}');
    writeFileSync(join(root, 'README.md'), '# readme');
    const store = await fresh();
    expect(await importOsv(store, root)).toMatchObject({ read: 2, added: 2 });
    expect(await importOsv(store, join(corpus, 'MAL-2024-2929.json'))).toMatchObject({ read: 1, added: 1 });
    expect(await counts(store)).toMatchObject({ advisories: 3, withdrawn: 1, sources: 2 });
    await store.close();
  });
});

describe('importOsv with bad input: InputError and the database unchanged', () => {
  const good = { name: 'MAL-2025-46969.json', data: real('MAL-2025-46969') };
  const record = (patch: Record<string, unknown>) =>
    JSON.stringify({ ...(JSON.parse(real('GHSA-29mw-wpgm-hmr9')) as object), ...patch });

  const cases: [string, () => string, RegExp][] = [
    [
      'truncated JSON in a zip entry',
      () =>
        writeZip('truncated.zip', [
          good,
          { name: 'BAD.json', data: real('GHSA-2j2x-2gpw-g8fm').slice(0, 300) },
        ]),
      /truncated\.zip:BAD\.json:\d+:\d+: invalid JSON/,
    ],
    [
      'affected that is not an array',
      () =>
        writeZip('affected.zip', [good, { name: 'BAD.json', data: record({ affected: { package: 'x' } }) }]),
      /affected\.zip:BAD\.json: \$\.affected must be an array, got an object/,
    ],
    [
      'an event with two keys',
      () =>
        writeZip('events.zip', [
          good,
          {
            name: 'BAD.json',
            data: record({
              affected: [
                {
                  package: { ecosystem: 'npm', name: 'x' },
                  ranges: [{ type: 'SEMVER', events: [{ introduced: '0', fixed: '1.0.0' }] }],
                },
              ],
            }),
          },
        ]),
      /events\.zip:BAD\.json: \$\.affected\[0\]\.ranges\[0\]\.events\[0\] must have exactly one key/,
    ],
    [
      'a __proto__ key',
      () =>
        writeZip('proto.zip', [
          good,
          {
            name: 'BAD.json',
            data: '{"id":"X-1","modified":"2025-01-01T00:00:00Z","__proto__":{"admin":true}}',
          },
        ]),
      /proto\.zip:BAD\.json:1:\d+: contains a "__proto__" key/,
    ],
    [
      'invalid UTF-8',
      () => writeZip('utf8.zip', [good, { name: 'BAD.json', data: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }]),
      /utf8\.zip:BAD\.json: is not valid UTF-8/,
    ],
    [
      'a file that is not a zip',
      () => {
        const path = join(dir, 'fake.zip');
        writeFileSync(path, 'just text pretending to be a zip');
        return path;
      },
      /fake\.zip: is not a zip archive/,
    ],
    [
      'a zip with a broken central directory',
      () => {
        const path = join(dir, 'broken.zip');
        writeFileSync(path, makeZip([good]).subarray(0, 200));
        return path;
      },
      /broken\.zip: is not a valid zip archive/,
    ],
    [
      'a zip bomb',
      () =>
        writeZip('bomb.zip', [
          good,
          { name: 'BOMB.json', data: `{"id":"X","details":"${' '.repeat(8 * 1024 * 1024)}"}` },
        ]),
      /bomb\.zip:BOMB\.json: compresses \d+:1 .*zip bomb/,
    ],
    [
      'a CRC mismatch',
      () => writeZip('crc.zip', [good, { name: 'BAD.json', data: real('GHSA-2j2x-2gpw-g8fm'), crc: 12345 }]),
      /crc\.zip:BAD\.json: fails its CRC-32 check/,
    ],
    [
      'control characters in an entry name and id',
      () =>
        writeZip('ansi.zip', [
          good,
          { name: 'E\u001b[2J.json', data: '{"id":"X\\u001b[31m","modified":"2025-01-01T00:00:00Z"}' },
        ]),
      // (yauzl decodes a name without the UTF-8 flag as CP437, where 0x1b is an arrow)
      /^[^\u001b]*ansi\.zip:E.\[2J\.json: \$\.id is not a valid advisory id: a string \("X\?\[31m"\)$/,
    ],
    [
      'a path that does not exist',
      () => join(dir, 'nowhere', 'all.zip'),
      /nowhere\/all\.zip: does not exist/,
    ],
  ];

  it.each(cases)('%s', async (_label, make, message) => {
    const store = await fresh();
    await importOsv(store, join(corpus, 'GHSA-29mw-wpgm-hmr9.json'));
    const before = await counts(store);
    const path = make();
    const error = await importOsv(store, path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    expect(await counts(store)).toEqual(before);
    expect(await store.getAdvisory('MAL-2025-46969')).toBeUndefined();
    await store.close();
  });

  it('a bad file in a directory names the file and writes nothing', async () => {
    const folder = join(dir, 'mixed');
    mkdirSync(folder, { recursive: true });
    for (const name of readdirSync(corpus).slice(0, 5)) cpSync(join(corpus, name), join(folder, name));
    writeFileSync(join(folder, 'ZZZ-bad.json'), '{"id": "ZZZ", "modified": 7}');
    const store = await fresh();
    await expect(importOsv(store, folder)).rejects.toThrow(/ZZZ-bad\.json: \$\.modified must be a string/);
    expect(await counts(store)).toEqual({ advisories: 0, malware: 0, withdrawn: 0, packages: 0, sources: 0 });
    await store.close();
  });
});
