import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DependencyGraph, DepNode } from '../../core/graph.js';
import { reachable } from '../../core/graph-ops.js';
import { readInputFile } from '../../core/input.js';
import type { LockfileInput } from '../types.js';
import { yarnLockParser } from './yarn-lock.js';

const fixture = (name: string): string => join(import.meta.dirname, 'testdata', name, 'yarn.lock');
const corpus = (name: string): string =>
  join(import.meta.dirname, '../../../testdata/lockfiles', name, 'yarn.lock');

const inputFor = (path: string, content = readInputFile(path)): LockfileInput => ({
  path,
  content,
  readSibling: (relative) => {
    const file = join(dirname(path), relative);
    return existsSync(file) ? readInputFile(file) : undefined;
  },
});

const parse = (path: string): DependencyGraph => yarnLockParser.parse(inputFor(path));

/** `id source [dev] [optional] [peer]`, one per node, sorted: compact exact expectations. */
const nodeSummary = (graph: DependencyGraph): string[] =>
  [...graph.nodes.values()]
    .map((n) =>
      [
        n.id,
        n.source,
        n.dev ? 'dev' : '',
        n.optional ? 'optional' : '',
        n.peer ? 'peer' : '',
        n.aliases ? `aliases=${n.aliases.join('+')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
    )
    .sort();

const edgeSummary = (graph: DependencyGraph): string[] =>
  graph.edges.map((e) => `${e.from} -> ${e.to} ${e.name}@${e.range} ${e.type}`).sort();

const node = (graph: DependencyGraph, id: string): DepNode => {
  const found = graph.nodes.get(id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
};

describe('yarnLockParser', () => {
  it('matches yarn.lock by file name only', () => {
    expect(yarnLockParser.name).toBe('lockfile/yarn-lock');
    expect(yarnLockParser.matches('yarn.lock')).toBe(true);
    expect(yarnLockParser.matches('/a/b/yarn.lock')).toBe(true);
    expect(yarnLockParser.matches('yarn.lock.bak')).toBe(false);
    expect(yarnLockParser.matches('package-lock.json')).toBe(false);
  });
});

describe('yarn classic', () => {
  it('reads a simple project: shared entries, dev, optional, scoped names', () => {
    const graph = parse(fixture('classic-simple'));
    expect(graph.format).toBe('yarn-classic');
    expect(graph.formatVersion).toBe('v1');
    expect(graph.roots).toEqual(['.']);
    expect(graph.warnings).toEqual([]);
    expect(nodeSummary(graph)).toEqual([
      '. root',
      '@scope/x@1.0.1 registry',
      'a@1.2.0 registry',
      'b@2.1.3 registry',
      'c@3.0.0 registry dev',
      'd@4.0.5 registry dev',
      'fsevents@2.3.3 registry optional',
      'opt@1.0.0 registry optional',
    ]);
    expect(edgeSummary(graph)).toEqual([
      '. -> @scope/x@1.0.1 @scope/x@^1.0.0 prod',
      '. -> a@1.2.0 a@^1.0.0 prod',
      '. -> c@3.0.0 c@^3.0.0 dev',
      '. -> opt@1.0.0 opt@^1.0.0 optional',
      'a@1.2.0 -> b@2.1.3 b@^2.0.0 prod',
      'a@1.2.0 -> fsevents@2.3.3 fsevents@^2.3.2 optional',
      'c@3.0.0 -> b@2.1.3 b@^2.1.0 prod',
      'c@3.0.0 -> d@4.0.5 d@~4.0.0 prod',
    ]);
    const root = node(graph, '.');
    expect([root.name, root.version]).toEqual(['simple-app', '1.0.0']);
    const scoped = node(graph, '@scope/x@1.0.1');
    expect(scoped.line).toBe(5);
    expect(scoped.integrity).toMatch(/^sha512-A+==$/);
    expect(scoped.resolved).toBe(
      'https://registry.yarnpkg.com/@scope/x/-/x-1.0.1.tgz#0000000000000000000000000000000000000001',
    );
    expect(node(graph, 'b@2.1.3').line).toBe(19);
  });

  it('names aliased packages by the real package and keeps the alias', () => {
    const graph = parse(fixture('classic-aliases'));
    expect(nodeSummary(graph)).toEqual([
      '. root',
      'string-width@3.1.0 registry aliases=old-width',
      'string-width@4.2.3 registry aliases=string-width-cjs',
    ]);
    expect(edgeSummary(graph)).toEqual([
      '. -> string-width@3.1.0 old-width@npm:string-width@^3.0.0 prod',
      '. -> string-width@4.2.3 string-width-cjs@npm:string-width@^4.2.0 prod',
      '. -> string-width@4.2.3 string-width@^4.2.0 prod',
    ]);
  });

  it('classifies git, GitHub, tarball, file and overridden sources by where yarn fetched them', () => {
    const graph = parse(fixture('classic-sources'));
    const sha = '0123456789abcdef0123456789abcdef01234567';
    expect(nodeSummary(graph)).toEqual([
      '. root',
      `gitdep@git+https://git.example.invalid/example/gitdep.git#${sha} git`,
      'localdir@file:./local-dir directory',
      'localtgz@file:./vendor/localtgz-1.0.0.tgz#0000000000000000000000000000000000000021 tarball',
      // A `resolutions` override can send a plain `^1.0.0` key to any URL: not a registry package.
      'overridden@https://cdn.example.invalid/overridden.tgz tarball',
      // Registry tarball layout on another host: a private registry.
      'private@2.0.0 registry',
      'short@https://codeload.github.com/example/short/tar.gz/89abcdef0123456789abcdef0123456789abcdef git',
      'tar@https://files.example.invalid/tar/tar-1.0.0.tgz#0000000000000000000000000000000000000023 tarball',
    ]);
    expect(graph.edges.filter((e) => e.from === '.')).toHaveLength(7);
    const git = [...graph.nodes.values()].find((n) => n.name === 'gitdep')!;
    expect([git.version, git.resolved]).toEqual([
      '1.0.0',
      `git+https://git.example.invalid/example/gitdep.git#${sha}`,
    ]);
  });

  it('takes workspace members from the manifests and links siblings to them', () => {
    const graph = parse(fixture('classic-workspaces'));
    expect(graph.roots).toEqual(['.', 'packages/a', 'packages/b']);
    expect(graph.warnings).toEqual([]);
    expect(nodeSummary(graph)).toEqual([
      '. root',
      'left@1.0.0 registry',
      'packages/a workspace',
      'packages/b workspace',
      'right@2.0.0 registry',
      'tool@1.5.0 registry dev',
    ]);
    expect(edgeSummary(graph)).toEqual([
      '. -> tool@1.5.0 tool@^1.0.0 dev',
      'packages/a -> left@1.0.0 left@^1.0.0 prod',
      'packages/a -> tool@1.5.0 tool@^1.0.0 dev',
      'packages/b -> packages/a @ws/a@^1.0.0 prod',
      'packages/b -> right@2.0.0 right@^2.0.0 prod',
      'right@2.0.0 -> left@1.0.0 left@^1.0.0 prod',
    ]);
    const member = node(graph, 'packages/b');
    expect([member.name, member.version, member.workspace]).toEqual(['@ws/b', '2.0.0', 'packages/b']);
  });

  it('without package.json, hangs every entry nothing depends on from the root and says so', () => {
    const graph = parse(fixture('classic-no-manifest'));
    expect(graph.warnings).toEqual([expect.stringContaining('no package.json beside the lockfile')]);
    expect(edgeSummary(graph).filter((e) => e.startsWith('. -> '))).toEqual([
      '. -> @scope/x@1.0.1 @scope/x@^1.0.0 prod',
      '. -> a@1.2.0 a@^1.0.0 prod',
      '. -> c@3.0.0 c@^3.0.0 prod',
      '. -> opt@1.0.0 opt@^1.0.0 prod',
    ]);
    // Complete: every entry is reachable; nothing is called dev without a manifest to say so.
    expect(nodeSummary(graph)).toContain('d@4.0.5 registry');
    expect(nodeSummary(graph)).toContain('fsevents@2.3.3 registry optional');
  });
});

