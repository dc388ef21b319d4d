import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { yarnLockParser } from './yarn-lock.js';

const FILE = '/project/yarn.lock';
const CLASSIC = '# yarn lockfile v1\n\n\n';
const BERRY = '__metadata:\n  version: 8\n  cacheKey: 10c0\n\n';

const parseText = (content: string, siblings: Record<string, string> = {}) =>
  yarnLockParser.parse({
    path: FILE,
    content,
    readSibling: (relative) => (Object.hasOwn(siblings, relative) ? siblings[relative] : undefined),
  });

/** Runs the parser and returns the InputError message; fails the test on success or another error. */
const inputError = (content: string, siblings: Record<string, string> = {}): string => {
  try {
    parseText(content, siblings);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message.startsWith(`${FILE}`)).toBe(true);
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected an InputError');
};

describe('hostile and broken yarn.lock files', () => {
  it('classic: bad indentation names the line', () => {
    expect(inputError(`${CLASSIC}foo@^1.0.0:\n   version "1.0.0"\n`)).toMatch(
      /^\/project\/yarn\.lock:5:\d+: invalid yarn\.lock/,
    );
  });

  it('berry: bad indentation names the line', () => {
    expect(
      inputError(`${BERRY}"foo@npm:^1.0.0":\n  version: 1.0.0\n   resolution: "foo@npm:1.0.0"\n`),
    ).toMatch(/^\/project\/yarn\.lock:7:\d+: invalid yarn\.lock: bad indentation/);
  });

  it('entry without a version', () => {
    expect(
      inputError(`${CLASSIC}foo@^1.0.0:\n  resolved "https://registry.yarnpkg.com/foo/-/foo-1.0.0.tgz"\n`),
    ).toBe(`${FILE}:4: entry "foo@^1.0.0" has no version`);
    expect(inputError(`${BERRY}"foo@npm:^1.0.0":\n  resolution: "foo@npm:1.0.0"\n`)).toBe(
      `${FILE}:5: entry "foo@npm:^1.0.0" has no version`,
    );
  });

  it('non-string version', () => {
    expect(
      inputError(`${BERRY}"foo@npm:^1.0.0":\n  version:\n    major: 1\n  resolution: "foo@npm:1.0.0"\n`),
    ).toBe(`${FILE}:5: entry "foo@npm:^1.0.0" version must be a string, got an object`);
    expect(inputError(`${BERRY}"foo@npm:^1.0.0":\n  version: [1, 0]\n  resolution: "foo@npm:1.0.0"\n`)).toBe(
      `${FILE}:5: entry "foo@npm:^1.0.0" version must be a string, got an array`,
    );
  });

  it('registry version that is not semver', () => {
    expect(inputError(`${CLASSIC}foo@^1.0.0:\n  version "../../etc/passwd"\n`)).toMatch(
      /^\/project\/yarn\.lock:4: entry "foo" has version "\.\.\/\.\.\/etc\/passwd", which is not a semver version$/,
    );
  });

  it('Berry entry without a resolution, or with a nonsense one', () => {
    expect(inputError(`${BERRY}"foo@npm:^1.0.0":\n  version: 1.0.0\n`)).toBe(
      `${FILE}:5: entry "foo@npm:^1.0.0" resolution must be a string, got a undefined`,
    );
    expect(inputError(`${BERRY}"foo@npm:^1.0.0":\n  version: 1.0.0\n  resolution: "nonsense"\n`)).toBe(
      `${FILE}:5: entry "foo@npm:^1.0.0" has an invalid resolution "nonsense"`,
    );
  });

  it('entries that are not mappings, dependencies that are not strings, keys that are not descriptors', () => {
    expect(inputError(`${BERRY}"foo@npm:^1.0.0": just a string\n`)).toBe(
      `${FILE}:5: entry "foo@npm:^1.0.0" must be a mapping of fields, got a string ("just a string")`,
    );
    expect(
      inputError(
        `${BERRY}"foo@npm:^1.0.0":\n  version: 1.0.0\n  resolution: "foo@npm:1.0.0"\n  dependencies:\n    bar:\n      nested: x\n`,
      ),
    ).toBe(`${FILE}:5: entry "foo@npm:^1.0.0" dependencies.bar must be a string, got an object`);
    expect(
      inputError(
        `${BERRY}"foo@npm:^1.0.0":\n  version: 1.0.0\n  resolution: "foo@npm:1.0.0"\n  dependencies: [a]\n`,
      ),
    ).toBe(`${FILE}:5: entry "foo@npm:^1.0.0" dependencies must be a mapping, got an array`);
    expect(inputError(`${CLASSIC}nodescriptor:\n  version "1.0.0"\n`)).toBe(
      `${FILE}:4: entry "nodescriptor" has an invalid descriptor "nodescriptor"`,
    );
  });

  it('truncated files', () => {
    const classic = `${CLASSIC}foo@^1.0.0:\n  version "1.0.0"\n  resolved "https://registry.yarnpkg.com/foo/-/fo`;
    expect(inputError(classic)).toMatch(/^\/project\/yarn\.lock:6:\d+: invalid yarn\.lock/);
    // Cut right after a key: the entry has no fields at all.
    expect(inputError(`${CLASSIC}foo@^1.0.0:\n`)).toMatch(/^\/project\/yarn\.lock:4/);
    const berry = `${BERRY}"foo@npm:^1.0.0":\n  version: 1.0.0\n  resolution: "foo@npm:1.`;
    // js-yaml reports the end of the stream, on the line after the cut.
    expect(inputError(berry)).toBe(
      `${FILE}:8:1: invalid yarn.lock: unexpected end of the stream within a double quoted scalar`,
    );
  });

  it('top level that is not a mapping', () => {
    expect(inputError('__metadata:\n  version: 8\n- a\n')).toMatch(
      /^\/project\/yarn\.lock:\d+:\d+: invalid yarn\.lock/,
    );
  });

  it('__proto__ descriptors are rejected with their position', () => {
    expect(inputError(`${CLASSIC}__proto__:\n  version "1.0.0"\n`)).toBe(
      `${FILE}:4:1: contains "__proto__", which no valid yarn.lock has`,
    );
    expect(
      inputError(`${BERRY}"__proto__@npm:1.0.0":\n  version: 1.0.0\n  resolution: "x@npm:1.0.0"\n`),
    ).toBe(`${FILE}:5:2: contains "__proto__", which no valid yarn.lock has`);
    expect(inputError(`${CLASSIC}foo@^1.0.0:\n  version "1.0.0"\n  dependencies:\n    __proto__ "1"\n`)).toBe(
      `${FILE}:7:5: contains "__proto__", which no valid yarn.lock has`,
    );
    expect(({} as Record<string, unknown>).version).toBeUndefined();
  });

  it('constructor and toString keys are plain data', () => {
    const graph = parseText(
      `${CLASSIC}constructor@^1.0.0:\n  version "1.0.0"\n  dependencies:\n    toString "^2.0.0"\n\ntoString@^2.0.0:\n  version "2.0.0"\n`,
      { 'package.json': '{"dependencies":{"constructor":"^1.0.0"}}' },
    );
    expect([...graph.nodes.keys()].sort()).toEqual(['.', 'constructor@1.0.0', 'toString@2.0.0']);
    expect(graph.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual([
      '.>constructor@1.0.0',
      'constructor@1.0.0>toString@2.0.0',
    ]);
  });

  it('deep nesting fails fast and clearly', () => {
    const classic = CLASSIC + Array.from({ length: 5000 }, (_, i) => `${'  '.repeat(i)}a:\n`).join('');
    // Line 13 holds the first key indented by 18 spaces (the header takes lines 1-3).
    expect(inputError(classic)).toBe(`${FILE}:13:1: indented deeper than any yarn.lock entry`);
    const berry = `__metadata: ${'['.repeat(100_000)}`;
    expect(inputError(berry)).toMatch(/^\/project\/yarn\.lock:1:\d+: invalid yarn\.lock: nesting exceeded/);
  });

  it('YAML tags and anchors are not code', () => {
    expect(inputError(`${BERRY}"foo@npm:^1.0.0": !!js/function "function () {}"\n`)).toMatch(/unknown tag/);
  });

  it('a broken package.json is an InputError naming that file', () => {
    const content = `${CLASSIC}foo@^1.0.0:\n  version "1.0.0"\n`;
    expect(() => parseText(content, { 'package.json': '{"dependencies": ' })).toThrow(
      /^\/project\/package\.json:1:\d+: invalid JSON/,
    );
    expect(() => parseText(content, { 'package.json': '{"dependencies": {"foo": 1}}' })).toThrow(
      '/project/package.json: dependencies.foo must be a string, got a number',
    );
    expect(() => parseText(content, { 'package.json': '{"__proto__": {}}' })).toThrow(InputError);
  });

  it('parses classic lockfiles beyond the grammar’s spread limit (about 120,000 entries)', () => {
    const count = 150_000;
    const body = Array.from({ length: count }, (_, i) => `p${i}@^1.0.0:\n  version "1.0.0"\n`).join('\n');
    const graph = parseText(CLASSIC + body);
    expect(graph.nodes.size).toBe(count + 1);
  });

  it('reports the right line for an error in a later chunk', () => {
    const body = Array.from({ length: 45_000 }, (_, i) => `p${i}@^1.0.0:\n  version "1.0.0"\n`).join('\n');
    const before = `${CLASSIC}${body}\nlast@^1.0.0:\n`;
    const line = before.split('\n').length;
    expect(inputError(`${before}   version "1.0.0"\n`)).toMatch(
      new RegExp(`^/project/yarn\\.lock:${line}:4: invalid yarn\\.lock`),
    );
  });
});

describe('entries that pretend to be something else', () => {
  it('a classic workspace: entry is a local link, not a second root', () => {
    const graph = parseText(`${CLASSIC}"foo@workspace:.":\n  version "1.0.0"\n`);
    expect(graph.roots).toEqual(['.']);
    expect(graph.nodes.get('.')?.source).toBe('root');
    expect(graph.nodes.get('foo@workspace:.')?.source).toBe('link');
  });

  it('a Berry workspace declared twice is an InputError', () => {
    const entry = (key: string) =>
      `"${key}":\n  version: 0.0.0-use.local\n  resolution: "a@workspace:packages/a"\n  languageName: unknown\n  linkType: soft\n\n`;
    expect(inputError(`${BERRY}${entry('a@workspace:packages/a')}${entry('b@workspace:packages/b')}`)).toBe(
      `${FILE}:11: workspace "packages/a" is declared twice`,
    );
  });
});
