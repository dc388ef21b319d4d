import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { valid as validSemver } from 'semver';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import type { DependencyGraph } from '../../core/graph.js';
import type { LockfileInput } from '../types.js';
import { pnpmLockParser } from './pnpm-lock.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => join(here, 'testdata', name);
const realLockfile = (project: string) =>
  join(here, '../../../testdata/lockfiles', project, 'pnpm-lock.yaml');

const inputFor = (path: string, siblings?: Record<string, string>): LockfileInput => ({
  path,
  content: readFileSync(path, 'utf8'),
  readSibling: (relative) => {
    if (siblings) return Object.hasOwn(siblings, relative) ? siblings[relative] : undefined;
    const full = join(dirname(path), relative);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  },
});

const inputOf = (path: string, content: string): LockfileInput => ({
  path,
  content,
  readSibling: () => undefined,
});

const parseFixture = (name: string, siblings: Record<string, string> = {}) =>
  pnpmLockParser.parse(inputFor(fixture(name), siblings));

const edgeLines = (graph: DependencyGraph): string[] =>
  graph.edges.map((e) => `${e.from} -> ${e.to} [${e.name} ${e.type} ${e.range}]`).sort();

const registryIds = (graph: DependencyGraph): string[] =>
  [...graph.nodes.values()]
    .filter((n) => n.source === 'registry')
    .map((n) => n.id)
    .sort();

const flags = (graph: DependencyGraph, id: string) => {
  const node = graph.nodes.get(id);
  expect(node, `node ${id}`).toBeDefined();
  return { dev: node?.dev, optional: node?.optional, peer: node?.peer };
};

const expectConsistent = (graph: DependencyGraph): void => {
  for (const edge of graph.edges) {
    expect(graph.nodes.has(edge.from), `edge from ${edge.from}`).toBe(true);
    expect(graph.nodes.has(edge.to), `edge to ${edge.to}`).toBe(true);
  }
  for (const root of graph.roots) expect(graph.nodes.has(root)).toBe(true);
};

