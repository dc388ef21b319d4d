import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import type { DependencyGraph } from '../../core/graph.js';
import type { LockfileInput } from '../types.js';
import { bunLockbMessage, isBunLockb } from './bun-binary.js';
import { bunLockParser } from './bun-lock.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => join(here, 'testdata', name);
const honoLockfile = join(here, '../../../testdata/lockfiles/hono/bun.lock');

const inputOf = (path: string, content: string): LockfileInput => ({
  path,
  content,
  readSibling: () => undefined,
});

const parseFixture = (name: string) =>
  bunLockParser.parse(inputOf(fixture(name), readFileSync(fixture(name), 'utf8')));

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
    bunLockParser.parse(input);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected an InputError').toBeInstanceOf(InputError);
  const error = thrown as InputError;
  expect(error.input).toBe(input.path);
  expect(error.message.startsWith(input.path)).toBe(true);
  expect(error.message).not.toContain('\n');
  return error;
};

describe('bunLockParser', () => {
  it('matches bun.lock and bun.lockb', () => {
    expect(bunLockParser.matches('/p/bun.lock')).toBe(true);
    expect(bunLockParser.matches('bun.lockb')).toBe(true);
    expect(bunLockParser.matches('/p/bun.lock.json')).toBe(false);
    expect(bunLockParser.matches('/p/pnpm-lock.yaml')).toBe(false);
    expect(bunLockParser.name).toBe('lockfile/bun-lock');
    expect(bunLockParser.format).toBe('bun-lock');
  });
});

describe('simple.bun.lock', () => {
  const graph = parseFixture('simple.bun.lock');

  it('reads nodes, integrity, key lines, alias and edges', () => {
    expect(graph.format).toBe('bun-lock');
    expect(graph.formatVersion).toBe(1);
    expect(graph.roots).toEqual(['.']);
    expect(graph.nodes.get('.')).toMatchObject({ name: 'simple-app', source: 'root' });
    expect(registryIds(graph)).toEqual([
      'debug@2.6.9',
      'express@4.19.2',
      'fsevents@2.3.3',
      'lodash@4.17.21',
      'ms@2.0.0',
      'typescript@5.4.5',
    ]);
    expect(graph.nodes.get('ms@2.0.0')).toMatchObject({
      name: 'ms',
      version: '2.0.0',
      integrity: 'sha512-bXNAMi4wLjAgZml4dHVyZSBpbnRlZ3JpdHkgdmFsdWUgaGVyZQ==',
      line: 25,
    });
    expect(graph.nodes.get('lodash@4.17.21')?.aliases).toEqual(['my-lodash']);
    expect(edgeLines(graph)).toEqual([
      '. -> express@4.19.2 [express prod ^4.19.0]',
      '. -> fsevents@2.3.3 [fsevents optional ^2.3.3]',
      '. -> lodash@4.17.21 [my-lodash prod npm:lodash@^4.17.21]',
      '. -> typescript@5.4.5 [typescript dev ^5.4.0]',
      'debug@2.6.9 -> ms@2.0.0 [ms prod 2.0.0]',
      'express@4.19.2 -> debug@2.6.9 [debug prod 2.6.9]',
    ]);
    expect(graph.warnings).toEqual([]);
    expectConsistent(graph);
  });

  it('derives flags', () => {
    expect(flags(graph, 'typescript@5.4.5')).toEqual({ dev: true, optional: false, peer: false });
    expect(flags(graph, 'fsevents@2.3.3')).toEqual({ dev: false, optional: true, peer: false });
    expect(flags(graph, 'ms@2.0.0')).toEqual({ dev: false, optional: false, peer: false });
  });
});

