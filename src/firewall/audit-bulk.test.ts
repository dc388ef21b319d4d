import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOsv } from '../intel/import.js';
import { openStore } from '../store/open-store.js';
import type { AdvisoryStore } from '../store/store.js';
import {
  AuditBodyError,
  answerAuditBulk,
  bulkAdvisoryId,
  decodeAuditBody,
  handleAuditBulk,
  MAX_AUDIT_BODY_BYTES,
  vulnerableVersions,
} from './audit-bulk.js';

const corpus = new URL('../../testdata/osv/npm/', import.meta.url).pathname;

// The raw OSV records, read here without Bulwark's parser, to compute expected answers independently.
type RawEvent = { introduced?: string; fixed?: string; last_affected?: string; limit?: string };
type RawRecord = {
  id: string;
  withdrawn?: string;
  affected?: {
    package?: { ecosystem?: string; name?: string };
    versions?: string[];
    ranges?: { type: string; events: RawEvent[] }[];
    database_specific?: { last_known_affected_version_range?: string };
  }[];
};
const records: RawRecord[] = readdirSync(corpus)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(corpus, f), 'utf8')) as RawRecord);
const npmBlocks = (record: RawRecord, name: string) =>
  (record.affected ?? []).filter((a) => a.package?.ecosystem === 'npm' && a.package.name === name);

/** The OSV specification's evaluation of one range (ossf.github.io/osv-schema, "Evaluation"). */
const rangeHolds = (events: RawEvent[], lastKnown: string | undefined, v: semver.SemVer): boolean => {
  const key = (e: RawEvent) =>
    e.introduced !== undefined
      ? 'introduced'
      : e.fixed !== undefined
        ? 'fixed'
        : e.last_affected !== undefined
          ? 'last_affected'
          : 'limit';
  const at = (e: RawEvent) => {
    const text = e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? '';
    return text === '0' && key(e) === 'introduced' ? new semver.SemVer('0.0.0-0') : semver.parse(text);
  };
  const parsed = events
    .filter((e) => !(key(e) === 'limit' && e.limit === '*'))
    .map((e) => ({ kind: key(e), at: at(e) }))
    .filter((e): e is { kind: string; at: semver.SemVer } => e.at !== null);
  parsed.sort(
    (a, b) => a.at.compare(b.at) || (a.kind === 'introduced' ? -1 : b.kind === 'introduced' ? 1 : 0),
  );
  let affected = false;
  for (const e of parsed) {
    if (e.kind === 'introduced' && v.compare(e.at) >= 0) affected = true;
    if (e.kind === 'fixed' && v.compare(e.at) >= 0) affected = false;
    if (e.kind === 'last_affected' && v.compare(e.at) > 0) affected = false;
  }
  const limits = parsed.filter((e) => e.kind === 'limit');
  if (affected && limits.length > 0 && !limits.some((l) => v.compare(l.at) < 0)) affected = false;
  if (affected && lastKnown && parsed.every((e) => e.kind === 'introduced')) {
    const m = /^\s*(<=?)\s*(\S+)\s*$/.exec(lastKnown);
    const bound = m ? semver.parse(m[2]!) : null;
    if (bound) affected = m![1] === '<=' ? v.compare(bound) <= 0 : v.compare(bound) < 0;
  }
  return affected;
};

const rawAffects = (record: RawRecord, name: string, version: string): boolean => {
  const v = semver.parse(version);
  if (record.withdrawn !== undefined || !v) return false;
  return npmBlocks(record, name).some(
    (block) =>
      (block.versions ?? []).some((listed) => semver.parse(listed)?.compare(v) === 0) ||
      (block.ranges ?? []).some(
        (r) =>
          r.type !== 'GIT' &&
          rangeHolds(r.events, block.database_specific?.last_known_affected_version_range, v),
      ),
  );
};

