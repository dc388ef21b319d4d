import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandWorkspaces, readManifest } from './manifest.js';

const lockfile = join(import.meta.dirname, 'testdata', 'classic-workspaces', 'yarn.lock');

describe('workspace manifests', () => {
  it('expands plain folders and trailing-star patterns, and reports the rest', () => {
    expect(
      expandWorkspaces(lockfile, ['packages/*', './tools/', 'packages/**', '!packages/b', '../outside']),
    ).toEqual({
      folders: ['packages/a', 'packages/b', 'tools'],
      unsupported: ['packages/**', '!packages/b', '../outside'],
    });
    expect(expandWorkspaces(lockfile, ['missing/*'])).toEqual({ folders: [], unsupported: [] });
  });

  it('reads the fields that decide roots and edge types', () => {
    const siblings: Record<string, string> = {
      'package.json': '{"name":"r","workspaces":{"packages":["a"]},"resolutions":{"x":"1.0.0"}}',
      'a/package.json': '{"name":"a","version":"1.0.0","devDependencies":{"t":"^1"}}',
    };
    const input = { path: '/p/yarn.lock', content: '', readSibling: (r: string) => siblings[r] };
    const root = readManifest(input, '.')!;
    expect([root.name, root.workspaces, [...root.resolutions]]).toEqual(['r', ['a'], [['x', '1.0.0']]]);
    const member = readManifest(input, 'a')!;
    expect([member.version, [...member.devDependencies]]).toEqual(['1.0.0', [['t', '^1']]]);
    expect(readManifest(input, 'b')).toBeUndefined();
    const broken = { ...input, readSibling: () => '{"workspaces": 3}' };
    expect(() => readManifest(broken, '.')).toThrow(
      '/p/package.json: workspaces must be an array, got a number',
    );
  });
});