const inputErrorOf = (input: LockfileInput): InputError => {
  let thrown: unknown;
  try {
    pnpmLockParser.parse(input);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected an InputError').toBeInstanceOf(InputError);
  const error = thrown as InputError;
  expect(error.input).toBe(input.path);
  expect(error.message.startsWith(`${input.path}`)).toBe(true);
  expect(error.message).not.toContain('\n');
  return error;
};

describe('pnpmLockParser', () => {
  it('matches pnpm-lock.yaml only', () => {
    expect(pnpmLockParser.matches('/p/pnpm-lock.yaml')).toBe(true);
    expect(pnpmLockParser.matches('pnpm-lock.yaml')).toBe(true);
    expect(pnpmLockParser.matches('/p/pnpm-lock.yml')).toBe(false);
    expect(pnpmLockParser.matches('/p/yarn.lock')).toBe(false);
    expect(pnpmLockParser.name).toBe('lockfile/pnpm-lock');
    expect(pnpmLockParser.format).toBe('pnpm-lock');
  });
});

describe('v5: simple.v5.yaml (single project, `_` peer suffixes, `/real/1.0.0` alias)', () => {
  const graph = parseFixture('simple.v5.yaml', { 'package.json': '{"name":"simple-app","version":"1.2.3"}' });

  it('reads the root from package.json and every package as name@version', () => {
    expect(graph.format).toBe('pnpm-lock');
    expect(graph.formatVersion).toBe(5.4);
    expect(graph.roots).toEqual(['.']);
    expect(graph.nodes.get('.')).toMatchObject({ name: 'simple-app', version: '1.2.3', source: 'root' });
    expect(registryIds(graph)).toEqual([
      '@scope/lib@2.1.0',
      'express@4.18.2',
      'fsevents@2.3.3',
      'js-tokens@4.0.0',
      'left-pad@1.3.0',
      'loose-envify@1.4.0',
      'ms@2.0.0',
      'react-dom@18.2.0',
      'react@18.2.0',
      'scheduler@0.23.0',
      'typescript@5.1.6',
    ]);
    expect(graph.warnings).toEqual([]);
    expectConsistent(graph);
  });

  it('keeps integrity and the key line', () => {
    expect(graph.nodes.get('left-pad@1.3.0')).toMatchObject({
      name: 'left-pad',
      version: '1.3.0',
      integrity: 'sha512-bGVmdC1wYWRAMS4zLjAgZml4dHVyZSBpbnRlZ3JpdHkgdmFsdWU=',
      line: 55,
    });
    const text = readFileSync(fixture('simple.v5.yaml'), 'utf8').split('\n');
    for (const node of graph.nodes.values()) {
      if (node.source !== 'registry') continue;
      expect(text[node.line! - 1], node.id).toContain(`/${node.name}/${node.version}`);
    }
  });

  it('builds edges with the specifier as range and peers typed as peer', () => {
    expect(edgeLines(graph)).toEqual([
      '. -> @scope/lib@2.1.0 [@scope/lib prod ^2.0.0]',
      '. -> express@4.18.2 [express-alias prod npm:express@^4.18.0]',
      '. -> fsevents@2.3.3 [fsevents optional ^2.3.0]',
      '. -> left-pad@1.3.0 [left-pad prod ^1.3.0]',
      '. -> react-dom@18.2.0 [react-dom prod ^18.2.0]',
      '. -> react@18.2.0 [react prod ^18.2.0]',
      '. -> typescript@5.1.6 [typescript dev ^5.0.0]',
      '@scope/lib@2.1.0 -> left-pad@1.3.0 [left-pad prod 1.3.0]',
      '@scope/lib@2.1.0 -> react@18.2.0 [react peer ^18.0.0]',
      'express@4.18.2 -> ms@2.0.0 [ms prod 2.0.0]',
      'loose-envify@1.4.0 -> js-tokens@4.0.0 [js-tokens prod 4.0.0]',
      'react-dom@18.2.0 -> loose-envify@1.4.0 [loose-envify prod 1.4.0]',
      'react-dom@18.2.0 -> react@18.2.0 [react peer ^18.2.0]',
      'react-dom@18.2.0 -> scheduler@0.23.0 [scheduler prod 0.23.0]',
      'react@18.2.0 -> loose-envify@1.4.0 [loose-envify prod 1.4.0]',
      'scheduler@0.23.0 -> loose-envify@1.4.0 [loose-envify prod 1.4.0]',
    ]);
  });

  it('records the alias name on the real package', () => {
    expect(graph.nodes.get('express@4.18.2')?.aliases).toEqual(['express-alias']);
    expect(graph.nodes.get('ms@2.0.0')?.aliases).toBeUndefined();
  });

  it('derives dev/optional flags that agree with the dev:/optional: flags pnpm wrote', () => {
    const written = readFileSync(fixture('simple.v5.yaml'), 'utf8');
    const packages = written.slice(written.indexOf('\npackages:'));
    for (const node of graph.nodes.values()) {
      if (node.source !== 'registry') continue;
      const start = packages.indexOf(`  /${node.name}/${node.version}`);
      const block = packages.slice(start, packages.indexOf('\n\n', start) + 1 || undefined);
      expect(node.dev, node.id).toBe(block.includes('dev: true'));
      expect(node.optional, node.id).toBe(block.includes('optional: true'));
    }
    expect(flags(graph, 'typescript@5.1.6')).toEqual({ dev: true, optional: false, peer: false });
    expect(flags(graph, 'fsevents@2.3.3')).toEqual({ dev: false, optional: true, peer: false });
  });
});

describe('v6: peers.v6.yaml (`(peer@x)` suffixes, peer variants, optional peers)', () => {
  const graph = parseFixture('peers.v6.yaml');

  it('merges peer variants of one name@version into one node', () => {
    expect(graph.formatVersion).toBe('6.0');
    expect(registryIds(graph)).toEqual([
      '@testing-library/react@14.0.0',
      '@types/react@18.2.15',
      'js-tokens@4.0.0',
      'legacy-widget@1.0.0',
      'loose-envify@1.4.0',
      'react-dom@18.2.0',
      'react@17.0.2',
      'react@18.2.0',
      'scheduler@0.23.0',
      'typescript@5.1.6',
      'use-thing@2.0.0',
    ]);
    const useThing = graph.edges.filter((e) => e.from === 'use-thing@2.0.0').map((e) => e.to);
    expect(useThing.sort()).toEqual(['react@17.0.2', 'react@18.2.0']);
    // Without a package.json the root is named after the lockfile's folder.
    expect(graph.nodes.get('.')?.name).toBe('testdata');
    expectConsistent(graph);
  });

  it('types peer edges from peerDependencies and peerDependenciesMeta', () => {
    const fromWidget = edgeLines(graph).filter((line) => line.startsWith('legacy-widget@1.0.0 '));
    expect(fromWidget).toEqual([
      'legacy-widget@1.0.0 -> @types/react@18.2.15 [@types/react peerOptional *]',
      'legacy-widget@1.0.0 -> react@17.0.2 [react peer >=16]',
      'legacy-widget@1.0.0 -> use-thing@2.0.0 [use-thing prod 2.0.0(react@17.0.2)]',
    ]);
    expect(edgeLines(graph)).toContain(
      '. -> @testing-library/react@14.0.0 [@testing-library/react prod ^14.0.0]',
    );
  });

  it('flags: peer-only and dev-only packages, matching the lockfile dev: flags', () => {
    expect(flags(graph, 'react@17.0.2')).toEqual({ dev: false, optional: false, peer: true });
    expect(flags(graph, 'react@18.2.0')).toEqual({ dev: false, optional: false, peer: false });
    expect(flags(graph, 'typescript@5.1.6')).toEqual({ dev: true, optional: false, peer: false });
    // Declared as a dev dependency but also an (optional) peer of a production package.
    expect(flags(graph, '@types/react@18.2.15')).toEqual({ dev: false, optional: false, peer: false });
  });
});

describe('v9: aliases.v9.yaml', () => {
  const graph = parseFixture('aliases.v9.yaml');

  it('resolves `real@version` references to the real package and records the alias', () => {
    expect(registryIds(graph)).toEqual([
      '@acme/fetch@1.2.0',
      'ansi-regex@5.0.1',
      'csstype@3.1.3',
      'lodash@3.10.1',
      'lodash@4.17.21',
      'strip-ansi@6.0.1',
      'types-react@19.0.0-rc.1',
    ]);
    expect(graph.nodes.get('lodash@3.10.1')?.aliases).toEqual(['lodash-legacy']);
    expect(graph.nodes.get('lodash@4.17.21')?.aliases).toBeUndefined();
    expect(graph.nodes.get('@acme/fetch@1.2.0')?.aliases).toEqual(['my-fetch']);
    expect(graph.nodes.get('types-react@19.0.0-rc.1')?.aliases).toEqual(['@types/react']);
    expect(graph.nodes.get('strip-ansi@6.0.1')?.aliases).toEqual(['strip-ansi-cjs']);
    expect(edgeLines(graph)).toEqual([
      '. -> @acme/fetch@1.2.0 [my-fetch prod npm:@acme/fetch@^1.2.0]',
      '. -> lodash@3.10.1 [lodash-legacy prod npm:lodash@^3.10.1]',
      '. -> lodash@4.17.21 [lodash prod ^4.17.21]',
      '. -> types-react@19.0.0-rc.1 [@types/react prod npm:types-react@19.0.0-rc.1]',
      '@acme/fetch@1.2.0 -> strip-ansi@6.0.1 [strip-ansi-cjs prod strip-ansi@6.0.1]',
      'strip-ansi@6.0.1 -> ansi-regex@5.0.1 [ansi-regex prod 5.0.1]',
      'types-react@19.0.0-rc.1 -> csstype@3.1.3 [csstype prod 3.1.3]',
    ]);
    expect(graph.warnings).toEqual([]);
  });
});

describe('v9: workspaces.v9.yaml', () => {
  const graph = parseFixture('workspaces.v9.yaml', {
    'package.json': '{"name":"acme-monorepo","private":true}',
    'packages/app/package.json': '{"name":"@acme/app","version":"1.0.0"}',
    'packages/utils/package.json': '{ broken json',
  });

  it('makes every importer a root; members are workspaces named from their package.json', () => {
    expect(graph.roots).toEqual(['.', 'packages/app', 'packages/utils']);
    expect(graph.nodes.get('.')).toMatchObject({ source: 'root', name: 'acme-monorepo', version: '' });
    expect(graph.nodes.get('packages/app')).toMatchObject({
      source: 'workspace',
      workspace: 'packages/app',
      name: '@acme/app',
      version: '1.0.0',
    });
    // An unreadable manifest only loses the name.
    expect(graph.nodes.get('packages/utils')).toMatchObject({ source: 'workspace', name: 'packages/utils' });
    expectConsistent(graph);
  });

  it('links workspace members to each other and other link: targets to link nodes', () => {
    expect(edgeLines(graph)).toEqual([
      '. -> typescript@5.4.5 [typescript dev ^5.4.0]',
      'debug@2.6.9 -> ms@2.0.0 [ms prod 2.0.0]',
      'express@4.19.2 -> debug@2.6.9 [debug prod 2.6.9]',
      'packages/app -> express@4.19.2 [express prod ^4.19.0]',
      'packages/app -> link:vendor/vendored [vendored prod link:../../vendor/vendored]',
      'packages/app -> packages/utils [@acme/utils prod workspace:*]',
      'packages/app -> vitest-lite@1.0.0 [vitest-lite dev ^1.0.0]',
      'packages/utils -> ms@2.1.3 [ms prod ^2.1.3]',
      'packages/utils -> typescript@5.4.5 [typescript dev ^5.4.0]',
      'vitest-lite@1.0.0 -> debug@2.6.9 [debug prod 2.6.9]',
    ]);
    expect(graph.nodes.get('link:vendor/vendored')).toMatchObject({
      name: 'vendored',
      source: 'link',
      resolved: 'vendor/vendored',
    });
  });

  it('derives dev flags across members', () => {
    expect(flags(graph, 'typescript@5.4.5').dev).toBe(true);
    expect(flags(graph, 'vitest-lite@1.0.0').dev).toBe(true);
    expect(flags(graph, 'debug@2.6.9').dev).toBe(false);
    expect(flags(graph, 'ms@2.0.0').dev).toBe(false);
  });
});

describe('v9: git-tarball-file.v9.yaml', () => {
  const graph = parseFixture('git-tarball-file.v9.yaml');
  const pick = (id: string) => {
    const node = graph.nodes.get(id);
    return node && { name: node.name, version: node.version, source: node.source, resolved: node.resolved };
  };

  it('classifies each resolution kind', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    expect(pick(`from-git@git+https://git.example.invalid/acme/from-git.git#${sha}`)).toEqual({
      name: 'from-git',
      version: '1.0.0',
      source: 'git',
      resolved: `https://git.example.invalid/acme/from-git.git#${sha}`,
    });
    const codeload =
      'https://codeload.github.com/acme/from-github/tar.gz/89abcdef0123456789abcdef0123456789abcdef';
    expect(pick(`from-github@${codeload}`)).toEqual({
      name: 'from-github',
      version: '0.3.0',
      source: 'git',
      resolved: codeload,
    });
    expect(pick('from-tarball@https://cdn.example.invalid/from-tarball-2.0.0.tgz')).toEqual({
      name: 'from-tarball',
      version: '2.0.0',
      source: 'tarball',
      resolved: 'https://cdn.example.invalid/from-tarball-2.0.0.tgz',
    });
    expect(pick('local-dir@file:vendor/local-dir')).toEqual({
      name: 'local-dir',
      version: '0.1.0',
      source: 'directory',
      resolved: 'vendor/local-dir',
    });
    expect(pick('local-tgz@file:vendor/local-tgz-3.0.0.tgz')).toEqual({
      name: 'local-tgz',
      version: '3.0.0',
      source: 'tarball',
      resolved: 'file:vendor/local-tgz-3.0.0.tgz',
    });
    // A registry package from another registry keeps its tarball URL but stays a registry package.
    expect(pick('private-pkg@1.0.0')).toEqual({
      name: 'private-pkg',
      version: '1.0.0',
      source: 'registry',
      resolved: 'https://npm.example.invalid/private-pkg/-/private-pkg-1.0.0.tgz',
    });
    expect(registryIds(graph)).toEqual(['is-number@7.0.0', 'private-pkg@1.0.0']);
  });

  it('connects the root and the non-registry packages', () => {
    const out = graph.edges.filter((e) => e.from === '.').map((e) => e.to);
    expect(out).toHaveLength(6);
    expect(new Set(out).size).toBe(6);
    const toIsNumber = graph.edges.filter((e) => e.to === 'is-number@7.0.0').map((e) => e.from.split('@')[0]);
    expect(toIsNumber.sort()).toEqual(['from-git', 'local-dir']);
    expect(graph.warnings).toEqual([]);
    expectConsistent(graph);
  });
});

