import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import type { Finding, Remediation } from '../core/finding.js';
import { SCAN_REPORT_SCHEMA_VERSION, type ScanResult } from '../core/scan-result.js';
import { applyFix, planFix, rewriteSpec, writeFileAtomic } from './fix-plan.js';

const finding = (
  id: string,
  name: string,
  version: string,
  remediation: Remediation,
  extra: Partial<Finding> = {},
): Finding => ({
  type: 'vulnerability',
  id,
  aliases: [],
  summary: `${id} summary`,
  severity: 'high',
  package: { name, version },
  direct: false,
  devOnly: false,
  paths: [['app', `${name}@${version}`]],
  pathsTruncated: false,
  remediation,
  references: [],
  ...extra,
});

const scan = (findings: Finding[], manager: ScanResult['target']['manager'] = 'npm'): ScanResult => ({
  schemaVersion: SCAN_REPORT_SCHEMA_VERSION,
  tool: { name: 'bulwark', version: '0.0.0' },
  generatedAt: '2026-01-01T00:00:00.000Z',
  target: { directory: '/p', file: '/p/package-lock.json', format: 'package-lock', manager },
  options: { omitDev: false, failOn: 'high' },
  database: { location: '/db', advisories: 1, malware: 0 },
  packages: [],
  findings,
  summary: {
    packages: 0,
    findings: findings.length,
    suppressed: 0,
    bySeverity: { critical: 0, high: findings.length, medium: 0, low: 0, none: 0, unknown: 0 },
    malware: 0,
    failing: findings.length,
  },
  warnings: [],
});

// Four-space indentation, CRLF-free, a key order a formatter would not produce, and a final newline.
const manifest = `{
    "name": "demo",
    "version": "1.0.0",
    "dependencies": {
        "parent": "^1.0.0",
        "pinned": "2.1.0",
        "tilde": "~3.1.0"
    },
    "devDependencies": {
        "tool": "^0.4.0"
    },
    "private": true
}
`;

const override = (
  key: string,
  value: string,
  manager: 'npm' | 'yarn' | 'pnpm' | 'bun' = 'npm',
): Remediation => ({
  kind: 'override',
  manager,
  field: manager === 'yarn' ? 'resolutions' : manager === 'pnpm' ? 'pnpm.overrides' : 'overrides',
  key,
  value,
});
const upgrade = (dependency: string, from: string, to: string): Remediation => ({
  kind: 'upgrade',
  dependency,
  from,
  to,
  major: false,
  command: `npm install ${dependency}@^${to}`,
});

