import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Advisory, AffectedPackage, AffectedRange, OsvEvent } from '../core/advisory.js';
import { parseOsvText } from './osv-record.js';
import { fixedIn, fixedVersions, isAffected } from './range.js';

type RangeCase = {
  line: number;
  text: string;
  advisory: Advisory;
  version: string;
  affected: boolean;
  fixedIn?: string | null;
};

const loadRealAdvisory = (id: string): Advisory => {
  const file = new URL(`../../testdata/osv/npm/${id}.json`, import.meta.url);
  const advisory = parseOsvText(readFileSync(file, 'utf8'), `${id}.json`);
  if (!advisory) throw new Error(`${id} has no npm package`);
  return advisory;
};

const baseAdvisory = (affected: AffectedPackage[], withdrawn?: string): Advisory => ({
  id: 'TEST-1',
  aliases: [],
  modified: '2025-01-01T00:00:00Z',
  summary: 'test',
  kind: 'vulnerability',
  severity: { level: 'unknown', source: 'none' },
  affected,
  references: [],
  cwes: [],
  ...(withdrawn ? { withdrawn } : {}),
});

const parseEvents = (text: string): OsvEvent[] =>
  text.split(',').map((pair) => {
    const [key, value] = pair.split('=') as [string, string];
    if (!['introduced', 'fixed', 'last_affected', 'limit'].includes(key))
      throw new Error(`bad event ${pair}`);
    return { [key]: value } as OsvEvent;
  });

const parseCase = (text: string, line: number): RangeCase => {
  const [rangesText, version, expectText] = text.split(' | ').map((part) => part.trim()) as [
    string,
    string,
    string,
  ];
  const pkg: AffectedPackage = { name: 'pkg', ranges: [], versions: [] };
  let withdrawn: string | undefined;
  for (const item of rangesText.split(' ; ').map((part) => part.trim())) {
    if (item === 'withdrawn') withdrawn = '2025-01-02T00:00:00Z';
    else if (item.startsWith('versions=')) pkg.versions.push(...item.slice('versions='.length).split(','));
    else if (item.startsWith('lkar=')) pkg.lastKnownAffectedRange = item.slice('lkar='.length);
    else {
      const typed = /^(SEMVER|ECOSYSTEM|GIT):(.*)$/.exec(item);
      const range: AffectedRange = {
        type: (typed?.[1] as AffectedRange['type']) ?? 'SEMVER',
        events: parseEvents(typed ? typed[2]! : item),
      };
      pkg.ranges.push(range);
    }
  }
  const [verdict, fix] = expectText.split(/\s+/) as [string, string | undefined];
  if (verdict !== 'affected' && verdict !== 'not-affected')
    throw new Error(`line ${line}: bad verdict ${verdict}`);
  const parsed: RangeCase = {
    line,
    text,
    advisory: baseAdvisory([pkg], withdrawn),
    version,
    affected: verdict === 'affected',
  };
  if (fix !== undefined) {
    const value = fix.replace(/^fixed-in=/, '');
    parsed.fixedIn = value === 'none' ? null : value;
  }
  return parsed;
};

const cases: RangeCase[] = readFileSync(new URL('./testdata/ranges.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((text, index) => ({ text: text.trim(), line: index + 1 }))
  .filter(({ text }) => text !== '' && !text.startsWith('#'))
  .map(({ text, line }) => parseCase(text, line));

describe('OSV range semantics (testdata/ranges.txt)', () => {
  it('has a meaningful number of cases', () => {
    expect(cases.length).toBeGreaterThan(60);
    expect(cases.some((c) => c.affected)).toBe(true);
    expect(cases.some((c) => !c.affected)).toBe(true);
  });

  it.each(cases.map((c) => [`${c.line}: ${c.text}`, c] as const))('%s', (_label, c) => {
    expect(isAffected(c.advisory, 'pkg', c.version)).toBe(c.affected);
    expect(isAffected(c.advisory, 'other-pkg', c.version)).toBe(false);
    if (c.fixedIn !== undefined) expect(fixedIn(c.advisory, 'pkg', c.version) ?? null).toBe(c.fixedIn);
    if (!c.affected) expect(fixedIn(c.advisory, 'pkg', c.version)).toBeUndefined();
  });
});

describe('fixedVersions', () => {
  it('lists every fixed version of the package, ascending and unique', () => {
    const advisory = baseAdvisory([
      {
        name: 'pkg',
        ranges: [
          { type: 'SEMVER', events: [{ introduced: '6.0.0' }, { fixed: '6.6.1' }] },
          { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '5.28.3' }] },
          { type: 'GIT', events: [{ introduced: '0' }, { fixed: 'deadbeef' }] },
        ],
        versions: [],
      },
      { name: 'pkg', ranges: [{ type: 'ECOSYSTEM', events: [{ fixed: '5.28.3' }] }], versions: [] },
      { name: 'other', ranges: [{ type: 'SEMVER', events: [{ fixed: '1.0.0' }] }], versions: [] },
    ]);
    expect(fixedVersions(advisory, 'pkg')).toEqual(['5.28.3', '6.6.1']);
    expect(fixedVersions(advisory, 'other')).toEqual(['1.0.0']);
    expect(fixedVersions(advisory, 'none')).toEqual([]);
  });
});

