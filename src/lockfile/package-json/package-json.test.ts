import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import type { DependencyGraph } from '../../core/graph.js';
import { siblingFiles } from '../../inventory/sibling-files.js';
import type { LockfileInput } from '../types.js';
import { managerFromField, NO_LOCKFILE_WARNING, packageJsonParser } from './package-json.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (scenario: string): LockfileInput => {
  const path = join(here, 'testdata', scenario, 'package.json');
  return { path, content: readFileSync(path, 'utf8'), ...siblingFiles(path, dirname(path)) };
};
const inline = (content: string): LockfileInput => ({
  path: '/virtual/package.json',
  content,
  readSibling: () => undefined,
});

const edgesOf = (graph: DependencyGraph, from: string) =>
  graph.edges.filter((edge) => edge.from === from).map((edge) => `${edge.name} -> ${edge.to} (${edge.type})`);

describe('packageJsonParser', () => {
  it('matches package.json only', () => {
    expect(packageJsonParser.matches('package.json')).toBe(true);
    expect(packageJsonParser.matches('package-lock.json')).toBe(false);
  });

  it('turns each declared dependency into a node carrying its range, with source kinds', () => {
    const graph = packageJsonParser.parse(fixture('specifiers'));
    expect(graph.format).toBe('package-json');
    expect(graph.roots).toEqual(['.']);
    expect(graph.warnings).toEqual([NO_LOCKFILE_WARNING]);
    const root = graph.nodes.get('.')!;
    expect(root).toMatchObject({ name: 'specifiers-demo', version: '1.0.0', source: 'root' });
    const summary = [...graph.nodes.values()]
      .filter((node) => node.id !== '.')
      .map((node) => `${node.id} ${node.source}${node.dev ? ' dev' : ''}${node.optional ? ' optional' : ''}`)
      .sort();
    expect(summary).toEqual([
      '@scope/real@^2.0.0 registry',
      'both@^1.0.0 registry optional',
      'from-git@git+https://git.example.invalid/org/from-git.git#v1.0.0 git',
      'from-github@github:example/from-github#main git',
      'from-tarball@https://tarballs.example.invalid/from-tarball-1.0.0.tgz tarball',
      'fsevents@^2.3.0 registry optional',
      'left-pad@^1.3.0 registry',
      'linked@link:../linked link',
      'local-dir@file:../local-dir directory',
      'local-tgz@file:./vendor/local-tgz-1.0.0.tgz tarball',
      'lodash@latest registry',
      'react-dom@>=18 registry optional',
      'react@>=18 registry',
      'shorthand@example/shorthand git',
      'vitest@^4.0.0 registry dev',
    ]);
    for (const node of graph.nodes.values()) {
      if (node.id !== '.') expect(node.declaredRange).toBe(true);
    }
    expect(graph.nodes.get('@scope/real@^2.0.0')).toMatchObject({
      name: '@scope/real',
      version: '^2.0.0',
      aliases: ['my-alias'],
    });
    expect(graph.nodes.get('react@>=18')!.peer).toBe(true);
    const edges = edgesOf(graph, '.');
    expect(edges).toContain('my-alias -> @scope/real@^2.0.0 (prod)');
    expect(edges).toContain('both -> both@^1.0.0 (optional)');
    expect(edges).toContain('react-dom -> react-dom@>=18 (peerOptional)');
    // left-pad is in dependencies and devDependencies: npm installs it as prod.
    expect(edges.filter((edge) => edge.startsWith('left-pad '))).toEqual([
      'left-pad -> left-pad@^1.3.0 (prod)',
    ]);
    expect(graph.edges).toHaveLength(15);
  });

  it('expands workspace globs, honours negations, and links members declared by name', () => {
    const graph = packageJsonParser.parse(fixture('workspaces'));
    expect(graph.roots).toEqual(['.', 'packages/app', 'packages/lib', 'tools/nested/cli']);
    expect(graph.nodes.get('packages/lib')).toMatchObject({
      name: '@demo/lib',
      version: '0.2.0',
      source: 'workspace',
      workspace: 'packages/lib',
    });
    expect(edgesOf(graph, 'packages/app')).toEqual([
      '@demo/lib -> packages/lib (prod)',
      'express -> express@^4.21.0 (prod)',
    ]);
    expect(edgesOf(graph, 'tools/nested/cli')).toEqual(['@demo/lib -> packages/lib (prod)']);
    expect(graph.nodes.has('request@^2.88.0')).toBe(false);
    // typescript is dev in the root and in lib; express is prod through members.
    expect(graph.nodes.get('typescript@~5.9.0')!.dev).toBe(true);
    expect(graph.nodes.get('express@^4.21.0')!.dev).toBe(false);
  });

  it('reads yarn classic `workspaces.packages`', () => {
    const graph = packageJsonParser.parse(fixture('yarn-classic-workspaces'));
    expect(graph.roots).toEqual(['.', 'libs/one']);
    expect(edgesOf(graph, '.')).toEqual(['one -> libs/one (prod)']);
    expect(edgesOf(graph, 'libs/one')).toEqual(['chalk -> chalk@^5.0.0 (prod)']);
  });

  it('warns when globs cannot be expanded without a directory listing', () => {
    const graph = packageJsonParser.parse(inline('{"workspaces": ["packages/*"]}'));
    expect(graph.roots).toEqual(['.']);
    expect(graph.warnings).toContain('workspace globs could not be expanded (directory listing unavailable)');
  });

  it.each([
    ['{"dependencies": {"a": 1}}', /dependencies\.a must be a string, got a number/],
    ['{"dependencies": "lodash"}', /dependencies must be an object/],
    ['{"name": ["x"]}', /name must be a string/],
    ['{"workspaces": "packages/*"}', /workspaces must be an object/],
    ['{"workspaces": [1]}', /workspaces\[0\] must be a string/],
    [
      '{"peerDependencies": {"a": "1"}, "peerDependenciesMeta": {"a": true}}',
      /peerDependenciesMeta\.a must be an object/,
    ],
    ['{"dependencies": {"__proto__": "1.0.0"}}', /__proto__/],
    ['[]', /\$ must be an object/],
    ['{"dependencies": {', /invalid JSON/],
    ['', /empty|invalid JSON/],
  ])('rejects %s with an InputError naming the file', (content, message) => {
    const run = () => packageJsonParser.parse(inline(content));
    expect(run).toThrow(InputError);
    expect(run).toThrow(message);
    expect(run).toThrow(/^\/virtual\/package\.json/);
  });

  it('names a broken member manifest', () => {
    const input: LockfileInput = {
      path: '/virtual/package.json',
      content: '{"workspaces": ["a"]}',
      readSibling: (path) => (path === 'a/package.json' ? '{"dependencies": []}' : undefined),
    };
    expect(() => packageJsonParser.parse(input)).toThrow(
      /\/virtual\/a\/package\.json: dependencies must be an object/,
    );
  });
});

describe('managerFromField', () => {
  it.each([
    ['pnpm@9.1.0', 'pnpm'],
    ['yarn@4.18.0+sha512.abc', 'yarn'],
    ['bun@1.2.20', 'bun'],
    ['npm@10.9.0', 'npm'],
    ['deno@2', undefined],
    [undefined, undefined],
  ])('%s → %s', (value, manager) => {
    expect(managerFromField(value)).toBe(manager);
  });
});
