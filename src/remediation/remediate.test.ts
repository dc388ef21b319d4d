import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Remediation } from '../core/finding.js';
import { parseNpmrc } from '../registry/npmrc.js';
import { createHttpPackumentSource, type PackumentSource } from '../registry/packument-client.js';
import { type FakeRegistry, makePackument, startFakeRegistry } from '../registry/testdata/fake-registry.js';
import type { PackageManager } from './package-manager.js';
import { crossesMajor, planRemediation } from './remediate.js';
import { advisory, graphOf, pkg } from './testdata/graphs.js';

let registry: FakeRegistry;
let online: () => PackumentSource;

beforeAll(async () => {
  registry = await startFakeRegistry();
  // `parent` pins `vuln` with a tilde until 1.2.0, which moves to a caret that admits the fix.
  registry.set(
    'parent',
    makePackument(
      'parent',
      {
        '1.0.0': { dependencies: { vuln: '~1.2.0' } },
        '1.1.0': { dependencies: { vuln: '~1.2.1' } },
        '1.2.0': { dependencies: { vuln: '^1.3.0' } },
        '1.3.0': { dependencies: { vuln: '^1.4.0' } },
        '2.0.0': { dependencies: { vuln: '^2.0.0' } },
      },
      '1.3.0',
    ),
  );
  registry.set(
    'vuln',
    makePackument('vuln', {
      '1.2.0': {},
      '1.2.1': {},
      '1.2.9': {},
      '1.3.0': {},
      '1.4.0': {},
      '2.0.0': {},
    }),
  );
  // Every version of `stuck-parent` keeps `vuln` on 1.2.x.
  registry.set(
    'stuck-parent',
    makePackument('stuck-parent', {
      '1.0.0': { dependencies: { vuln: '~1.2.0' } },
      '1.5.0': { dependencies: { vuln: '1.2.9' } },
    }),
  );
  online = () => createHttpPackumentSource({ npmrc: parseNpmrc(`registry=${registry.url}`, {}) });
});
afterAll(() => registry.close());

const fixedAt130 = advisory('GHSA-aaaa-bbbb-cccc', 'vuln', [{ introduced: '0' }, { fixed: '1.3.0' }]);

/** root → parent@1.0.0 (^1.0.0) → vuln@1.2.0 (declared `range`). */
const chain = (
  range: string,
  format: Parameters<typeof graphOf>[2] = 'package-lock',
  parentRange = '^1.0.0',
) =>
  graphOf(
    [pkg('parent', '1.0.0'), pkg('vuln', '1.2.0')],
    [
      ['.', 'parent@1.0.0', parentRange],
      ['parent@1.0.0', 'vuln@1.2.0', range],
    ],
    format,
  );

describe('refresh', () => {
  it('re-resolves inside the declared range when every parent admits the fix (offline: the fixed version)', async () => {
    const remediation = await planRemediation({
      index: chain('^1.2.0'),
      nodeId: 'vuln@1.2.0',
      advisories: [fixedAt130],
      manager: 'npm',
    });
    expect(remediation).toEqual({ kind: 'refresh', to: '1.3.0', command: 'npm update vuln' });
  });

  it('reports what a refresh actually resolves to when the registry is available', async () => {
    const remediation = await planRemediation({
      index: chain('^1.2.0'),
      nodeId: 'vuln@1.2.0',
      advisories: [fixedAt130],
      manager: 'npm',
      packuments: online(),
    });
    expect(remediation).toEqual({ kind: 'refresh', to: '1.4.0', command: 'npm update vuln' });
  });

  it.each([
    ['yarn-berry', 'yarn', 'yarn up -R vuln'],
    ['yarn-classic', 'yarn', 'yarn upgrade parent'],
    ['pnpm-lock', 'pnpm', 'pnpm update vuln --depth Infinity'],
  ] as const)('%s: %s', async (format, manager, command) => {
    const remediation = await planRemediation({
      index: chain('^1.2.0', format),
      nodeId: 'vuln@1.2.0',
      advisories: [fixedAt130],
      manager,
    });
    expect(remediation).toEqual({ kind: 'refresh', to: '1.3.0', command });
  });

  it('bun cannot refresh one transitive package, so it gets an override', async () => {
    const remediation = await planRemediation({
      index: chain('^1.2.0', 'bun-lock'),
      nodeId: 'vuln@1.2.0',
      advisories: [fixedAt130],
      manager: 'bun',
    });
    expect(remediation).toMatchObject({ kind: 'override', field: 'overrides', key: 'vuln', value: '^1.3.0' });
  });

  it('derives the manager from the lockfile when the scan does not know it', async () => {
    const remediation = await planRemediation({
      index: chain('^1.2.0', 'pnpm-lock'),
      nodeId: 'vuln@1.2.0',
      advisories: [fixedAt130],
      manager: 'unknown',
    });
    expect(remediation).toMatchObject({ command: 'pnpm update vuln --depth Infinity' });
  });
});