describe('nested.bun.lock (lockfileVersion 0, install paths resolved like node_modules)', () => {
  const graph = parseFixture('nested.bun.lock');

  it('resolves each dependency to the nearest install path', () => {
    expect(graph.formatVersion).toBe(0);
    expect(registryIds(graph)).toEqual([
      '@scope/d@1.0.0',
      '@scope/d@2.0.0',
      'a@1.0.0',
      'b@1.0.0',
      'c@1.0.0',
      'debug@2.6.9',
      'debug@4.3.4',
      'ms@2.0.0',
      'ms@2.1.2',
      'react@18.2.0',
    ]);
    expect(edgeLines(graph)).toEqual([
      '. -> @scope/d@1.0.0 [@scope/d prod ^1.0.0]',
      '. -> a@1.0.0 [a prod ^1.0.0]',
      '. -> b@1.0.0 [b prod ^1.0.0]',
      '. -> debug@4.3.4 [debug prod ^4.3.0]',
      '. -> react@18.2.0 [react prod ^18.2.0]',
      '@scope/d@1.0.0 -> ms@2.1.2 [ms prod ^2.1.0]',
      '@scope/d@2.0.0 -> ms@2.0.0 [ms prod 2.0.0]',
      'a@1.0.0 -> c@1.0.0 [c prod ^1.0.0]',
      'a@1.0.0 -> debug@2.6.9 [debug prod ^2.6.0]',
      'b@1.0.0 -> @scope/d@2.0.0 [@scope/d prod ^2.0.0]',
      'b@1.0.0 -> c@1.0.0 [c prod ^1.0.0]',
      'b@1.0.0 -> react@18.2.0 [react peer *]',
      'debug@2.6.9 -> ms@2.0.0 [ms prod 2.0.0]',
      'debug@4.3.4 -> ms@2.1.2 [ms prod 2.1.2]',
    ]);
    // The uninstalled optional peer (vue) is no warning.
    expect(graph.warnings).toEqual([]);
    expectConsistent(graph);
  });

  it('one node per name@version however many install paths hold it', () => {
    const ms = [...graph.nodes.values()].filter((n) => n.name === 'ms');
    expect(ms.map((n) => n.id).sort()).toEqual(['ms@2.0.0', 'ms@2.1.2']);
    expect(graph.nodes.get('ms@2.0.0')?.aliases).toBeUndefined();
  });
});

describe('workspaces.bun.lock', () => {
  const graph = parseFixture('workspaces.bun.lock');

  it('makes each workspace a root and links members', () => {
    expect(graph.roots).toEqual(['.', 'packages/app', 'packages/utils']);
    expect(graph.nodes.get('packages/app')).toMatchObject({
      name: '@acme/app',
      version: '1.0.0',
      source: 'workspace',
      workspace: 'packages/app',
    });
    expect(edgeLines(graph)).toEqual([
      '. -> typescript@5.4.5 [typescript dev ^5.4.0]',
      'packages/app -> packages/utils [@acme/utils prod workspace:*]',
      'packages/app -> zod@3.22.4 [zod prod ^3.22.0]',
      'packages/utils -> typescript@5.4.5 [typescript dev ^5.4.0]',
      'packages/utils -> zod@3.23.8 [zod prod ^3.23.0]',
    ]);
    expect(flags(graph, 'typescript@5.4.5').dev).toBe(true);
    expect(flags(graph, 'zod@3.22.4').dev).toBe(false);
    // Workspace entries in `packages` are the roots, not extra nodes.
    expect(graph.nodes.size).toBe(3 + 3);
    expectConsistent(graph);
  });
});

describe('git.bun.lock (git, github, tarball, file and link sources)', () => {
  const graph = parseFixture('git.bun.lock');
  const byName = (name: string) => {
    const node = [...graph.nodes.values()].find((n) => n.name === name);
    return node && { id: node.id, source: node.source, version: node.version, resolved: node.resolved };
  };

  it('classifies every source kind', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    expect(byName('from-git')).toEqual({
      id: `from-git@git+https://git.example.invalid/acme/from-git.git#${sha}`,
      source: 'git',
      version: `git+https://git.example.invalid/acme/from-git.git#${sha}`,
      resolved: `git+https://git.example.invalid/acme/from-git.git#${sha}`,
    });
    expect(byName('from-github')?.source).toBe('git');
    expect(byName('from-tarball')?.source).toBe('tarball');
    expect(byName('linked')).toMatchObject({ source: 'link', resolved: 'linked' });
    expect(byName('local-dir')).toMatchObject({ source: 'directory', resolved: 'vendor/local-dir' });
    expect(byName('local-tgz')).toMatchObject({ source: 'tarball', resolved: 'vendor/local-tgz-3.0.0.tgz' });
    expect(registryIds(graph)).toEqual(['is-number@7.0.0']);
    const toIsNumber = graph.edges.filter((e) => e.to === 'is-number@7.0.0').map((e) => e.from.split('@')[0]);
    expect(toIsNumber.sort()).toEqual(['from-github', 'local-dir']);
    expect(graph.edges.filter((e) => e.from === '.')).toHaveLength(6);
    expectConsistent(graph);
  });
});