/** Versions around every boundary a record names for `name`, prereleases included. */
const probes = (name: string): string[] => {
  const out = new Set(['0.0.0', '0.0.1-alpha.1', '0.1.0', '1.0.0', '99.0.0']);
  for (const record of records) {
    for (const block of npmBlocks(record, name)) {
      const texts = [
        ...(block.versions ?? []),
        ...(block.ranges ?? []).flatMap((r) =>
          r.events.flatMap((e) => [e.introduced, e.fixed, e.last_affected, e.limit]),
        ),
      ];
      for (const text of texts) {
        const v = text ? semver.parse(text) : null;
        if (!v) continue;
        out.add(v.version);
        out.add(`${v.major}.${v.minor}.${v.patch}-0`);
        out.add(`${v.major}.${v.minor}.${v.patch}-beta.1`);
        out.add(semver.inc(v, 'patch')!);
        out.add(semver.inc(v, 'minor')!);
        if (v.patch > 0) out.add(`${v.major}.${v.minor}.${v.patch - 1}`);
        if (v.minor > 0) out.add(`${v.major}.${v.minor - 1}.99`);
      }
    }
  }
  return [...out];
};

const names = [
  ...new Set(
    records.flatMap((r) =>
      (r.affected ?? []).filter((a) => a.package?.ecosystem === 'npm').map((a) => a.package!.name!),
    ),
  ),
].sort();