describe('upgrade of a parent, found in the registry', () => {
  it('finds the lowest parent version whose chain admits a fixed version when `~1.2.0` blocks the refresh', async () => {
    const remediation = await planRemediation({
      index: chain('~1.2.0'),
      nodeId: 'vuln@1.2.0',
      advisories: [fixedAt130],
      manager: 'npm',
      packuments: online(),
    });
    expect(remediation).toEqual({
      kind: 'upgrade',
      dependency: 'parent',
      from: '1.0.0',
      to: '1.2.0',
      major: false,
      command: 'npm install parent@^1.2.0',
    });
  });

  it('keeps dev dependencies in their section and uses each manager’s command', async () => {
    const index = graphOf(
      [pkg('parent', '1.0.0', { dev: true }), pkg('vuln', '1.2.0', { dev: true })],
      [
        ['.', 'parent@1.0.0', '^1.0.0', 'dev'],
        ['parent@1.0.0', 'vuln@1.2.0', '~1.2.0'],
      ],
      'pnpm-lock',
    );
    const remediation = await planRemediation({
      index,
      nodeId: 'vuln@1.2.0',
      advisories: [fixedAt130],
      manager: 'pnpm',
      packuments: online(),
    });
    expect(remediation).toMatchObject({ kind: 'upgrade', command: 'pnpm add --save-dev parent@^1.2.0' });
  });

  it('falls back to an override when no published parent version helps', async () => {
    const index = graphOf(
      [pkg('stuck-parent', '1.0.0'), pkg('vuln', '1.2.0')],
      [
        ['.', 'stuck-parent@1.0.0', '^1.0.0'],
        ['stuck-parent@1.0.0', 'vuln@1.2.0', '~1.2.0'],
      ],
    );
    const remediation = await planRemediation({
      index,
      nodeId: 'vuln@1.2.0',
      advisories: [fixedAt130],
      manager: 'npm',
      packuments: online(),
    });
    expect(remediation).toEqual({
      kind: 'override',
      manager: 'npm',
      field: 'overrides',
      key: 'vuln',
      value: '^1.3.0',
    });
  });

  it('considers every advisory of the package, not only the matched one', async () => {
    const other = advisory('GHSA-dddd-eeee-ffff', 'vuln', [{ introduced: '1.3.0' }, { fixed: '1.4.0' }]);
    const remediation = await planRemediation({
      index: chain('~1.2.0'),
      nodeId: 'vuln@1.2.0',
      advisories: [fixedAt130],
      allAdvisories: [fixedAt130, other],
      manager: 'npm',
      packuments: online(),
    });
    // parent@1.2.0 resolves vuln ^1.3.0 → 1.4.0 (newest), which is clean; 1.3.0 itself is not.
    expect(remediation).toMatchObject({ kind: 'upgrade', dependency: 'parent', to: '1.2.0' });
    const offline = await planRemediation({
      index: chain('~1.2.0'),
      nodeId: 'vuln@1.2.0',
      advisories: [fixedAt130],
      allAdvisories: [fixedAt130, other],
      manager: 'npm',
    });
    expect(offline).toMatchObject({ kind: 'override', value: '^1.4.0' });
  });
});

