import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { isRegistryNode } from '../core/graph.js';
import { NO_LOCKFILE_WARNING } from '../lockfile/package-json/package-json.js';
import { loadInventory } from './load-inventory.js';

const here = dirname(fileURLToPath(import.meta.url));
const scenario = (...parts: string[]) => join(here, 'testdata', ...parts);
const realProject = (name: string) => join(here, '..', '..', 'testdata', 'lockfiles', name);
const registryIds = (inventory: ReturnType<typeof loadInventory>) =>
  [...inventory.graph.nodes.values()]
    .filter(isRegistryNode)
    .map((node) => node.id)
    .sort();
const temp = mkdtempSync(join(tmpdir(), 'bulwark-inventory-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('loadInventory', () => {
  it('reads the lockfile packageManager names and keeps the discovery warning', () => {
    const inventory = loadInventory({ dir: scenario('several-lockfiles-pnpm') });
    expect(inventory.manager).toBe('pnpm');
    expect(inventory.file).toBe(scenario('several-lockfiles-pnpm', 'pnpm-lock.yaml'));
    expect(inventory.directory).toBe(scenario('several-lockfiles-pnpm'));
    expect(registryIds(inventory)).toEqual(['is-odd@3.0.1']);
    expect(inventory.graph.warnings).toContainEqual(
      expect.stringMatching(/^several lockfiles found; read pnpm-lock\.yaml/),
    );
  });

  it('reads npm-shrinkwrap.json rather than package-lock.json', () => {
    const inventory = loadInventory({ dir: scenario('shrinkwrap-and-lock') });
    expect(inventory.graph.format).toBe('npm-shrinkwrap');
    expect(inventory.manager).toBe('npm');
    expect(registryIds(inventory)).toEqual(['left-pad@1.3.0']);
  });

  it('scans a monorepo member through the root lockfile', () => {
    const inventory = loadInventory({ dir: scenario('monorepo', 'packages', 'member') });
    expect(inventory.file).toBe(scenario('monorepo', 'package-lock.json'));
    expect(inventory.directory).toBe(scenario('monorepo'));
    expect(registryIds(inventory)).toEqual(['left-pad@1.3.0']);
    expect(inventory.graph.warnings).toContainEqual(expect.stringMatching(/is a workspace member of/));
  });

  it('falls back to declared ranges with the manager from packageManager', () => {
    const inventory = loadInventory({ dir: scenario('manifest-only') });
    expect(inventory.graph.format).toBe('package-json');
    expect(inventory.manager).toBe('yarn');
    expect(inventory.graph.warnings).toEqual([NO_LOCKFILE_WARNING]);
    expect(registryIds(inventory)).toEqual(['left-pad@^1.3.0', 'vitest@^4.0.0']);
    expect(inventory.graph.nodes.get('vitest@^4.0.0')).toMatchObject({ dev: true, declaredRange: true });
  });

  it.each([
    ['deps.lock', 'yarn-classic', 'yarn', ['is-even@1.0.0']],
    ['lock.json', 'package-lock', 'npm', ['left-pad@1.3.0']],
    ['inventory.json', 'cyclonedx', 'unknown', ['chalk@5.3.0', 'left-pad@1.3.0']],
  ])('recognises the misnamed --lockfile %s by its content', (name, format, manager, ids) => {
    const inventory = loadInventory({ lockfile: scenario('misnamed', name) });
    expect(inventory.graph.format).toBe(format);
    expect(inventory.manager).toBe(manager);
    expect(registryIds(inventory)).toEqual(ids);
  });

  it('reads a pnpm lockfile saved as package-lock.json as pnpm, with a warning', () => {
    const inventory = loadInventory({ lockfile: scenario('misnamed', 'package-lock.json') });
    expect(inventory.graph.format).toBe('pnpm-lock');
    expect(inventory.manager).toBe('pnpm');
    expect(inventory.graph.warnings).toContain(
      'package-lock.json is named like package-lock but its content is pnpm-lock; read it as pnpm-lock',
    );
  });

  it('explains a binary bun lockfile even when it is misnamed', () => {
    const file = scenario('misnamed', 'old-bun-lockfile');
    expect(() => loadInventory({ lockfile: file })).toThrow(InputError);
    expect(() => loadInventory({ lockfile: file })).toThrow(`${file}: bun.lockb is Bun's binary lockfile`);
  });

  it('rejects a directory or a missing file given as --lockfile', () => {
    const dir = scenario('manifest-only');
    expect(() => loadInventory({ lockfile: dir })).toThrow(InputError);
    expect(() => loadInventory({ lockfile: dir })).toThrow(`${dir}: is a directory`);
    const missing = join(temp, 'package-lock.json');
    expect(() => loadInventory({ lockfile: missing })).toThrow(`${missing}: does not exist`);
  });

  it.each([
    ['npm-cli', 'package-lock', 'npm'],
    ['feature-extract-v1', 'package-lock', 'npm'],
    ['safe-chain-shrinkwrap', 'npm-shrinkwrap', 'npm'],
    ['jest', 'yarn-berry', 'yarn'],
    ['webpack', 'yarn-classic', 'yarn'],
    ['astro', 'pnpm-lock', 'pnpm'],
    ['vue-core', 'pnpm-lock', 'pnpm'],
    ['hono', 'bun-lock', 'bun'],
  ])('discovers and reads the real %s project', (project, format, manager) => {
    const inventory = loadInventory({ dir: realProject(project) });
    expect(inventory.graph.format).toBe(format);
    expect(inventory.manager).toBe(manager);
    expect(registryIds(inventory).length).toBeGreaterThan(100);
    for (const edge of inventory.graph.edges) {
      expect(inventory.graph.nodes.has(edge.from)).toBe(true);
      expect(inventory.graph.nodes.has(edge.to)).toBe(true);
    }
  });
});
