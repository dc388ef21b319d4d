import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import type { DependencyGraph } from '../../core/graph.js';
import { parseText, TESTDATA } from './test-helpers.js';

const FILE = '/project/package-lock.json';
const NPM_CLI = join(import.meta.dirname, '../../../testdata/lockfiles/npm-cli/package-lock.json');

/** The error a parse raises; fails the test when it is not an InputError naming the file. */
const inputError = (content: string, siblings: Record<string, string> = {}): InputError => {
  try {
    parseText(content, siblings, FILE);
  } catch (error) {
    if (!(error instanceof InputError)) throw new Error(`not an InputError: ${String(error)}`);
    expect(error.message.split('\n')).toHaveLength(1);
    return error;
  }
  throw new Error('parsed without an error');
};

const v3 = (packages: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: 'x', lockfileVersion: 3, packages, ...extra }, null, 2);
const v1 = (dependencies: unknown) =>
  JSON.stringify({ name: 'x', lockfileVersion: 1, dependencies }, null, 2);
const reg = (version: unknown, more: Record<string, unknown> = {}) => ({
  version,
  resolved: `https://registry.npmjs.org/foo/-/foo-${String(version)}.tgz`,
  ...more,
});

describe('malformed JSON', () => {
  it('reports a truncated real lockfile with its line and column', () => {
    const text = readFileSync(NPM_CLI, 'utf8');
    for (const cut of [1, 100, 4_096, 100_000, 333_333, text.length - 2]) {
      const error = inputError(text.slice(0, cut));
      expect(error.message).toMatch(/^\/project\/package-lock\.json:\d+:\d+: invalid JSON/);
    }
  });

  it('reports an empty file, a top-level array, and a number', () => {
    expect(inputError('').message).toBe(`${FILE}: is empty`);
    expect(inputError('[]').message).toBe(`${FILE}: the top level must be an object, got an array`);
    expect(inputError('42').message).toBe(`${FILE}: the top level must be an object, got a number`);
  });

  it('rejects a __proto__ key', () => {
    const error = inputError(
      v3({ '': {}, __proto__: null, 'node_modules/__proto__': reg('1.0.0') }).replace(
        '"node_modules/__proto__"',
        '"__proto__"',
      ),
    );
    expect(error.message).toContain('"__proto__"');
  });

  it('rejects nesting 10,000 levels deep quickly', () => {
    const deep = `{"lockfileVersion":3,"packages":{"":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`;
    const started = performance.now();
    expect(inputError(deep).message).toContain('nesting deeper than');
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('lockfileVersion', () => {
  it.each([
    [99, 'lockfileVersion 99 is not supported (npm writes 1, 2 or 3)'],
    ['3', 'lockfileVersion "3" is not supported (npm writes 1, 2 or 3)'],
    [2.5, 'lockfileVersion 2.5 is not supported (npm writes 1, 2 or 3)'],
    [null, 'lockfileVersion null is not supported (npm writes 1, 2 or 3)'],
  ])('rejects %j', (version, message) => {
    expect(inputError(JSON.stringify({ lockfileVersion: version, packages: {} })).message).toBe(
      `${FILE}: ${message}`,
    );
  });

  it('rejects a file without lockfileVersion or dependencies', () => {
    expect(inputError('{"name":"x"}').message).toBe(
      `${FILE}: lockfileVersion missing is not supported (npm writes 1, 2 or 3)`,
    );
  });

  it('reads an npm 4 shrinkwrap (no lockfileVersion) as v1, with a warning', () => {
    const graph = parseText(JSON.stringify({ name: 'x', dependencies: { foo: reg('1.0.0') } }));
    expect([...graph.nodes.keys()]).toEqual(['.', 'foo@1.0.0']);
    expect(graph.warnings[0]).toContain('no lockfileVersion');
  });

  it('rejects a v3 file without packages', () => {
    expect(inputError(JSON.stringify({ lockfileVersion: 3 })).message).toContain('packages is missing');
  });
});

describe('wrong types in v2/v3 entries name the JSON path', () => {
  const cases: [string, unknown, string][] = [
    ['packages is an array', [], 'packages must be an object, got an array'],
    [
      'an entry is a string',
      { 'node_modules/foo': 'x' },
      'packages["node_modules/foo"] must be an object, got a string ("x")',
    ],
    [
      'version is a number',
      { 'node_modules/foo': reg(1) },
      'packages["node_modules/foo"].version must be a string, got a number',
    ],
    [
      'version is missing',
      { 'node_modules/foo': { resolved: 'https://registry.npmjs.org/foo/-/foo-1.0.0.tgz' } },
      'packages["node_modules/foo"].version is missing',
    ],
    [
      'version is not semver',
      { 'node_modules/foo': reg('latest') },
      'packages["node_modules/foo"].version is not a semver version ("latest")',
    ],
    [
      'a range as version',
      { 'node_modules/foo': { version: '^1.0.0' } },
      'packages["node_modules/foo"].version is not a semver version ("^1.0.0")',
    ],
    [
      'resolved is an object',
      { 'node_modules/foo': reg('1.0.0', { resolved: {} }) },
      'packages["node_modules/foo"].resolved must be a string, got an object',
    ],
    [
      'integrity is an array',
      { 'node_modules/foo': reg('1.0.0', { integrity: [] }) },
      'packages["node_modules/foo"].integrity must be a string, got an array',
    ],
    [
      'dependencies is a string',
      { 'node_modules/foo': reg('1.0.0', { dependencies: 'bar' }) },
      'packages["node_modules/foo"].dependencies must be an object, got a string ("bar")',
    ],
    [
      'a dependency range is a number',
      { 'node_modules/foo': reg('1.0.0', { dependencies: { 'b.ar/x': 1 } }) },
      'packages["node_modules/foo"].dependencies["b.ar/x"] must be a string, got a number',
    ],
    [
      'dev is a string',
      { 'node_modules/foo': reg('1.0.0', { dev: 'yes' }) },
      'packages["node_modules/foo"].dev must be true or false, got a string ("yes")',
    ],
    [
      'inBundle is a number',
      { 'node_modules/foo': reg('1.0.0', { inBundle: 1 }) },
      'packages["node_modules/foo"].inBundle must be true or false, got a number',
    ],
    [
      'a link without resolved',
      { 'node_modules/foo': { link: true } },
      'packages["node_modules/foo"].resolved must be a string, got a undefined',
    ],
    [
      'peerDependenciesMeta entry is a string',
      {
        'node_modules/foo': reg('1.0.0', { peerDependencies: { a: '1' }, peerDependenciesMeta: { a: 'x' } }),
      },
      'packages["node_modules/foo"].peerDependenciesMeta["a"] must be an object, got a string ("x")',
    ],
    [
      'optional peer flag is a string',
      {
        'node_modules/foo': reg('1.0.0', {
          peerDependencies: { a: '1' },
          peerDependenciesMeta: { a: { optional: 'yes' } },
        }),
      },
      'packages["node_modules/foo"].peerDependenciesMeta["a"].optional must be true or false, got a string ("yes")',
    ],
    [
      'root devDependencies is an array',
      { '': { devDependencies: [] } },
      'packages[""].devDependencies must be an object, got an array',
    ],
    [
      'root workspaces is a string',
      { '': { workspaces: 'packages/*' } },
      'packages[""].workspaces must be an array, got a string ("packages/*")',
    ],
    [
      'a workspace glob is a number',
      { '': { workspaces: ['a', 7] } },
      'packages[""].workspaces[1] must be a string, got a number',
    ],
  ];
  it.each(cases)('%s', (_name, packages, message) => {
    expect(inputError(v3(packages)).message).toBe(`${FILE}: ${message}`);
  });
});

describe('wrong types in v1 entries name the JSON path', () => {
  const cases: [string, unknown, string][] = [
    ['dependencies is an array', [], 'dependencies must be an object, got an array'],
    ['version is missing', { foo: {} }, 'dependencies["foo"].version must be a string, got a undefined'],
    [
      'version is a range',
      { foo: { version: '~1.0.0' } },
      'dependencies["foo"].version is not a semver version ("~1.0.0")',
    ],
    [
      'alias without a version',
      { foo: { version: 'npm:bar' } },
      'dependencies["foo"].version is an alias without a version ("npm:bar")',
    ],
    [
      'alias to a range',
      { foo: { version: 'npm:bar@^1' } },
      'dependencies["foo"].version is not a semver version ("^1")',
    ],
    [
      'requires value is a number',
      { foo: reg('1.0.0', { requires: { bar: 2 } }) },
      'dependencies["foo"].requires["bar"] must be a string, got a number',
    ],
    [
      'bundled is a string',
      { foo: reg('1.0.0', { bundled: 'true' }) },
      'dependencies["foo"].bundled must be true or false, got a string ("true")',
    ],
    [
      'a nested entry deep in the tree',
      { a: reg('1.0.0', { dependencies: { b: reg('1.0.0', { dependencies: { c: { version: false } } }) } }) },
      'dependencies["a"].dependencies["b"].dependencies["c"].version must be a string, got a boolean',
    ],
  ];
  it.each(cases)('%s', (_name, dependencies, message) => {
    expect(inputError(v1(dependencies), { 'package.json': '{}' }).message).toBe(`${FILE}: ${message}`);
  });

  it('names package.json when the root manifest is malformed', () => {
    const error = inputError(v1({}), { 'package.json': '{"dependencies": {"a": 1}}' });
    expect(error.message).toBe(
      '/project/package.json: package.json.dependencies["a"] must be a string, got a number',
    );
    expect(inputError(v1({}), { 'package.json': '{"name": ' }).message).toMatch(
      /^\/project\/package\.json:1:\d+: invalid JSON/,
    );
  });
});

describe('hostile but well-formed input', () => {
  it('treats prototype-looking names as plain names', () => {
    const graph = parseText(
      v3({
        '': { dependencies: { constructor: '1.0.0', toString: '1.0.0', hasOwnProperty: '1.0.0' } },
        'node_modules/constructor': reg('1.0.0'),
        'node_modules/toString': reg('1.0.0'),
        'node_modules/hasOwnProperty': reg('1.0.0', { dependencies: { valueOf: '1' } }),
      }),
    );
    expect([...graph.nodes.keys()].sort()).toEqual([
      '.',
      'constructor@1.0.0',
      'hasOwnProperty@1.0.0',
      'toString@1.0.0',
    ]);
    expect(graph.warnings).toEqual([
      'hasOwnProperty@1.0.0 depends on valueOf@1, which is not in the lockfile',
    ]);
    expect(({} as Record<string, unknown>).version).toBeUndefined();
  });

  it('survives links to themselves, to each other and to nowhere', () => {
    const graph = parseText(
      v3({
        '': { dependencies: { a: '*', b: '*', c: '*' } },
        'node_modules/a': { link: true, resolved: 'node_modules/a' },
        'node_modules/b': { link: true, resolved: 'node_modules/a' },
        'node_modules/c': { link: true, resolved: '../../../etc' },
      }),
    );
    expect(graph.nodes.get('../../../etc')?.source).toBe('link');
    for (const edge of graph.edges) {
      expect(graph.nodes.has(edge.from) && graph.nodes.has(edge.to)).toBe(true);
    }
  });

  it('rejects a folder entry that collides with a registry node id', () => {
    const error = inputError(v3({ '': {}, 'a@1.0.0': { version: '1.0.0' }, 'node_modules/a': reg('1.0.0') }));
    expect(error.message).toBe(
      `${FILE}: packages["node_modules/a"] and another entry both map to node "a@1.0.0"`,
    );
  });

  it('lists at most 20 missing dependencies, then a count', () => {
    const deps = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`missing-${i}`, '^1.0.0']));
    const graph = parseText(v3({ '': { dependencies: deps } }));
    expect(graph.warnings).toHaveLength(21);
    expect(graph.warnings[20]).toBe('…and 5 more dependencies not in the lockfile');
  });
});

describe('seeded mutations of fixtures', () => {
  // Replaces one value somewhere in a fixture by a value of another type. Every outcome must be
  // a sane graph or an InputError naming the file, never another exception.
  const replacements: unknown[] = [42, [], {}, null, 'x', true, '1.0.0', { version: 3 }];

  const paths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] => {
    if (value === null || typeof value !== 'object') return [prefix];
    const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
    return [
      prefix,
      ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...prefix, k])),
    ];
  };

  const setAt = (root: unknown, path: (string | number)[], value: unknown) => {
    let at = root as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
    at[path[path.length - 1]!] = value;
  };

  const sane = (graph: DependencyGraph) => {
    expect(graph.roots[0]).toBe('.');
    for (const edge of graph.edges) expect(graph.nodes.has(edge.from) && graph.nodes.has(edge.to)).toBe(true);
  };

  for (const fixture of [
    'dev-optional-peer.v2.json',
    'workspaces.v3.json',
    'nested-dependencies-dup.v1.json',
    'file-link-git.v1.json',
  ]) {
    it(fixture, () => {
      const text = readFileSync(join(TESTDATA, fixture), 'utf8');
      const all = paths(JSON.parse(text)).filter((p) => p.length > 0);
      let seed = 12345;
      const next = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed;
      };
      let rejected = 0;
      for (let round = 0; round < 250; round++) {
        const doc = JSON.parse(text);
        setAt(doc, all[next() % all.length]!, replacements[next() % replacements.length]);
        try {
          sane(parseText(JSON.stringify(doc, null, 2), { 'package.json': '{}' }));
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          expect(error.message.startsWith(`${FILE}:`)).toBe(true);
          rejected++;
        }
      }
      // Most type changes hit a field the parser validates.
      expect(rejected).toBeGreaterThan(100);
    });
  }
});