describe('override', () => {
  it.each([
    ['npm', 'package-lock', 'overrides'],
    ['yarn', 'yarn-berry', 'resolutions'],
    ['yarn', 'yarn-classic', 'resolutions'],
    ['pnpm', 'pnpm-lock', 'pnpm.overrides'],
    ['bun', 'bun-lock', 'overrides'],
  ] as const)('offline, %s (%s) → %s', async (manager, format, field) => {
    const remediation = await planRemediation({
      index: chain('~1.2.0', format),
      nodeId: 'vuln@1.2.0',
      advisories: [fixedAt130],
      manager: manager as PackageManager,
    });
    expect(remediation).toEqual({
      kind: 'override',
      manager,
      field,
      key: 'vuln',
      value: '^1.3.0',
      note: 'offline: parent upgrades were not searched',
    });
  });

  it('says when an offline source has nothing cached', async () => {
    const remediation = await planRemediation({
      index: chain('~1.2.0'),
      nodeId: 'vuln@1.2.0',
      advisories: [fixedAt130],
      manager: 'npm',
      packuments: createHttpPackumentSource({
        offline: true,
        cacheDir: mkdtempSync(join(tmpdir(), 'bulwark-empty-')),
      }),
    });
    expect(remediation).toMatchObject({
      kind: 'override',
      value: '^1.3.0',
      note: expect.stringMatching(/^no registry data for vuln/),
    });
  });

  it('pins the exact version when a later version inside the caret range is affected again', async () => {
    const regression = advisory('GHSA-gggg-hhhh-iiii', 'vuln', [{ introduced: '1.5.0' }, { fixed: '1.5.2' }]);
    const remediation = await planRemediation({
      index: chain('~1.2.0'),
      nodeId: 'vuln@1.2.0',
      advisories: [fixedAt130],
      allAdvisories: [regression],
      manager: 'npm',
    });
    expect(remediation).toMatchObject({ kind: 'override', value: '1.3.0' });
  });

  it('falls back with a note when the registry is unreachable, and never throws', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const notes: string[] = [];
    const remediation = await planRemediation({
      index: chain('~1.2.0'),
      nodeId: 'vuln@1.2.0',
      advisories: [fixedAt130],
      manager: 'npm',
      packuments: createHttpPackumentSource({
        npmrc: parseNpmrc(`registry=http://127.0.0.1:${port}/`, {}),
        retries: 0,
      }),
      notes,
    });
    expect(remediation).toMatchObject({ kind: 'override', key: 'vuln', value: '^1.3.0' });
    expect((remediation as Extract<Remediation, { kind: 'override' }>).note).toMatch(/^registry unreachable/);
    expect(notes[0]).toMatch(/registry data unavailable .* remediation for vuln uses advisory data only/);
  });
});

describe('direct dependencies', () => {
  const direct = (range: string) => graphOf([pkg('vuln', '1.2.0')], [['.', 'vuln@1.2.0', range]]);

  it('upgrades a direct dependency whose declared range excludes the fix', async () => {
    expect(
      await planRemediation({
        index: direct('~1.2.0'),
        nodeId: 'vuln@1.2.0',
        advisories: [fixedAt130],
        manager: 'npm',
      }),
    ).toEqual({
      kind: 'upgrade',
      dependency: 'vuln',
      from: '1.2.0',
      to: '1.3.0',
      major: false,
      command: 'npm install vuln@^1.3.0',
    });
  });

  it('flags a major upgrade', async () => {
    const majorFix = advisory('GHSA-jjjj-kkkk-llll', 'vuln', [{ introduced: '0' }, { fixed: '2.0.0' }]);
    expect(
      await planRemediation({
        index: direct('^1.2.0'),
        nodeId: 'vuln@1.2.0',
        advisories: [majorFix],
        manager: 'yarn',
      }),
    ).toMatchObject({ kind: 'upgrade', to: '2.0.0', major: true, command: 'yarn up vuln@^2.0.0' });
    expect(crossesMajor('0.2.1', '0.3.0')).toBe(true);
    expect(crossesMajor('0.2.1', '0.2.5')).toBe(false);
  });

  it('refreshes a direct dependency whose range already admits the fix', async () => {
    expect(
      await planRemediation({
        index: direct('^1.2.0'),
        nodeId: 'vuln@1.2.0',
        advisories: [fixedAt130],
        manager: 'bun',
      }),
    ).toEqual({ kind: 'refresh', to: '1.3.0', command: 'bun update vuln' });
  });
});

