import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { parseOsvRecord, parseOsvText } from './osv-record.js';

const corpus = new URL('../../testdata/osv/npm/', import.meta.url);
const files = readdirSync(corpus).filter((name) => name.endsWith('.json'));
const load = (id: string) => {
  const advisory = parseOsvText(readFileSync(new URL(`${id}.json`, corpus), 'utf8'), `${id}.json`);
  if (!advisory) throw new Error(`${id} skipped`);
  return advisory;
};

const minimal = (extra: Record<string, unknown> = {}) => ({
  id: 'GHSA-test-0000-0000',
  modified: '2025-01-01T00:00:00Z',
  affected: [
    {
      package: { ecosystem: 'npm', name: 'pkg' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
    },
  ],
  ...extra,
});

const errorOf = (value: unknown, name = 'bad.json'): string => {
  try {
    parseOsvRecord(value, name);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
};

describe('the real corpus', () => {
  it('parses all 325 records, each with an npm package', () => {
    expect(files).toHaveLength(325);
    let malware = 0;
    let withdrawn = 0;
    for (const file of files) {
      const advisory = parseOsvText(readFileSync(new URL(file, corpus), 'utf8'), file);
      expect(advisory, file).toBeDefined();
      expect(`${advisory!.id}.json`).toBe(file);
      expect(advisory!.affected.length).toBeGreaterThan(0);
      if (advisory!.kind === 'malware') {
        malware++;
        expect(advisory!.severity).toEqual({ level: 'critical', source: 'malware' });
      }
      if (advisory!.withdrawn) withdrawn++;
    }
    // 126 MAL records plus the 9 GHSA records filed under CWE-506 (coa, rc, ua-parser-js, …).
    expect(malware).toBe(135);
    expect(withdrawn).toBe(12);
  });

  it('keeps only npm blocks', () => {
    const advisory = load('GHSA-29mw-wpgm-hmr9');
    expect(advisory.affected.map((a) => a.name)).toEqual([
      'lodash',
      'lodash-es',
      'lodash.trimend',
      'lodash.trim',
    ]);
    expect(advisory.aliases).toEqual(['CVE-2020-28500']);
    expect(advisory.kind).toBe('vulnerability');
    expect(advisory.severity).toMatchObject({ level: 'medium', score: 5.3, source: 'cvss-v3' });
    expect(advisory.cwes).toEqual(['CWE-1333', 'CWE-400']);
  });

  it('marks MAL entries as malware and merges the GHSA origin into aliases', () => {
    const advisory = load('MAL-2025-46969');
    expect(advisory.kind).toBe('malware');
    expect(advisory.aliases).toEqual(['GHSA-2v46-p5h4-248w']);
    expect(advisory.cwes).toEqual(['CWE-506']);
  });

  it('marks GHSA CWE-506 advisories as malware, not those that only say "malicious"', () => {
    expect(load('GHSA-4x49-vf9v-38px').kind).toBe('malware');
    expect(load('GHSA-mh6f-8j2x-4483').kind).toBe('malware');
    const babel = load('GHSA-67hx-6x53-jw92');
    expect(babel.summary).toMatch(/malicious/);
    expect(babel.kind).toBe('vulnerability');
  });

  it('reads package_integrity SRI hashes', () => {
    expect(load('MAL-2026-3744').integrity).toEqual([
      'sha512-ParJgA8rMBa1CAv6QFDZYzZxsNsmHWL24RapTSVbZB9qVE+dC7mHNwDj5gcd874bKjjk7w0pI/WMYrx9TxU7nQ==',
    ]);
  });

  it('keeps withdrawn and last_known_affected_version_range', () => {
    expect(load('MAL-2024-2929').withdrawn).toBe('2024-07-01T03:32:00Z');
    const babel = load('GHSA-67hx-6x53-jw92');
    expect(babel.affected.find((a) => a.name === 'babel-traverse')?.lastKnownAffectedRange).toBe('< 7.23.2');
  });

  it('prefers CVSS v4 when a record has both', () => {
    const withBoth = files
      .map(
        (file) =>
          JSON.parse(readFileSync(new URL(file, corpus), 'utf8')) as {
            id: string;
            severity?: { type: string }[];
          },
      )
      .find(
        (r) => r.severity?.some((s) => s.type === 'CVSS_V4') && r.severity?.some((s) => s.type === 'CVSS_V3'),
      );
    expect(withBoth).toBeDefined();
    const advisory = load(withBoth!.id);
    expect(advisory.kind === 'malware' || advisory.severity.source === 'cvss-v4').toBe(true);
  });
});

describe('record shape', () => {
  it('skips a record without npm packages', () => {
    expect(
      parseOsvRecord(minimal({ affected: [{ package: { ecosystem: 'PyPI', name: 'x' } }] }), 'a.json'),
    ).toBeUndefined();
    expect(parseOsvRecord(minimal({ affected: [] }), 'a.json')).toBeUndefined();
    expect(parseOsvRecord({ id: 'X-1', modified: '2025-01-01T00:00:00Z' }, 'a.json')).toBeUndefined();
  });

  it('uses the first line of details when there is no summary', () => {
    expect(parseOsvRecord(minimal({ details: '\nFirst line.\nSecond.' }), 'a.json')?.summary).toBe(
      'First line.',
    );
  });

  it.each([
    [[], '$ must be an object'],
    [{ ...minimal(), id: 5 }, '$.id must be a string'],
    [{ ...minimal(), id: '' }, '$.id is not a valid advisory id'],
    [{ ...minimal(), modified: 'yesterday' }, '$.modified must be an RFC 3339 timestamp'],
    [{ ...minimal(), modified: undefined }, '$.modified must be a string'],
    [minimal({ affected: { package: {} } }), '$.affected must be an array'],
    [minimal({ affected: ['x'] }), '$.affected[0] must be an object'],
    [
      minimal({ affected: [{ package: { ecosystem: 'npm' } }] }),
      '$.affected[0].package.name must be a string',
    ],
    [
      minimal({ affected: [{ package: { ecosystem: 3, name: 'x' } }] }),
      '$.affected[0].package.ecosystem must be a string',
    ],
    [
      minimal({
        affected: [
          {
            package: { ecosystem: 'npm', name: 'x' },
            ranges: [{ type: 'SEMVER', events: [{ introduced: '0', fixed: '1.0.0' }] }],
          },
        ],
      }),
      '$.affected[0].ranges[0].events[0] must have exactly one key, got 2',
    ],
    [
      minimal({
        affected: [
          {
            package: { ecosystem: 'npm', name: 'x' },
            ranges: [{ type: 'SEMVER', events: [{ broken: '1' }] }],
          },
        ],
      }),
      '$.affected[0].ranges[0].events[0] has unknown event "broken"',
    ],
    [
      minimal({
        affected: [
          { package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'SEMVER', events: [{ fixed: 1 }] }] },
        ],
      }),
      '$.affected[0].ranges[0].events[0].fixed must be a string',
    ],
    [
      minimal({ affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'SEMVER' }] }] }),
      '$.affected[0].ranges[0].events must be an array',
    ],
    [
      minimal({ affected: [{ package: { ecosystem: 'npm', name: 'x' }, versions: [1] }] }),
      '$.affected[0].versions[0] must be a string',
    ],
    [minimal({ aliases: 'CVE-1' }), '$.aliases must be an array'],
    [minimal({ severity: [{ type: 'CVSS_V3' }] }), '$.severity[0].score must be a string'],
    [minimal({ references: [{ type: 'WEB', url: null }] }), '$.references[0].url must be a string'],
    [minimal({ database_specific: { cwe_ids: [7] } }), '$.database_specific.cwe_ids[0] must be a string'],
  ])('rejects %j', (value, message) => {
    const text = errorOf(value);
    expect(text.startsWith('bad.json: ')).toBe(true);
    expect(text).toContain(message);
  });

  it('rejects __proto__ keys with a position', () => {
    const text = `{"id":"X-1","modified":"2025-01-01T00:00:00Z","affected":[{"__proto__":{"polluted":1}}]}`;
    expect(() => parseOsvText(text, 'all.zip:X-1.json')).toThrow(
      /^all\.zip:X-1\.json:1:\d+: contains a "__proto__" key/,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts "__proto__" as a string value (prototype-pollution advisories name it)', () => {
    const record = minimal({
      summary: 'pollution via "__proto__"',
      affected: [
        {
          package: { ecosystem: 'npm', name: 'pkg' },
          versions: ['1.0.0'],
          ecosystem_specific: { affected_functions: ['__proto__'] },
        },
      ],
    });
    const advisory = parseOsvText(JSON.stringify(record), 'ok.json');
    expect(advisory?.affected[0]?.affectedFunctions).toEqual(['__proto__']);
    expect(() => parseOsvText('{"id":"X-1",\n "__proto__" : 1, "note": "__proto__"}', 'k.json')).toThrow(
      /^k\.json:2:2: contains a "__proto__" key/,
    );
    expect(() => parseOsvText('{"id":"__proto__", "x": }', 's.json')).toThrow(
      /^s\.json(:\d+:\d+)?: invalid JSON/,
    );
  });

  it('reports truncated JSON with line and column', () => {
    expect(() => parseOsvText('{\n  "id": "X-1",\n  "modified": ', 'x.json')).toThrow(
      /^x\.json:3:\d+: invalid JSON/,
    );
  });
});