describe('root:, bundled and bare tarball paths (inline)', () => {
  it('maps name@root: to the root, keeps bundled, reads a relative .tgz as a tarball', () => {
    const content = `{
      "lockfileVersion": 1,
      "workspaces": { "": { "name": "app", "dependencies": { "app": "link:.", "vend": "./vendor/vend-1.0.0.tgz", "bun-dep": "^1.0.0" } } },
      "packages": {
        "app": ["app@root:", { "bin": { "app": "cli.js" } }],
        "vend": ["vend@vendor/vend-1.0.0.tgz", {}],
        "bun-dep": ["bun-dep@1.0.0", "", { "bundled": true }, "sha512-YnVu"],
      },
    }`;
    const graph = bunLockParser.parse(inputOf('/p/bun.lock', content));
    expect(edgeLines(graph)).toEqual([
      '. -> . [app prod link:.]',
      '. -> bun-dep@1.0.0 [bun-dep prod ^1.0.0]',
      '. -> vend@vendor/vend-1.0.0.tgz [vend prod ./vendor/vend-1.0.0.tgz]',
    ]);
    expect(graph.nodes.get('vend@vendor/vend-1.0.0.tgz')?.source).toBe('tarball');
    expect(graph.nodes.get('bun-dep@1.0.0')?.bundled).toBe(true);
    expect(graph.nodes.size).toBe(3);
  });
});