describe('yarn berry', () => {
  it('resolves npm, patch, workspace, portal, link, file, git and tarball protocols', () => {
    const graph = parse(fixture('berry-protocols'));
    expect(graph.format).toBe('yarn-berry');
    expect(graph.formatVersion).toBe('8');
    expect(graph.roots).toEqual(['.', 'packages/lib']);
    expect(graph.warnings).toEqual([]);
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const locator = 'locator=app%40workspace%3A.';
    expect(nodeSummary(graph)).toEqual([
      '. root',
      // The patched bar is the same package as bar@2.0.0: one node.
      'bar@2.0.0 registry',
      'devtool@5.2.0 registry dev',
      `f@file:./vendor/f#./vendor/f::hash=1a2b3c&${locator} directory`,
      'foo@1.1.2 registry aliases=alias-foo',
      `g@https://github.com/example/g.git#commit=${sha} git`,
      `l@link:./linked::${locator} link`,
      'opt@1.0.0 registry optional',
      `p@portal:../portal-pkg::${locator} link`,
      'packages/lib workspace',
      'patched-extra@1.0.4 registry',
      'react@18.3.1 registry peer',
      't@https://files.example.invalid/t-1.0.0.tgz tarball',
    ]);
    expect(edgeSummary(graph)).toEqual([
      '. -> bar@2.0.0 bar@npm:2.0.0 prod',
      '. -> devtool@5.2.0 devtool@npm:^5.0.0 dev',
      `. -> f@file:./vendor/f#./vendor/f::hash=1a2b3c&${locator} f@file:./vendor/f prod`,
      '. -> foo@1.1.2 alias-foo@npm:foo@^1.0.0 prod',
      `. -> l@link:./linked::${locator} l@link:./linked prod`,
      '. -> opt@1.0.0 opt@npm:^1.0.0 optional',
      `. -> p@portal:../portal-pkg::${locator} p@portal:../portal-pkg prod`,
      '. -> packages/lib @ex/lib@workspace:* prod',
      '. -> t@https://files.example.invalid/t-1.0.0.tgz t@https://files.example.invalid/t-1.0.0.tgz prod',
      // The patched entry's own dependency is kept on the shared node.
      'bar@2.0.0 -> patched-extra@1.0.4 patched-extra@npm:^1.0.0 prod',
      'foo@1.1.2 -> bar@2.0.0 bar@npm:2.0.0 prod',
      `p@portal:../portal-pkg::${locator} -> foo@1.1.2 foo@npm:^1.0.0 prod`,
      'packages/lib -> devtool@5.2.0 devtool@npm:^5.0.0 dev',
      'packages/lib -> foo@1.1.2 foo@npm:^1.1.0 prod',
      `packages/lib -> g@https://github.com/example/g.git#commit=${sha} g@https://github.com/example/g.git prod`,
      'packages/lib -> react@18.3.1 react@^18.0.0 peer',
    ]);
    const root = node(graph, '.');
    expect([root.name, root.version, root.line]).toEqual(['app', '0.0.0-use.local', 33]);
    const lib = node(graph, 'packages/lib');
    expect([lib.name, lib.version, lib.workspace]).toEqual(['@ex/lib', '3.1.0', 'packages/lib']);
    expect(node(graph, 'foo@1.1.2').resolved).toBe('foo@npm:1.1.2');
  });

  it('never emits a workspace as a registry package (0.0.0-use.local false positive)', () => {
    const graph = parse(fixture('berry-protocols'));
    const registryNames = [...graph.nodes.values()].filter((n) => n.source === 'registry').map((n) => n.name);
    expect(registryNames).not.toContain('app');
    expect(registryNames).not.toContain('@ex/lib');
    expect(
      [...graph.nodes.values()].some((n) => n.version === '0.0.0-use.local' && n.source === 'registry'),
    ).toBe(false);
  });

  it('normalises bare ranges of older lockfiles and adds dev dependencies from package.json', () => {
    const graph = parse(fixture('berry-v4'));
    expect(graph.formatVersion).toBe('4');
    expect(nodeSummary(graph)).toEqual([
      '. root',
      'builder@2.3.0 registry dev',
      'left@1.4.0 registry',
      'tagged@0.9.0 registry dev',
    ]);
    expect(edgeSummary(graph)).toEqual([
      '. -> builder@2.3.0 builder@^2.0.0 dev',
      '. -> left@1.4.0 left@^1.0.0 prod',
      'builder@2.3.0 -> left@1.4.0 left@^1.0.0 prod',
      'builder@2.3.0 -> tagged@0.9.0 tagged@latest prod',
    ]);
  });
});

