import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type FakeRegistry,
  makePackument,
  startFakeRegistry,
} from '../../registry/testdata/fake-registry.js';
import { advisory } from '../../remediation/testdata/graphs.js';
import { openStore } from '../../store/open-store.js';
import { buildProgram, main } from '../main.js';

const fixture = join(import.meta.dirname, 'testdata', 'fix-project');
let dbPath: string;
let registry: FakeRegistry;
const savedHome = process.env.BULWARK_HOME;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-fix-db-'));
  dbPath = join(dir, 'bulwark.db');
  const store = await openStore(dbPath);
  await store.importAdvisories(
    [
      advisory('GHSA-vvvv-1111-aaaa', 'vuln', [{ introduced: '0' }, { fixed: '1.3.0' }]),
      advisory('GHSA-tttt-2222-bbbb', 'tool', [{ introduced: '0' }, { fixed: '0.4.2' }]),
    ],
    { name: 'test', location: 'fix.test.ts' },
  );
  await store.close();
  registry = await startFakeRegistry();
  registry.set(
    'parent',
    makePackument('parent', {
      '1.0.0': { dependencies: { vuln: '~1.2.0' } },
      '1.1.0': { dependencies: { vuln: '~1.2.1' } },
      '1.2.0': { dependencies: { vuln: '^1.3.0' } },
    }),
  );
  registry.set('vuln', makePackument('vuln', { '1.2.0': {}, '1.2.1': {}, '1.3.0': {}, '1.3.1': {} }));
  registry.set('tool', makePackument('tool', { '0.4.0': {}, '0.4.2': {}, '0.5.0': {} }));
});
afterAll(() => registry.close());
afterEach(() => {
  if (savedHome === undefined) delete process.env.BULWARK_HOME;
  else process.env.BULWARK_HOME = savedHome;
});

const project = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-fix-'));
  cpSync(fixture, dir, { recursive: true });
  process.env.BULWARK_HOME = mkdtempSync(join(tmpdir(), 'bulwark-home-'));
  return dir;
};

const run = async (args: string[]): Promise<{ stdout: string; stderr: string; code: number }> => {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = 0;
  try {
    await main(['node', 'bulwark', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout, stderr, code };
};

const original = readFileSync(join(fixture, 'package.json'), 'utf8');

describe('bulwark fix', () => {
  it('is registered with its flags', () => {
    const fix = buildProgram().commands.find((command) => command.name() === 'fix');
    expect(fix?.options.map((option) => option.long)).toEqual([
      '--dry-run',
      '--db',
      '--lockfile',
      '--offline',
      '--registry',
    ]);
  });

  it('--dry-run prints the diff and the commands, and writes nothing', async () => {
    const dir = project();
    const result = await run(['fix', dir, '--db', dbPath, '--offline', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      [
        '--- a/package.json',
        '+++ b/package.json',
        '@@ -7,5 +7,8 @@',
        '   },',
        '   "devDependencies": {',
        '     "tool": "~0.4.0"',
        '+  },',
        '+  "overrides": {',
        '+    "vuln": "^1.3.0"',
        '   }',
        ' }',
      ].join('\n'),
    );
    expect(result.stdout).toContain('overrides.vuln: (new) → ^1.3.0   fixes GHSA-vvvv-1111-aaaa');
    expect(result.stdout).toContain('Dry run: nothing written.');
    expect(result.stdout).toContain('  npm update tool');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(original);
  });

  it('writes exactly the expected package.json offline (an override)', async () => {
    const dir = project();
    const result = await run(['fix', dir, '--db', dbPath, '--offline']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Now run `npm install` to update the lockfile.');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(
      original.replace(
        '    "tool": "~0.4.0"\n  }\n}\n',
        '    "tool": "~0.4.0"\n  },\n  "overrides": {\n    "vuln": "^1.3.0"\n  }\n}\n',
      ),
    );
    const again = await run(['fix', dir, '--db', dbPath, '--offline']);
    expect(again.stdout).not.toContain('--- a/package.json');
  });

  it('upgrades the parent instead when the registry shows a version that fixes the chain', async () => {
    const dir = project();
    const result = await run(['fix', dir, '--db', dbPath, '--registry', registry.url]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(
      original.replace('"parent": "^1.0.0"', '"parent": "^1.2.0"'),
    );
    expect(result.stdout).toContain('dependencies.parent: ^1.0.0 → ^1.2.0   fixes GHSA-vvvv-1111-aaaa');
  });

  it('says so when there is nothing to fix', async () => {
    const dir = project();
    const empty = join(mkdtempSync(join(tmpdir(), 'bulwark-fix-db-')), 'empty.db');
    const store = await openStore(empty);
    await store.close();
    const result = await run(['fix', dir, '--db', empty, '--offline']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('bulwark fix: nothing to fix\n');
  });
});
