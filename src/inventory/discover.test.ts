import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { discoverInventory } from './discover.js';

const testdata = join(dirname(fileURLToPath(import.meta.url)), 'testdata');
const scenario = (name: string) => join(testdata, name);
const temp = mkdtempSync(join(tmpdir(), 'bulwark-discover-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('discoverInventory', () => {
  it('reads the lockfile of the manager named by packageManager, naming the ignored ones', () => {
    const found = discoverInventory(scenario('several-lockfiles-pnpm'));
    expect(found.file).toBe(join(scenario('several-lockfiles-pnpm'), 'pnpm-lock.yaml'));
    expect(found.directory).toBe(scenario('several-lockfiles-pnpm'));
    expect(found.warnings).toEqual([
      'several lockfiles found; read pnpm-lock.yaml (package.json packageManager is pnpm@9.1.0) and ignored package-lock.json, yarn.lock',
    ]);
  });

  it('falls back to the priority order without packageManager', () => {
    const found = discoverInventory(scenario('several-lockfiles-no-field'));
    expect(found.file).toBe(join(scenario('several-lockfiles-no-field'), 'package-lock.json'));
    expect(found.warnings).toHaveLength(1);
    expect(found.warnings[0]).toMatch(
      /read package-lock\.json \(chose by priority.*\) and ignored yarn\.lock$/,
    );
  });

  it('prefers npm-shrinkwrap.json over package-lock.json, as npm does', () => {
    const found = discoverInventory(scenario('shrinkwrap-and-lock'));
    expect(found.file).toBe(join(scenario('shrinkwrap-and-lock'), 'npm-shrinkwrap.json'));
    expect(found.warnings[0]).toMatch(/ignored package-lock\.json$/);
  });

  it('says when packageManager names a manager that left no lockfile', () => {
    const dir = join(temp, 'bun-declared');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{"packageManager": "bun@1.2.0"}');
    writeFileSync(join(dir, 'yarn.lock'), '');
    writeFileSync(join(dir, 'pnpm-lock.yaml'), '');
    const found = discoverInventory(dir);
    expect(found.file).toBe(join(dir, 'pnpm-lock.yaml'));
    expect(found.warnings[0]).toMatch(/packageManager is bun@1\.2\.0 but no bun lockfile exists/);
  });

  it('scans a workspace member through its root lockfile', () => {
    const member = join(scenario('monorepo'), 'packages', 'member');
    const found = discoverInventory(member);
    expect(found.file).toBe(join(scenario('monorepo'), 'package-lock.json'));
    expect(found.directory).toBe(scenario('monorepo'));
    expect(found.warnings).toEqual([
      `${member} is a workspace member of ${scenario('monorepo')}; scanned the root's package-lock.json (the whole workspace)`,
    ]);
  });

  it('uses pnpm-workspace.yaml to recognise a pnpm member', () => {
    const found = discoverInventory(join(scenario('pnpm-monorepo'), 'apps', 'web'));
    expect(found.file).toBe(join(scenario('pnpm-monorepo'), 'pnpm-lock.yaml'));
  });

  it('reads package.json of a directory that is not a member of the lockfile above it', () => {
    const dir = join(scenario('monorepo'), 'tools', 'script');
    expect(discoverInventory(dir)).toEqual({ file: join(dir, 'package.json'), directory: dir, warnings: [] });
  });

  it('reads package.json when there is no lockfile', () => {
    const found = discoverInventory(scenario('manifest-only'));
    expect(found.file).toBe(join(scenario('manifest-only'), 'package.json'));
  });

  it('rejects a directory with neither lockfile nor package.json', () => {
    const dir = join(temp, 'empty');
    mkdirSync(dir);
    expect(() => discoverInventory(dir)).toThrow(InputError);
    expect(() => discoverInventory(dir)).toThrow(`${dir}: no lockfile or package.json found`);
  });

  it('rejects a missing directory and a file given as the directory', () => {
    expect(() => discoverInventory(join(temp, 'nope'))).toThrow(`${join(temp, 'nope')}: does not exist`);
    const file = join(scenario('manifest-only'), 'package.json');
    expect(() => discoverInventory(file)).toThrow(`${file}: is not a directory`);
  });

  it('names a malformed pnpm-workspace.yaml', () => {
    const root = join(temp, 'bad-pnpm-ws');
    mkdirSync(join(root, 'apps', 'x'), { recursive: true });
    writeFileSync(join(root, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
    writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages: [unclosed\n');
    writeFileSync(join(root, 'apps', 'x', 'package.json'), '{}');
    expect(() => discoverInventory(join(root, 'apps', 'x'))).toThrow(InputError);
    expect(() => discoverInventory(join(root, 'apps', 'x'))).toThrow(
      /pnpm-workspace\.yaml:\d+:\d+: invalid YAML/,
    );
  });
});