/** Package keys of the project document, read with a line scan instead of a YAML parser. */
const scanSectionKeys = (text: string, section: string): string[] => {
  const main = text.startsWith('---') ? text.slice(text.indexOf('\n---\n', 3) + 5) : text;
  const lines = main.split('\n');
  const start = lines.indexOf(`${section}:`);
  const keys: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\S/.test(line)) break;
    const match = /^ {2}(?! )('(?:[^']|'')*'|[^:]+(?::(?! )[^:]*)*):(?: |$)/.exec(line);
    if (match) keys.push(match[1]!.replace(/^'(.*)'$/, '$1'));
  }
  return keys;
};

const stripPeers = (key: string) => key.replace(/\(.*$/, '');
const isRegistryKey = (key: string) => {
  const at = key.indexOf('@', 1);
  return validSemver(key.slice(at + 1)) !== null;
};

describe.each(['astro', 'vue-core'])('real lockfile: %s (pnpm 9)', (project) => {
  const path = realLockfile(project);
  const text = readFileSync(path, 'utf8');
  const graph = pnpmLockParser.parse(inputFor(path));
  const manifest = JSON.parse(readFileSync(join(dirname(path), 'package.json'), 'utf8')) as {
    name?: string;
    devDependencies: Record<string, string>;
  };

  it('has exactly the registry packages a line scan of `packages:` finds', () => {
    const scanned = new Set(scanSectionKeys(text, 'packages').map(stripPeers).filter(isRegistryKey));
    expect(scanned.size).toBeGreaterThan(500);
    expect(registryIds(graph)).toEqual([...scanned].sort());
    // Every snapshot belongs to a package entry.
    for (const key of scanSectionKeys(text, 'snapshots'))
      expect(scanned.has(stripPeers(key)) || !isRegistryKey(stripPeers(key))).toBe(true);
  });

  it('has one root per importer, the root package named from package.json', () => {
    const importers = scanSectionKeys(text, 'importers');
    expect(graph.roots.sort()).toEqual(importers.map((p) => (p === '.' ? '.' : p)).sort());
    // vue-core's package.json has no name: the folder name stands in.
    const rootName = manifest.name ?? basename(dirname(path));
    expect(graph.nodes.get('.')).toMatchObject({ source: 'root', name: rootName });
    expect(graph.warnings).toEqual([]);
    expectConsistent(graph);
  });

  it('gives every registry node its integrity and the line of its packages key', () => {
    const lines = text.split('\n');
    for (const node of graph.nodes.values()) {
      if (node.source !== 'registry') continue;
      expect(node.integrity, node.id).toMatch(/^sha512-/);
      const keyLine = lines[node.line! - 1]!;
      expect(keyLine.replace(/'/g, '').trim(), node.id).toMatch(new RegExp(`^${escapeRegExp(node.id)}[:(]`));
      expect(lines.indexOf('packages:') < node.line! || text.startsWith('---')).toBe(true);
      expect(lines.slice(node.line!, node.line! + 2).join('\n')).toContain(node.integrity);
    }
  });

  it('marks root dev tools dev-only when no importer uses them in production', () => {
    const prodNames = new Set<string>();
    for (const edge of graph.edges) {
      if (graph.roots.includes(edge.from) && edge.type !== 'dev') prodNames.add(edge.name);
    }
    const devOnly = Object.keys(manifest.devDependencies).filter((name) => !prodNames.has(name));
    let checked = 0;
    for (const name of devOnly) {
      const edge = graph.edges.find((e) => e.from === '.' && e.name === name);
      const node = edge && graph.nodes.get(edge.to);
      if (node?.source !== 'registry') continue;
      // Dev-only unless some production package depends on it.
      const prodParent = graph.edges.some(
        (e) => e.to === node.id && !graph.nodes.get(e.from)?.dev && !graph.roots.includes(e.from),
      );
      if (prodParent) continue;
      expect(node.dev, node.id).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
  });
});

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('real lockfile spot checks', () => {
  const astro = pnpmLockParser.parse(inputFor(realLockfile('astro')));
  const vue = pnpmLockParser.parse(inputFor(realLockfile('vue-core')));

  it('astro: peers, aliases, file: and workspace links', () => {
    expect(astro.nodes.get('react-dom@19.2.4')).toMatchObject({
      source: 'registry',
      integrity:
        'sha512-AXJdLo8kgMbimY95O2aKQqsz2iWi9jMgKJhRBAxECE4IFxfcazB2LmzloIoibJI3C12IlY20+KFaLv+71bUJeQ==',
      line: 14601,
    });
    expect(astro.edges).toContainEqual({
      from: 'react-dom@19.2.4',
      to: 'react@19.2.4',
      name: 'react',
      range: '^19.2.4',
      type: 'peer',
    });
    expect(astro.nodes.get('types-react@19.0.0-alpha.3')?.aliases).toEqual(['@types/react']);
    expect(astro.nodes.get('strip-ansi@6.0.1')?.aliases).toEqual(['strip-ansi-cjs']);
    const fakeData = [...astro.nodes.values()].find((n) => n.name === 'fake-data-pkg');
    expect(fakeData).toMatchObject({ source: 'tarball', version: '1.0.0' });
    const fakeSvelte = [...astro.nodes.values()].find((n) => n.name === 'fake-svelte-pkg');
    expect(fakeSvelte?.source).toBe('directory');
    // The root's `astro-benchmark: link:benchmark` is the workspace member at benchmark/.
    expect(astro.edges).toContainEqual(
      expect.objectContaining({ from: '.', to: 'benchmark', name: 'astro-benchmark', type: 'dev' }),
    );
    expect(astro.nodes.get('packages/astro')?.name).toBe('packages/astro');
    // pnpm 11's env document (the package manager's own packages) is not part of the project.
    expect(astro.nodes.has('pnpm@11.10.0')).toBe(false);
  });

  it('vue-core: packages only the build uses are dev, the compiler runtime deps are not', () => {
    expect(vue.formatVersion).toBe('9.0');
    expect(vue.nodes.get('@babel/parser@7.29.8')?.dev).toBe(false);
    expect(vue.nodes.get('source-map-js@1.2.1')?.dev).toBe(false);
    const vitest = [...vue.nodes.values()].find((n) => n.name === 'vitest');
    expect(vitest?.dev).toBe(true);
    const typescript = [...vue.nodes.values()].filter((n) => n.name === 'typescript');
    expect(typescript.length).toBeGreaterThan(0);
  });
});

describe('hostile and malformed input → one-line InputError naming the file', () => {
  const file = '/projects/hostile/pnpm-lock.yaml';
  const parse = (content: string) => inputErrorOf(inputOf(file, content));
  const v9 = (body: string) => `lockfileVersion: '9.0'\n\n${body}`;
  const real = readFileSync(realLockfile('vue-core'), 'utf8');

  it('truncated real lockfiles: error with a position, or a graph that is still sane', () => {
    let errors = 0;
    for (const fraction of [0.013, 0.2, 0.37, 0.5, 0.81, 0.999]) {
      const cut = real.slice(0, Math.floor(real.length * fraction));
      // Cut inside a flow mapping or a quoted key: YAML error with line:column.
      const content = `${cut}${fraction === 0.37 ? "\n  'unterminated@1.0.0:\n" : ''}`;
      try {
        const graph = pnpmLockParser.parse(inputOf(file, content));
        expectConsistent(graph);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).message.startsWith(file)).toBe(true);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(0);
  });

  it('YAML syntax errors carry line:column', () => {
    const error = parse(v9('importers:\n  .:\n    dependencies: {a: 1\npackages: {}\n'));
    expect(error.position).toMatch(/^\d+:\d+$/);
    expect(error.message).toContain('invalid YAML');
    expect(parse(v9('importers:\n\t.: {}\n')).position).toBe('4:1');
  });

  it('duplicate keys', () => {
    const error = parse(
      v9(
        'packages:\n  a@1.0.0:\n    resolution: {integrity: x}\n  a@1.0.0:\n    resolution: {integrity: y}\n',
      ),
    );
    expect(error.message).toContain('duplicated mapping key');
    expect(error.position).toBe('6:3');
  });

  it('wrong types, named by path', () => {
    expect(parse(v9('packages: [1, 2]\n')).message).toContain('packages must be an object, got an array');
    expect(parse(v9('importers:\n  .:\n    dependencies: 5\n')).message).toContain(
      'importers["."].dependencies must be an object, got a number',
    );
    expect(
      parse(v9('importers:\n  .:\n    dependencies:\n      a: {specifier: ^1, version: [1]}\n')).message,
    ).toContain('importers["."].dependencies["a"].version must be a string');
    expect(parse(v9('packages:\n  a@1.0.0:\n    resolution: sha512-x\n')).message).toContain(
      'packages["a@1.0.0"].resolution must be an object',
    );
    expect(
      parse(
        v9(
          'packages:\n  a@1.0.0:\n    resolution: {integrity: x}\nsnapshots:\n  a@1.0.0:\n    dependencies:\n      b: {x: 1}\n',
        ),
      ).message,
    ).toContain('snapshots["a@1.0.0"].dependencies["b"] must be a string');
    expect(parse('- lockfileVersion: 9\n').message).toContain('the lockfile must be an object');
    expect(parse('just a string\n').message).toContain('the lockfile must be an object');
  });

  it('non-semver versions on registry packages', () => {
    const error = parse(v9('packages:\n\n  evil@not-a-version:\n    resolution: {integrity: sha512-x}\n'));
    expect(error.message).toContain('"not-a-version" is not a valid semver version');
    expect(error.position).toBe('5:3');
    expect(
      parse('lockfileVersion: 5.4\npackages:\n  /evil/latest:\n    resolution: {integrity: x}\n').message,
    ).toContain('"latest" is not a valid semver version');
  });

  it('__proto__ keys, plain or escaped, are refused', () => {
    expect(parse(v9('packages:\n  __proto__:\n    resolution: {integrity: x}\n')).message).toContain(
      '__proto__',
    );
    expect(
      parse(
        v9('importers:\n  .:\n    dependencies:\n      "\\x5F_proto__": {specifier: "1", version: 1.0.0}\n'),
      ).message,
    ).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('deep nesting, flow and block', () => {
    const flow = parse(v9(`packages: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`));
    expect(flow.message).toMatch(/invalid YAML|nested too deeply/);
    const block = parse(v9(Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')));
    expect(block.message).toMatch(/invalid YAML|nested too deeply/);
  });

  it('alias expansion attacks', () => {
    const bomb = [
      "lockfileVersion: '9.0'",
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    expect(parse(bomb).message).toMatch(/alias/i);
  });

  it('tags outside the core schema', () => {
    expect(parse(v9('x: !!binary aGVsbG8=\n')).message).toContain('unknown tag');
    // js-yaml marks the end of the tag token.
    expect(parse(v9('x: !custom thing\n')).position).toBe('3:17');
  });

  it('unknown or missing lockfileVersion', () => {
    expect(parse("lockfileVersion: '99.0'\n").message).toContain('lockfileVersion "99.0" is not supported');
    expect(parse('lockfileVersion: 4.0\n').message).toContain('lockfileVersion 4 is not supported');
    expect(parse('importers: {}\n').message).toContain('no lockfileVersion is not supported');
  });

  it('empty, binary and multi-document files', () => {
    expect(parse('').message).toContain('is empty');
    expect(parse('# just a comment\n').message).toContain('no YAML document');
    expect(parse("lockfileVersion: '9.0'\u0000\u0001\u0002").message).toContain('binary');
    expect(parse(v9('---\nlockfileVersion: 9.0\n---\nlockfileVersion: 9.0\n')).message).toContain(
      'YAML documents',
    );
  });

  it('a missing snapshot target or dependency is a warning, not a failure', () => {
    const graph = pnpmLockParser.parse(
      inputOf(
        file,
        v9(
          'importers:\n  .:\n    dependencies:\n      ghost:\n        specifier: ^1\n        version: 1.0.0\n' +
            'packages:\n  a@1.0.0:\n    resolution: {integrity: x}\nsnapshots:\n  b@2.0.0: {}\n',
        ),
      ),
    );
    expect(graph.warnings).toEqual([
      'snapshot "b@2.0.0" has no entry in packages; its dependencies are not read',
      '. depends on ghost (1.0.0), which the lockfile does not list',
    ]);
    expectConsistent(graph);
  });
});

describe('v5 and v6 workspaces and non-registry keys (inline)', () => {
  it('v5: importers with specifiers, link: members, github.com and file: keys', () => {
    const content = [
      'lockfileVersion: 5.3',
      'importers:',
      '  .:',
      '    specifiers:',
      '      repo: github:acme/repo',
      '    devDependencies:',
      '      repo: github.com/acme/repo/0123abc',
      '  packages/a:',
      '    specifiers:',
      '      b: workspace:^1.0.0',
      '      local: file:../../local',
      '    dependencies:',
      '      b: link:../b',
      '      local: file:local',
      '  packages/b:',
      '    specifiers: {}',
      'packages:',
      '  github.com/acme/repo/0123abc:',
      '    resolution: {tarball: https://codeload.github.com/acme/repo/tar.gz/0123abc}',
      '    name: repo',
      '    version: 0.9.0',
      '    dev: true',
      '  file:local:',
      '    resolution: {directory: local, type: directory}',
      '    name: local-thing',
      '    version: 1.0.0',
      '    dev: false',
      '',
    ].join('\n');
    const graph = pnpmLockParser.parse(inputOf('/p/pnpm-lock.yaml', content));
    expect(graph.roots).toEqual(['.', 'packages/a', 'packages/b']);
    expect(edgeLines(graph)).toEqual([
      '. -> repo@github.com/acme/repo/0123abc [repo dev github:acme/repo]',
      'packages/a -> local-thing@file:local [local prod file:../../local]',
      'packages/a -> packages/b [b prod workspace:^1.0.0]',
    ]);
    expect(graph.nodes.get('repo@github.com/acme/repo/0123abc')).toMatchObject({
      name: 'repo',
      version: '0.9.0',
      source: 'git',
      dev: true,
    });
    expect(graph.nodes.get('local-thing@file:local')).toMatchObject({ source: 'directory', dev: false });
    expect(registryIds(graph)).toEqual([]);
  });

  it('v6: importers with {specifier, version} and a file: tarball key', () => {
    const content = [
      "lockfileVersion: '6.1'",
      'importers:',
      '  .:',
      '    dependencies:',
      '      tgz:',
      '        specifier: file:vendor/tgz-1.0.0.tgz',
      '        version: file:vendor/tgz-1.0.0.tgz',
      '      ms:',
      '        specifier: ^2.1.3',
      '        version: 2.1.3',
      'packages:',
      '  /ms@2.1.3:',
      '    resolution: {integrity: sha512-bXM=}',
      '    dev: false',
      '  file:vendor/tgz-1.0.0.tgz:',
      '    resolution: {integrity: sha512-dGd6, tarball: file:vendor/tgz-1.0.0.tgz}',
      '    name: tgz',
      '    version: 1.0.0',
      '    dependencies:',
      '      ms: 2.1.3',
      '    dev: false',
      '',
    ].join('\n');
    const graph = pnpmLockParser.parse(inputOf('/p/pnpm-lock.yaml', content));
    expect(edgeLines(graph)).toEqual([
      '. -> ms@2.1.3 [ms prod ^2.1.3]',
      '. -> tgz@file:vendor/tgz-1.0.0.tgz [tgz prod file:vendor/tgz-1.0.0.tgz]',
      'tgz@file:vendor/tgz-1.0.0.tgz -> ms@2.1.3 [ms prod 2.1.3]',
    ]);
    expect(graph.nodes.get('tgz@file:vendor/tgz-1.0.0.tgz')).toMatchObject({
      source: 'tarball',
      version: '1.0.0',
    });
    expect(graph.nodes.get('ms@2.1.3')?.line).toBe(12);
  });
});