/**
 * An independent view of the registry packages a lockfile locks, by a deliberately different and
 * simpler method than the parser: a line regex over the text, no YAML, no descriptor index.
 * Berry: every `resolution:` line whose range is `npm:` (or a `patch:` of an `npm:` locator) is
 * a registry package, and the resolution names the real package (so aliases need no special case).
 * Classic: every entry block's `resolved` URL in the registry layout `/<name>/-/…tgz` names the
 * package (from the URL, not from the key), paired with the block's `version` line.
 */
const registryPackagesByRegex = (text: string, berry: boolean): Set<string> => {
  const out = new Set<string>();
  if (berry) {
    for (const [, locator] of text.matchAll(/^ {2}resolution: "(.+)"$/gm)) {
      const at = locator!.indexOf('@', 1);
      const name = locator!.slice(0, at);
      let range = locator!.slice(at + 1);
      if (range.startsWith('patch:')) {
        const inner = decodeURIComponent(range.slice(6, range.indexOf('#')));
        range = inner.slice(inner.indexOf('@', 1) + 1);
      }
      if (range.startsWith('npm:')) out.add(`${name}@${range.slice(4).split('::')[0]}`);
    }
    return out;
  }
  for (const block of text.split(/\r?\n\r?\n/)) {
    const version = /^ {2}version "(.+)"$/m.exec(block)?.[1];
    const resolved = /^ {2}resolved "(.+)"$/m.exec(block)?.[1];
    const name = resolved && /^https?:\/\/[^/]+\/((?:@[^/]+\/)?[^/@]+)\/-\/[^/]+\.tgz/.exec(resolved)?.[1];
    if (version && name) out.add(`${name}@${version}`);
  }
  return out;
};