const dir = mkdtempSync(join(tmpdir(), 'bulwark-audit-'));
let store: AdvisoryStore;
beforeAll(async () => {
  store = await openStore(join(dir, 'bulwark.db'));
  await importOsv(store, corpus);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('answerAuditBulk against the real OSV corpus', () => {
  it('gives npm the advisories of known cases in its format', async () => {
    const answer = await answerAuditBulk(
      { lodash: ['4.17.20'], chal: ['1.0.0'], react: ['18.2.0'], 'left-pad': ['1.3.0'] },
      store,
    );
    expect(Object.keys(answer).sort()).toEqual(['chal', 'lodash']);
    expect(answer.lodash!.find((a) => a.id === bulkAdvisoryId('GHSA-35jh-r3h4-6jhm', 'lodash'))).toEqual({
      id: bulkAdvisoryId('GHSA-35jh-r3h4-6jhm', 'lodash'),
      url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
      title: 'Command Injection in lodash',
      severity: 'high',
      vulnerable_versions: '<4.17.21',
      cwe: ['CWE-77', 'CWE-94'],
      cvss: { score: 7.2, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' },
    });
    expect(answer.chal).toEqual([
      {
        id: bulkAdvisoryId('MAL-2022-1876', 'chal'),
        url: 'https://github.com/advisories/GHSA-2w82-3g5x-xf3c',
        title: 'Malicious code in chal (npm)',
        severity: 'critical',
        vulnerable_versions: '*',
        cwe: expect.any(Array),
        cvss: expect.any(Object),
      },
    ]);
    const fixed = await answerAuditBulk({ lodash: ['4.17.21'] }, store);
    expect(fixed.lodash?.map((a) => a.id) ?? []).not.toContain(
      bulkAdvisoryId('GHSA-35jh-r3h4-6jhm', 'lodash'),
    );
    expect(fixed.lodash?.map((a) => a.url) ?? []).not.toContain(
      'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
    );
  });

  it('returns exactly the advisories that affect a requested version, for every package in the corpus', async () => {
    const body = Object.fromEntries(names.map((name) => [name, probes(name)]));
    const answer = await answerAuditBulk(body, store);
    const expected: Record<string, string[]> = {};
    for (const name of names) {
      const ids = records
        .filter((r) => body[name]!.some((v) => rawAffects(r, name, v)))
        .map((r) => r.id)
        .sort();
      if (ids.length > 0) expected[name] = ids;
    }
    const osvIdOf = new Map(names.flatMap((name) => records.map((r) => [bulkAdvisoryId(r.id, name), r.id])));
    expect(osvIdOf.size).toBe(names.length * records.length);
    const got = Object.fromEntries(
      Object.entries(answer).map(([name, list]) => [name, list.map((a) => osvIdOf.get(a.id)!).sort()]),
    );
    expect(got).toEqual(expected);
    // Sanity: the corpus exercises this broadly, withdrawn records are left out.
    expect(Object.keys(expected).length).toBeGreaterThan(100);
    expect(Object.values(got).flat()).not.toContain('MAL-2024-2929');
  });

  it('writes vulnerable_versions that npm evaluates exactly like the OSV ranges', async () => {
    const body = Object.fromEntries(names.map((name) => [name, probes(name)]));
    const answer = await answerAuditBulk(body, store);
    const byId = new Map(names.flatMap((name) => records.map((r) => [bulkAdvisoryId(r.id, name), r])));
    let checked = 0;
    const disagreements: string[] = [];
    for (const [name, advisories] of Object.entries(answer)) {
      for (const advisory of advisories) {
        expect(semver.validRange(advisory.vulnerable_versions, { loose: true })).not.toBeNull();
        for (const version of body[name]!) {
          // arborist's metavuln-calculator: semver.satisfies with includePrerelease and loose.
          const npmSays = semver.satisfies(version, advisory.vulnerable_versions, {
            includePrerelease: true,
            loose: true,
          });
          const osvSays = rawAffects(byId.get(advisory.id)!, name, version);
          if (npmSays !== osvSays)
            disagreements.push(`${advisory.id} ${name}@${version}: ${advisory.vulnerable_versions}`);
          checked++;
        }
      }
    }
    expect(disagreements).toEqual([]);
    expect(checked).toBeGreaterThan(5000);
  });

  it('answers an empty request and unknown packages with an empty object', async () => {
    expect(await answerAuditBulk({}, store)).toEqual({});
    expect(await answerAuditBulk({ 'no-such-package-here': ['1.0.0'], lodash: [] }, store)).toEqual({});
  });

  it('refuses a body of the wrong shape', async () => {
    await expect(answerAuditBulk([], store)).rejects.toThrow(AuditBodyError);
    await expect(answerAuditBulk({ lodash: '4.17.20' }, store)).rejects.toThrow(
      '"lodash" must map to an array of version strings',
    );
    await expect(answerAuditBulk({ lodash: [4] }, store)).rejects.toThrow(AuditBodyError);
  });
});

describe('bulkAdvisoryId', () => {
  it('is a stable whole number from the OSV id, as npm and pnpm expect', async () => {
    const { createHash } = await import('node:crypto');
    const hex = createHash('sha256').update('GHSA-35jh-r3h4-6jhm lodash').digest('hex');
    expect(bulkAdvisoryId('GHSA-35jh-r3h4-6jhm', 'lodash')).toBe(Number(BigInt(`0x${hex}`) >> 208n));
    expect(Number.isSafeInteger(bulkAdvisoryId('MAL-2022-1876', 'chal'))).toBe(true);
    expect(bulkAdvisoryId('GHSA-968p-4wvh-cqc8', '@babel/runtime')).not.toBe(
      bulkAdvisoryId('GHSA-968p-4wvh-cqc8', '@babel/helpers'),
    );
  });
});

describe('vulnerableVersions', () => {
  const range = (events: RawEvent[], extra: { versions?: string[]; lastKnownAffectedRange?: string } = {}) =>
    vulnerableVersions([
      { name: 'x', versions: extra.versions ?? [], ranges: [{ type: 'SEMVER', events }], ...extra },
    ]);

  it('turns events into npm ranges', () => {
    expect(range([{ introduced: '0' }, { fixed: '1.2.3' }])).toBe('<1.2.3');
    expect(
      range([
        { introduced: '1.0.0' },
        { fixed: '1.2.3' },
        { introduced: '2.0.0' },
        { last_affected: '2.1.0' },
      ]),
    ).toBe('>=1.0.0 <1.2.3 || >=2.0.0 <=2.1.0');
    expect(range([{ introduced: '0' }])).toBe('*');
    expect(range([{ introduced: '3.0.0' }])).toBe('>=3.0.0');
    expect(range([{ introduced: '1.0.0' }], { lastKnownAffectedRange: '<= 1.4.0' })).toBe('>=1.0.0 <=1.4.0');
    expect(range([{ introduced: '1.0.0' }, { fixed: '1.0.0' }])).toBeUndefined();
    expect(range([{ introduced: '1.0.0' }, { limit: '2.0.0' }])).toBe('>=1.0.0 <2.0.0');
    expect(vulnerableVersions([{ name: 'x', versions: ['1.0.1', '1.0.2'], ranges: [] }])).toBe(
      '1.0.1 || 1.0.2',
    );
    expect(
      vulnerableVersions([
        { name: 'x', versions: [], ranges: [{ type: 'GIT', events: [{ introduced: '0' }] }] },
      ]),
    ).toBeUndefined();
  });
});

describe('decodeAuditBody and handleAuditBulk over loopback HTTP', () => {
  let server: Server;
  let url: string;
  let withStore = true;
  beforeAll(async () => {
    server = createServer((req, res) => void handleAuditBulk(req, res, withStore ? store : undefined));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/-/npm/v1/security/advisories/bulk`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = async (body: Buffer | string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('answers a gzipped request the way npm sends it, and a plain one', async () => {
    const request = JSON.stringify({ lodash: ['4.17.20', '4.17.21'], chal: ['1.0.0'] });
    const direct = await answerAuditBulk(JSON.parse(request), store);
    const gzipped = await post(gzipSync(request), { 'content-encoding': 'gzip' });
    expect(gzipped).toEqual({ status: 200, body: direct });
    expect(Object.keys(gzipped.body).sort()).toEqual(['chal', 'lodash']);
    expect(await post(request)).toEqual({ status: 200, body: direct });
  });

  it('refuses bad bodies with a status and one line, and keeps serving', async () => {
    expect(await post('{"lodash": [')).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^the body is not valid JSON/) },
    });
    expect(await post('not gzip', { 'content-encoding': 'gzip' })).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^the body is not valid gzip/) },
    });
    expect(await post('{}', { 'content-encoding': 'compress' })).toMatchObject({ status: 415 });
    expect(await post('["lodash"]')).toMatchObject({ status: 400 });
    // A gzip bomb: 17 MiB of spaces compresses to a few KiB.
    const bomb = gzipSync(Buffer.alloc(MAX_AUDIT_BODY_BYTES + 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(100_000);
    expect(await post(bomb, { 'content-encoding': 'gzip' })).toMatchObject({
      status: 413,
      body: { error: `the decompressed body is larger than ${MAX_AUDIT_BODY_BYTES} bytes` },
    });
    expect((await post('{}')).status).toBe(200);
  });

  it('answers 503 without an intel database rather than "nothing found"', async () => {
    withStore = false;
    try {
      expect(await post('{"lodash": ["4.17.20"]}')).toMatchObject({ status: 503 });
    } finally {
      withStore = true;
    }
  });

  it('decodes identity, gzip, deflate and br bodies within the limit', async () => {
    const text = '{"a":["1.0.0"]}';
    const zlib = await import('node:zlib');
    expect(await decodeAuditBody(Buffer.from(text), undefined)).toEqual({ a: ['1.0.0'] });
    expect(await decodeAuditBody(zlib.gzipSync(text), 'GZIP')).toEqual({ a: ['1.0.0'] });
    expect(await decodeAuditBody(zlib.deflateSync(text), 'deflate')).toEqual({ a: ['1.0.0'] });
    expect(await decodeAuditBody(zlib.brotliCompressSync(text), 'br')).toEqual({ a: ['1.0.0'] });
    await expect(decodeAuditBody(Buffer.from(text), undefined, 4)).rejects.toMatchObject({ status: 413 });
  });
});