describe('no fix and malware', () => {
  it('says so when no fixed version exists', async () => {
    const unfixed = advisory('GHSA-mmmm-nnnn-oooo', 'vuln', [{ introduced: '0' }]);
    expect(
      await planRemediation({
        index: chain('^1.2.0'),
        nodeId: 'vuln@1.2.0',
        advisories: [unfixed],
        manager: 'npm',
      }),
    ).toEqual({ kind: 'none', reason: 'no fixed version of vuln is known for GHSA-mmmm-nnnn-oooo' });
    expect(
      await planRemediation({
        index: chain('^1.2.0'),
        nodeId: 'vuln@1.2.0',
        advisories: [unfixed],
        manager: 'npm',
        packuments: online(),
      }),
    ).toEqual({
      kind: 'none',
      reason: 'no published version of vuln above 1.2.0 is free of GHSA-mmmm-nnnn-oooo',
    });
  });

  it('asks to remove the direct dependency that pulls in malware and to rotate secrets', async () => {
    const malware = advisory('MAL-2025-1', 'vuln', [{ introduced: '0' }]);
    const remediation = await planRemediation({
      index: chain('^1.2.0'),
      nodeId: 'vuln@1.2.0',
      advisories: [malware],
      manager: 'npm',
      packuments: online(),
    });
    expect(remediation.kind).toBe('remove');
    const remove = remediation as Extract<Remediation, { kind: 'remove' }>;
    expect(remove.dependency).toBe('parent');
    expect(remove.advice).toMatch(/^Remove or replace parent \(which pulls in vuln@1\.2\.0\): .*MAL-2025-1/);
    expect(remove.advice).toMatch(/rotate every secret/);
    expect(remove.advice).not.toMatch(/clean release/);
  });

  it('mentions a clean release when only some versions were malicious', async () => {
    const compromised = advisory('MAL-2025-2', 'vuln', [], { versions: ['1.2.0'] });
    const remediation = await planRemediation({
      index: graphOf([pkg('vuln', '1.2.0')], [['.', 'vuln@1.2.0', '^1.2.0']]),
      nodeId: 'vuln@1.2.0',
      advisories: [compromised],
      manager: 'npm',
      packuments: online(),
    });
    expect(remediation).toMatchObject({ kind: 'remove', dependency: 'vuln' });
    expect((remediation as Extract<Remediation, { kind: 'remove' }>).advice).toMatch(
      /A clean release exists: `npm update vuln` moves to vuln@1\.4\.0/,
    );
  });
});

describe('prereleases', () => {
  it('prefers a stable fix over a lower prerelease fix', async () => {
    const adv = advisory('GHSA-pppp-qqqq-rrrr', 'vuln', [
      { introduced: '0' },
      { fixed: '1.2.5-rc.1' },
      { introduced: '1.2.5-rc.2' },
      { fixed: '1.2.5' },
    ]);
    expect(
      await planRemediation({
        index: chain('^1.2.0'),
        nodeId: 'vuln@1.2.0',
        advisories: [adv],
        manager: 'npm',
      }),
    ).toEqual({ kind: 'refresh', to: '1.2.5', command: 'npm update vuln' });
  });

  it('uses a prerelease fix only when nothing else exists, pinned exactly (ranges do not admit it)', async () => {
    const adv = advisory('GHSA-ssss-tttt-uuuu', 'vuln', [{ introduced: '0' }, { fixed: '2.0.0-rc.1' }]);
    expect(
      await planRemediation({
        index: chain('^1.2.0'),
        nodeId: 'vuln@1.2.0',
        advisories: [adv],
        manager: 'npm',
      }),
    ).toMatchObject({ kind: 'override', value: '2.0.0-rc.1' });
  });

  it('stays on the prerelease line a prerelease is installed from', async () => {
    const index = graphOf([pkg('vuln', '3.0.0-beta.1')], [['.', 'vuln@3.0.0-beta.1', '^3.0.0-beta.1']]);
    const adv = advisory('GHSA-vvvv-wwww-xxxx', 'vuln', [{ introduced: '0' }, { fixed: '3.0.0-beta.4' }]);
    expect(
      await planRemediation({ index, nodeId: 'vuln@3.0.0-beta.1', advisories: [adv], manager: 'npm' }),
    ).toEqual({ kind: 'refresh', to: '3.0.0-beta.4', command: 'npm update vuln' });
  });
});

describe('non-semver specifiers', () => {
  it('treats an aliased range by its range, and git specs as blocking', async () => {
    expect(
      await planRemediation({
        index: chain('npm:vuln@^1.2.0'),
        nodeId: 'vuln@1.2.0',
        advisories: [fixedAt130],
        manager: 'npm',
      }),
    ).toMatchObject({ kind: 'refresh' });
    expect(
      await planRemediation({
        index: chain('github:someone/vuln#v1.2.0'),
        nodeId: 'vuln@1.2.0',
        advisories: [fixedAt130],
        manager: 'npm',
      }),
    ).toMatchObject({ kind: 'override' });
  });
});