const registryPackages = (graph: DependencyGraph): Set<string> =>
  new Set(
    [...graph.nodes.values()].filter((n) => n.source === 'registry').map((n) => `${n.name}@${n.version}`),
  );

describe('real lockfiles', () => {
  it('jest (Berry, 71 workspaces, patches, resolutions): complete and consistent', () => {
    const path = corpus('jest');
    const text = readInputFile(path);
    const graph = parse(path);
    expect(graph.format).toBe('yarn-berry');
    expect(graph.formatVersion).toBe('10');

    const expected = registryPackagesByRegex(text, true);
    expect(expected.size).toBe(2150);
    expect(registryPackages(graph)).toEqual(expected);
    expect(graph.nodes.size).toBe(2150 + 71);
    expect(graph.roots).toHaveLength(71);
    expect(graph.roots[0]).toBe('.');

    const root = node(graph, '.');
    expect([root.name, root.source]).toEqual(['@jest/monorepo', 'root']);
    const util = node(graph, 'packages/jest-util');
    expect([util.name, util.source, util.workspace]).toEqual([
      'jest-util',
      'workspace',
      'packages/jest-util',
    ]);
    // Workspaces (version 0.0.0-use.local in the lockfile) never become registry packages.
    expect(
      [...graph.nodes.values()].filter((n) => n.version === '0.0.0-use.local' && n.source === 'registry'),
    ).toEqual([]);
    expect(graph.roots.slice(1).every((id) => node(graph, id).source === 'workspace')).toBe(true);

    // Patched entries share the node of what they patch and keep their own dependencies.
    expect(graph.edges.some((e) => e.from === 'fsevents@2.3.3' && e.to.startsWith('node-gyp@'))).toBe(true);
    expect(node(graph, 'typescript@5.9.3').source).toBe('registry');
    // `resolutions` in package.json rewrote these descriptors; each still resolves.
    expect(graph.warnings.some((w) => w.includes('no lockfile entry'))).toBe(false);
    expect(
      graph.edges.find(
        (e) => e.from === '@testing-library/react-native@14.0.1' && e.name === 'jest-matcher-utils',
      )?.to,
    ).toBe('packages/jest-matcher-utils');
    expect(node(graph, 'string-width@4.2.3').aliases).toEqual(['string-width-cjs']);

    // Member manifests are not in the corpus: the parser says dev flags are approximate.
    expect(graph.warnings).toEqual([
      expect.stringMatching(/^dev flags are approximate for 70 workspace member/),
    ]);
    // Root-only dev tools are dev; what workspaces depend on is not.
    expect(node(graph, 'eslint@10.8.1').dev).toBe(true);
    expect(node(graph, 'graceful-fs@4.2.11').dev).toBe(false);
    expect(reachable(graph).size).toBe(graph.nodes.size);
  });

  it('webpack (classic): complete and consistent', () => {
    const path = corpus('webpack');
    const text = readInputFile(path);
    const graph = parse(path);
    expect(graph.format).toBe('yarn-classic');
    expect(graph.formatVersion).toBe('v1');
    expect(graph.warnings).toEqual([]);

    const expected = registryPackagesByRegex(text, false);
    expect(expected.size).toBe(1392);
    expect(registryPackages(graph)).toEqual(expected);
    expect(graph.nodes.size).toBe(1392 + 1 + 1);

    const tooling = [...graph.nodes.values()].find((n) => n.name === 'tooling')!;
    expect([tooling.source, tooling.version, tooling.dev]).toEqual(['git', '1.28.1', true]);
    expect(node(graph, 'string-width@4.2.3').aliases).toEqual(['string-width-cjs']);
    // webpack's own dependencies are production; its test tooling is dev.
    for (const id of ['acorn@8.18.0', 'watchpack@2.5.2', 'enhanced-resolve@5.24.5', 'graceful-fs@4.2.11'])
      expect(node(graph, id).dev, id).toBe(false);
    for (const id of ['eslint@9.39.4', 'prettier@3.9.6', 'typescript@6.0.3'])
      expect(node(graph, id).dev, id).toBe(true);
    expect(node(graph, 'fsevents@2.3.3').optional).toBe(true);
    expect(reachable(graph).size).toBe(graph.nodes.size);
  });

  it('without package.json the real lockfiles still yield every package', () => {
    for (const [name, berry] of [
      ['jest', true],
      ['webpack', false],
    ] as const) {
      const path = corpus(name);
      const text = readInputFile(path);
      const graph = yarnLockParser.parse({ path, content: text, readSibling: () => undefined });
      expect(registryPackages(graph)).toEqual(registryPackagesByRegex(text, berry));
      expect(graph.warnings.length).toBeGreaterThan(0);
      expect(graph.roots.length).toBe(berry ? 71 : 1);
      expect(reachable(graph).size).toBe(graph.nodes.size);
    }
  });
});