describe('real OSV records (testdata/osv/npm)', () => {
  it('GHSA-29mw-wpgm-hmr9: lodash before 4.17.21, lodash.trim up to 4.5.1', () => {
    const advisory = loadRealAdvisory('GHSA-29mw-wpgm-hmr9');
    expect(isAffected(advisory, 'lodash', '4.17.20')).toBe(true);
    expect(fixedIn(advisory, 'lodash', '4.17.20')).toBe('4.17.21');
    expect(isAffected(advisory, 'lodash', '4.17.21')).toBe(false);
    expect(isAffected(advisory, 'lodash', '3.10.1')).toBe(false);
    expect(isAffected(advisory, 'lodash-es', '4.17.15')).toBe(true);
    expect(isAffected(advisory, 'lodash.trim', '4.5.1')).toBe(true);
    expect(isAffected(advisory, 'lodash.trim', '4.5.2')).toBe(false);
    expect(fixedIn(advisory, 'lodash.trim', '4.5.1')).toBeUndefined();
    // the RubyGems block is not npm and was dropped
    expect(isAffected(advisory, 'lodash-rails', '4.17.10')).toBe(false);
  });

  it('MAL-2025-46969: chalk 5.6.1 only', () => {
    const advisory = loadRealAdvisory('MAL-2025-46969');
    expect(isAffected(advisory, 'chalk', '5.6.1')).toBe(true);
    expect(isAffected(advisory, 'chalk', '5.6.0')).toBe(false);
    expect(isAffected(advisory, 'chalk', '5.6.2')).toBe(false);
  });

  it('MAL-2024-2929 (withdrawn, react) never matches', () => {
    const advisory = loadRealAdvisory('MAL-2024-2929');
    expect(advisory.withdrawn).toBeDefined();
    expect(advisory.affected[0]?.versions).toContain('1.0.0');
    expect(isAffected(advisory, 'react', '1.0.0')).toBe(false);
    expect(isAffected(advisory, 'react', '35.0.0')).toBe(false);
  });

  it('GHSA-67hx-6x53-jw92: babel-traverse bounded by last_known_affected_version_range', () => {
    const advisory = loadRealAdvisory('GHSA-67hx-6x53-jw92');
    expect(isAffected(advisory, 'babel-traverse', '6.26.0')).toBe(true);
    expect(isAffected(advisory, 'babel-traverse', '7.23.2')).toBe(false);
    expect(isAffected(advisory, '@babel/traverse', '7.23.1')).toBe(true);
    expect(fixedIn(advisory, '@babel/traverse', '7.23.1')).toBe('7.23.2');
    expect(isAffected(advisory, '@babel/traverse', '7.23.2')).toBe(false);
  });

  it('GHSA-968p-4wvh-cqc8: @babel/helpers 8.0.0 prereleases', () => {
    const advisory = loadRealAdvisory('GHSA-968p-4wvh-cqc8');
    expect(isAffected(advisory, '@babel/helpers', '8.0.0-alpha.16')).toBe(true);
    expect(isAffected(advisory, '@babel/helpers', '8.0.0-alpha.17')).toBe(false);
    expect(isAffected(advisory, '@babel/helpers', '7.26.9')).toBe(true);
    expect(isAffected(advisory, '@babel/helpers', '7.26.10')).toBe(false);
  });

  it('GHSA-73qr-pfmq-6rp8: coa versions list across six blocks', () => {
    const advisory = loadRealAdvisory('GHSA-73qr-pfmq-6rp8');
    for (const version of ['2.0.3', '2.0.4', '2.1.1', '2.1.3', '3.0.1', '3.1.3'])
      expect(isAffected(advisory, 'coa', version)).toBe(true);
    expect(isAffected(advisory, 'coa', '2.0.2')).toBe(false);
    expect(isAffected(advisory, 'coa', '3.1.0')).toBe(false);
  });
});