describe('real lockfile: hono (bun.lock v1)', () => {
  const text = readFileSync(honoLockfile, 'utf8');
  const graph = bunLockParser.parse(inputOf(honoLockfile, text));
  const manifest = JSON.parse(readFileSync(join(dirname(honoLockfile), 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  it('has exactly the distinct name@version values a line scan of `packages` finds', () => {
    const scanned = new Set<string>();
    for (const match of text.matchAll(/^ {4}"[^"]+": \["([^"]+)"/gm)) scanned.add(match[1]!);
    expect(scanned.size).toBeGreaterThan(900);
    expect(registryIds(graph)).toEqual([...scanned].sort());
    expect(graph.warnings).toEqual([]);
    expectConsistent(graph);
  });

  it('every package is dev-only, since hono declares only devDependencies', () => {
    expect(manifest.dependencies).toBeUndefined();
    for (const node of graph.nodes.values())
      if (node.source === 'registry') expect(node.dev, node.id).toBe(true);
    const direct = graph.edges.filter((e) => e.from === '.');
    expect(direct.map((e) => e.name).sort()).toEqual(Object.keys(manifest.devDependencies).sort());
    expect(direct.every((e) => e.type === 'dev')).toBe(true);
  });

  it('spot checks: nested install paths, lines, integrity, optional peers', () => {
    const lines = text.split('\n');
    for (const node of graph.nodes.values()) {
      if (node.source !== 'registry') continue;
      expect(lines[node.line! - 1], node.id).toContain(`["${node.id}"`);
      expect(lines[node.line! - 1], node.id).toContain(node.integrity);
    }
    // `@babel/code-frame/picocolors` is nested: code-frame gets its own picocolors.
    const nested = /"@babel\/code-frame\/picocolors": \["([^"]+)"/.exec(text)?.[1];
    const top = /^ {4}"picocolors": \["([^"]+)"/m.exec(text)?.[1];
    expect(nested).toBeDefined();
    expect(nested).not.toBe(top);
    expect(graph.edges).toContainEqual(
      expect.objectContaining({ from: '@babel/code-frame@7.24.7', to: nested, name: 'picocolors' }),
    );
    const optionalPeer = graph.edges.find((e) => e.type === 'peerOptional');
    expect(optionalPeer).toBeDefined();
  });
});

describe('bun.lockb and binary content', () => {
  const lockb = Buffer.concat([
    Buffer.from('#!/usr/bin/env bun\nbun-lockfile-format-v0\n'),
    Buffer.from([0x02, 0x00, 0x00, 0x00, 0xff, 0x10, 0x00]),
  ]);

  it('refuses bun.lockb by name with the migration hint', () => {
    const error = inputErrorOf(inputOf('/p/bun.lockb', ''));
    expect(error.message).toBe(`/p/bun.lockb: ${bunLockbMessage}`);
    expect(error.message).toContain('bun install --save-text-lockfile');
  });

  it('detects bun.lockb content under another name, as bytes or as text', () => {
    expect(isBunLockb(lockb)).toBe(true);
    expect(isBunLockb(new Uint8Array(lockb.subarray(0, 5)))).toBe(false);
    expect(isBunLockb(Buffer.from('{"lockfileVersion": 1}'))).toBe(false);
    const error = inputErrorOf(inputOf('/p/bun.lock', lockb.toString('latin1')));
    expect(error.message).toContain("bun.lockb is Bun's binary lockfile");
  });

  it('other binary content is refused without the hint', () => {
    const error = inputErrorOf(inputOf('/p/bun.lock', '{"lockfileVersion": 1,\u0000\u0001}'));
    expect(error.message).toContain('binary');
  });
});

describe('hostile and malformed bun.lock → one-line InputError naming the file', () => {
  const file = '/projects/hostile/bun.lock';
  const parse = (content: string) => inputErrorOf(inputOf(file, content));
  const lock = (packages: string, workspaces = '{ "": { "name": "x" } }') =>
    `{\n  "lockfileVersion": 1,\n  "workspaces": ${workspaces},\n  "packages": ${packages}\n}\n`;

  it('truncated real lockfile: JSON error with line:column', () => {
    const real = readFileSync(honoLockfile, 'utf8');
    for (const fraction of [0.001, 0.25, 0.5, 0.9]) {
      const error = parse(real.slice(0, Math.floor(real.length * fraction)));
      expect(error.position, String(fraction)).toMatch(/^\d+:\d+$/);
      expect(error.message).toContain('invalid JSON');
    }
  });

  it('syntax errors name line and column', () => {
    const error = parse('{\n  "lockfileVersion": 1,\n  "workspaces": { "": {} }\n  "packages": {}\n}\n');
    expect(error.message).toContain('invalid JSON: Comma expected');
    expect(error.position).toBe('4:3');
  });

  it('wrong types, named by path', () => {
    expect(parse(lock('[]')).message).toContain('packages must be an object, got an array');
    expect(parse(lock('{ "a": "a@1.0.0" }')).message).toContain('packages["a"] must be an array');
    expect(parse(lock('{ "a": [1] }')).message).toContain('packages["a"][0] must be a string, got a number');
    expect(parse(lock('{ "a": ["a@1.0.0", "", { "dependencies": { "b": 2 } }] }')).message).toContain(
      'packages["a"][2].dependencies["b"] must be a string',
    );
    expect(parse(lock('{ "a": ["a@1.0.0", "", { "optionalPeers": "b" }] }')).message).toContain(
      'packages["a"][2].optionalPeers must be an array',
    );
    expect(parse(lock('{}', '[]')).message).toContain('workspaces must be an object');
    expect(parse(lock('{}', '{ "packages/a": {} }')).message).toContain('workspaces has no root entry');
    expect(parse('[1, 2]').message).toContain('the lockfile must be an object');
  });

  it('non-semver registry versions and unknown sources', () => {
    const error = parse(lock('{\n    "evil": ["evil@latest", "", {}, "sha512-x"]\n  }'));
    expect(error.message).toContain('"latest" is neither a semver version');
    expect(error.position).toBe('5');
    expect(parse(lock('{ "a": ["no-version-here"] }')).message).toContain('must be "name@version"');
  });

  it('__proto__ keys, plain or escaped', () => {
    const plain = parse(lock('{ "__proto__": ["x@1.0.0", "", {}, ""] }'));
    expect(plain.message).toContain('__proto__');
    expect(plain.position).toBe('4:17');
    const escaped = parse(lock('{ "a": ["a@1.0.0", "", { "dependencies": { "\\u005f_proto__": "1" } }] }'));
    expect(escaped.message).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('deep nesting fails fast, even behind a comment that hides a quote', () => {
    const deep = parse(lock(`{ "a": ["a@1.0.0", "", ${'['.repeat(10_000)}${']'.repeat(10_000)}] }`));
    expect(deep.message).toContain('nesting deeper than');
    const sneaky = parse(`// "\n${lock(`{ "a": ${'['.repeat(10_000)}${']'.repeat(10_000)} }`)}`);
    expect(sneaky.message).toContain('nesting deeper than');
  });

  it('unknown lockfileVersion, empty file', () => {
    expect(parse('{ "lockfileVersion": 2, "workspaces": {} }').message).toContain(
      'lockfileVersion 2 is not supported',
    );
    expect(parse('{ "lockfileVersion": "1", "workspaces": {} }').message).toContain(
      'lockfileVersion "1" is not supported',
    );
    expect(parse('{ "workspaces": {} }').message).toContain('no lockfileVersion');
    expect(parse('').message).toContain('is empty');
  });

  it('a workspace entry naming an unknown workspace and a missing dependency are warnings', () => {
    const graph = bunLockParser.parse(
      inputOf(
        file,
        lock(
          '{ "ghost-ws": ["ghost-ws@workspace:packages/ghost"], "a": ["a@1.0.0", "", { "dependencies": { "missing": "^1" } }, ""] }',
          '{ "": { "dependencies": { "a": "^1", "ghost-ws": "workspace:*" } } }',
        ),
      ),
    );
    expect(graph.warnings).toEqual([
      'packages["ghost-ws"] names workspace "packages/ghost", which workspaces does not list',
      'a@1.0.0 depends on missing (^1), which the lockfile does not list',
    ]);
    expect(graph.nodes.get('ghost-ws@workspace:packages/ghost')?.source).toBe('link');
    expectConsistent(graph);
  });
});