describe('planFix', () => {
  it('merges findings per package at the highest needed version and lists refreshes as commands', () => {
    const plan = planFix(
      scan([
        finding('GHSA-1', 'minimist', '1.2.0', override('minimist', '^1.2.6')),
        finding('GHSA-2', 'minimist', '1.2.0', override('minimist', '^1.2.8')),
        finding('GHSA-3', 'parent', '1.0.0', upgrade('parent', '1.0.0', '1.4.0')),
        finding('GHSA-4', 'parent', '1.0.0', upgrade('parent', '1.0.0', '1.2.0')),
        finding('GHSA-5', 'qs', '6.5.0', { kind: 'refresh', to: '6.5.3', command: 'npm update qs' }),
        finding('GHSA-6', 'qs', '6.5.0', { kind: 'refresh', to: '6.5.3', command: 'npm update qs' }),
        finding('GHSA-7', 'nofix', '1.0.0', { kind: 'none', reason: 'no fixed version' }),
        finding('MAL-1', 'evil', '1.0.0', { kind: 'remove', dependency: 'parent', advice: 'Remove parent' }),
        finding('GHSA-8', 'ignored', '1.0.0', override('ignored', '^2.0.0'), {
          suppression: { id: 'GHSA-8', reason: 'accepted', expires: '2099-01-01', source: 'bulwark.yaml' },
        }),
      ]),
      manifest,
    );
    expect(plan.edits).toEqual([
      { path: ['overrides', 'minimist'], package: 'minimist', to: '^1.2.8', findings: ['GHSA-1', 'GHSA-2'] },
      {
        path: ['dependencies', 'parent'],
        package: 'parent',
        from: '^1.0.0',
        to: '^1.4.0',
        findings: ['GHSA-3', 'GHSA-4'],
      },
    ]);
    expect(plan.commands).toEqual(['npm update qs']);
    expect(plan.notes).toEqual([
      'GHSA-7 (nofix@1.0.0): no fix: no fixed version',
      'MAL-1 (evil@1.0.0): Remove parent',
    ]);
    expect(plan.install).toBe('npm install');
  });

  it('writes to each manager’s override field', () => {
    const cases = [
      ['yarn', ['resolutions', 'minimist']],
      ['pnpm', ['pnpm', 'overrides', 'minimist']],
      ['bun', ['overrides', 'minimist']],
    ] as const;
    for (const [manager, path] of cases) {
      const plan = planFix(
        scan([finding('G', 'minimist', '1.2.0', override('minimist', '^1.2.6', manager))], manager),
        manifest,
      );
      expect(plan.edits[0]?.path).toEqual(path);
      expect(plan.install).toBe(`${manager} install`);
    }
  });

  it('keeps the user’s spec style when upgrading', () => {
    const plan = planFix(
      scan([
        finding('G1', 'pinned', '2.1.0', upgrade('pinned', '2.1.0', '2.1.4')),
        finding('G2', 'tilde', '3.1.0', upgrade('tilde', '3.1.0', '3.2.0')),
        finding('G3', 'tool', '0.4.0', upgrade('tool', '0.4.0', '0.5.1')),
      ]),
      manifest,
    );
    expect(plan.edits.map((e) => [e.path.join('.'), e.to])).toEqual([
      ['dependencies.pinned', '2.1.4'],
      ['dependencies.tilde', '~3.2.0'],
      ['devDependencies.tool', '^0.5.1'],
    ]);
    expect(rewriteSpec('npm:real@^1.0.0', '^1.5.0')).toBe('npm:real@^1.5.0');
    expect(rewriteSpec('github:a/b', '^1.5.0')).toBeUndefined();
  });

  it('for npm, raises a direct dependency and points its override at it with $name', () => {
    const plan = planFix(scan([finding('G', 'tilde', '3.1.0', override('tilde', '^3.4.0'))]), manifest);
    expect(plan.edits).toEqual([
      { path: ['overrides', 'tilde'], package: 'tilde', to: '$tilde', findings: ['G'] },
      { path: ['dependencies', 'tilde'], package: 'tilde', from: '~3.1.0', to: '~3.4.0', findings: ['G'] },
    ]);
  });

  it('leaves an existing sufficient override alone and refuses to clobber a nested one', () => {
    const withOverrides = manifest.replace(
      '"private": true',
      '"private": true,\n    "overrides": {\n        "minimist": "^1.2.8",\n        "qs": { "side-channel": "1.0.0" }\n    }',
    );
    const plan = planFix(
      scan([
        finding('G1', 'minimist', '1.2.0', override('minimist', '^1.2.6')),
        finding('G2', 'qs', '6.5.0', override('qs', '^6.5.3')),
      ]),
      withOverrides,
    );
    expect(plan.edits).toEqual([]);
    expect(plan.notes[0]).toMatch(/^overrides\.qs is not a plain version; set it to \^6\.5\.3 by hand/);
  });

  it('lists an upgrade of a dependency this manifest does not declare (a workspace member’s) as a command', () => {
    const plan = planFix(
      scan([finding('G', 'x', '1.0.0', upgrade('elsewhere', '1.0.0', '2.0.0'))]),
      manifest,
    );
    expect(plan.edits).toEqual([]);
    expect(plan.commands).toEqual(['npm install elsewhere@^2.0.0']);
  });

  it('rejects a malformed package.json with a position', () => {
    expect(() => planFix(scan([]), '{"name": "x",, }', 'npm', '/p/package.json')).toThrow(InputError);
    expect(() => planFix(scan([]), '{"name": "x",, }', 'npm', '/p/package.json')).toThrow(
      /^\/p\/package\.json:1:\d+: invalid JSON/,
    );
  });
});

describe('applyFix', () => {
  it('changes only the targeted values, keeping indentation, key order and the final newline', () => {
    const plan = planFix(
      scan([
        finding('G1', 'minimist', '1.2.0', override('minimist', '^1.2.6')),
        finding('G2', 'parent', '1.0.0', upgrade('parent', '1.0.0', '1.4.0')),
      ]),
      manifest,
    );
    expect(applyFix(manifest, plan.edits)).toBe(`{
    "name": "demo",
    "version": "1.0.0",
    "dependencies": {
        "parent": "^1.4.0",
        "pinned": "2.1.0",
        "tilde": "~3.1.0"
    },
    "devDependencies": {
        "tool": "^0.4.0"
    },
    "private": true,
    "overrides": {
        "minimist": "^1.2.6"
    }
}
`);
  });

  it('creates nested pnpm.overrides, keeps tabs and CRLF', () => {
    const tabbed =
      '{\r\n\t"name": "demo",\r\n\t"pnpm": {\r\n\t\t"neverBuiltDependencies": []\r\n\t}\r\n}\r\n';
    const out = applyFix(tabbed, [
      { path: ['pnpm', 'overrides', 'qs'], package: 'qs', to: '^6.5.3', findings: ['G'] },
    ]);
    expect(out).toBe(
      '{\r\n\t"name": "demo",\r\n\t"pnpm": {\r\n\t\t"neverBuiltDependencies": [],\r\n\t\t"overrides": {\r\n\t\t\t"qs": "^6.5.3"\r\n\t\t}\r\n\t}\r\n}\r\n',
    );
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-atomic-'));
    const file = join(dir, 'package.json');
    writeFileSync(file, '{}\n');
    writeFileAtomic(file, '{ "a": 1 }\n');
    expect(readFileSync(file, 'utf8')).toBe('{ "a": 1 }\n');
    expect(readdirSync(dir)).toEqual(['package.json']);
  });
});
