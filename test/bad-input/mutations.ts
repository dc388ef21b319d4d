/**
 * Deterministic mutations of real lockfiles, for the hostile-input test. Each mutation is a
 * textual edit aimed at one way real parsers break: truncation, bad bytes, wrong types, prototype
 * keys, deep nesting, bad versions, size, emptiness, binary content.
 */

export type LockfileFamily = 'npm-json' | 'bun-jsonc' | 'pnpm-yaml' | 'yarn-v1' | 'yarn-berry';

export type Mutation = {
  name: string;
  /** Returns the mutated bytes; throws when the mutation does not apply to this file (a test bug). */
  apply: (original: Buffer) => Buffer;
  /** The mutated value would be huge: write it by streaming instead (see `padBytes`). */
  padBytes?: number;
};

/** mulberry32: small, seedable, good enough to pick offsets. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export const seedOf = (text: string): number => {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
};

const DEEP = 10_000;
const deepArray = '['.repeat(DEEP) + ']'.repeat(DEEP);
const deepJsonObject = `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`;

/** Replaces the `pick`-th match (0-based, modulo the match count) of `pattern` using `replace`. */
const replaceMatch = (
  text: string,
  pattern: RegExp,
  pick: number,
  replace: (match: RegExpExecArray) => string,
): string => {
  const matches = [...text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))];
  if (matches.length === 0) throw new Error(`mutation does not apply: no match for ${pattern}`);
  const match = matches[pick % matches.length]! as RegExpExecArray;
  return text.slice(0, match.index) + replace(match) + text.slice(match.index + match[0].length);
};

const insertAfter = (text: string, pattern: RegExp, insertion: string): string =>
  replaceMatch(text, pattern, 0, (match) => match[0] + insertion);

type TextRule = { name: string; edit: (text: string, pick: number) => string };

/** A value that is a version string, per family, with its replacement rendered by `render`. */
const versionRules = (
  family: LockfileFamily,
): ((text: string, pick: number, render: (v: string) => string) => string) => {
  switch (family) {
    case 'npm-json':
      // Skip the first two matches: the root's own version fields.
      return (text, pick, render) =>
        replaceMatch(text, /"version":\s*"(\d[^"]*)"/, pick + 2, (m) => `"version": ${render(m[1]!)}`);
    case 'bun-jsonc':
      return (text, pick, render) =>
        replaceMatch(
          text,
          /\[\s*"((?:@[^/"]+\/)?[^@"]+)@(\d[^"]*)"/,
          pick,
          (m) => `[${render(`${m[1]}@${m[2]}`)}`,
        );
    case 'pnpm-yaml':
      return (text, pick, render) =>
        replaceMatch(text, /^( +version: )(\d\S*)$/m, pick, (m) => `${m[1]}${render(m[2]!)}`);
    case 'yarn-v1':
      return (text, pick, render) =>
        replaceMatch(text, /^( {2}version )"(\d[^"]*)"$/m, pick, (m) => `${m[1]}${render(m[2]!)}`);
    case 'yarn-berry':
      return (text, pick, render) =>
        replaceMatch(text, /^( {2}version: )(\d\S*)$/m, pick, (m) => `${m[1]}${render(m[2]!)}`);
  }
};

const isJson = (family: LockfileFamily) => family === 'npm-json' || family === 'bun-jsonc';

const wrongTypeRules = (family: LockfileFamily): TextRule[] => {
  const version = versionRules(family);
  const json = isJson(family);
  const rules: TextRule[] = [
    { name: 'version → number', edit: (t, p) => version(t, p, () => '123') },
    { name: 'version → array', edit: (t, p) => version(t, p, (v) => (json ? `["${v}"]` : `[${v}]`)) },
    {
      name: 'version → object',
      edit: (t, p) => version(t, p, (v) => (json ? `{"v": "${v}"}` : `{v: ${v}}`)),
    },
    { name: 'version → null', edit: (t, p) => version(t, p, () => 'null') },
  ];
  if (family === 'yarn-v1') {
    // yarn v1 has no flow collections; a nested block is its way of writing an object.
    rules[1] = { name: 'version → true', edit: (t, p) => version(t, p, () => 'true') };
    rules[2] = { name: 'version → block', edit: (t, p) => version(t, p, (v) => `\n    nested "${v}"`) };
  }
  rules.push({
    name: 'dependencies map → string',
    edit: (t, p) => {
      switch (family) {
        case 'npm-json':
        case 'bun-jsonc':
          return replaceMatch(
            t,
            /"dependencies":\s*\{/,
            p,
            () => '"dependencies": "oops", "x-dependencies": {',
          );
        case 'pnpm-yaml':
          return replaceMatch(
            t,
            /^( +)dependencies:$/m,
            p,
            (m) => `${m[1]}dependencies: oops\n${m[1]}x-dependencies:`,
          );
        case 'yarn-v1':
          return replaceMatch(t, /^ {2}dependencies:$/m, p, () => '  dependencies "oops"\n  x-dependencies:');
        case 'yarn-berry':
          return replaceMatch(t, /^ {2}dependencies:$/m, p, () => '  dependencies: oops\n  x-dependencies:');
      }
    },
  });
  return rules;
};

const protoRules = (family: LockfileFamily): TextRule[] => {
  switch (family) {
    case 'npm-json':
      return [
        {
          name: '__proto__ package entry',
          edit: (t) =>
            /"packages":\s*\{/.test(t)
              ? insertAfter(t, /"packages":\s*\{/, '"__proto__": {"version": "1.0.0", "polluted": true}, ')
              : insertAfter(
                  t,
                  /"dependencies":\s*\{/,
                  '"__proto__": {"version": "1.0.0", "polluted": true}, ',
                ),
        },
        {
          name: '__proto__ dependency name',
          edit: (t, p) => replaceMatch(t, /"dependencies":\s*\{/, p, (m) => `${m[0]}"__proto__": "1.0.0", `),
        },
      ];
    case 'bun-jsonc':
      return [
        {
          name: '__proto__ package entry',
          edit: (t) =>
            insertAfter(t, /"packages":\s*\{/, '"__proto__": ["__proto__@1.0.0", "", {}, "sha512-AAAA"], '),
        },
        {
          name: '__proto__ dependency name',
          edit: (t, p) => replaceMatch(t, /"dependencies":\s*\{/, p, (m) => `${m[0]}"__proto__": "1.0.0", `),
        },
      ];
    case 'pnpm-yaml':
      return [
        {
          name: '__proto__ package entry',
          edit: (t) =>
            insertAfter(
              t,
              /^packages:\n\n?/m,
              '  __proto__@1.0.0:\n    resolution: {integrity: sha512-AAAA}\n\n',
            ),
        },
        {
          name: '__proto__ dependency name',
          edit: (t) =>
            insertAfter(
              t,
              /^ {4}dependencies:\n/m,
              '      __proto__:\n        specifier: ^1.0.0\n        version: 1.0.0\n',
            ),
        },
      ];
    case 'yarn-v1':
      return [
        {
          name: '__proto__ package entry',
          edit: (t) =>
            `${t}\n"__proto__@^1.0.0":\n  version "1.0.0"\n  resolved "https://registry.yarnpkg.com/__proto__/-/__proto__-1.0.0.tgz"\n`,
        },
        {
          name: '__proto__ dependency name',
          edit: (t) => insertAfter(t, /^ {2}dependencies:\n/m, '    __proto__ "^1.0.0"\n'),
        },
      ];
    case 'yarn-berry':
      return [
        {
          name: '__proto__ package entry',
          edit: (t) =>
            `${t}\n"__proto__@npm:^1.0.0":\n  version: 1.0.0\n  resolution: "__proto__@npm:1.0.0"\n  languageName: node\n  linkType: hard\n`,
        },
        {
          name: '__proto__ dependency name',
          edit: (t) => insertAfter(t, /^ {2}dependencies:\n/m, '    __proto__: "npm:^1.0.0"\n'),
        },
      ];
  }
};

const nestingRules = (family: LockfileFamily): TextRule[] => {
  const version = versionRules(family);
  const rules: TextRule[] = [
    { name: 'deep array nesting (10,000)', edit: (t, p) => version(t, p, () => deepArray) },
  ];
  if (isJson(family))
    rules.push({ name: 'deep object nesting (10,000)', edit: (t, p) => version(t, p, () => deepJsonObject) });
  if (family === 'yarn-v1' || family === 'yarn-berry' || family === 'pnpm-yaml') {
    // Block nesting by indentation; 2,000 levels keeps the file at a few MB (indentation grows quadratically).
    const levels = 2_000;
    let block = '';
    for (let i = 0; i < levels; i++) block += `${' '.repeat(i + 1)}k${i}${family === 'yarn-v1' ? '' : ':'}\n`;
    rules.push({
      name: 'deep block nesting (2,000)',
      edit: (t) => `${t}\n"deep@${family === 'yarn-berry' ? 'npm:' : ''}^1.0.0":\n${block}`,
    });
  }
  return rules;
};

const nonSemverRule = (family: LockfileFamily): TextRule => {
  const version = versionRules(family);
  const json = isJson(family);
  return {
    name: 'non-semver registry version',
    edit: (t, p) =>
      version(t, p, (v) => {
        if (family === 'bun-jsonc') return `"${v.slice(0, v.lastIndexOf('@'))}@not-a-version"`;
        return json || family === 'yarn-v1' ? '"not-a-version"' : 'not-a-version';
      }),
  };
};

/** Every mutation for one lockfile, deterministic for a given seed. */
export const mutationsFor = (family: LockfileFamily, seed: number, length: number): Mutation[] => {
  const random = seededRandom(seed);
  const pickIndex = () => Math.floor(random() * 1000);
  const offset = () => 1 + Math.floor(random() * (length - 2));
  const text = (rule: TextRule): Mutation => {
    const pick = pickIndex();
    return {
      name: `${rule.name} (#${pick})`,
      apply: (bytes) => Buffer.from(rule.edit(bytes.toString('utf8'), pick)),
    };
  };
  const truncations = [1, 10, Math.floor(length / 2), offset(), offset(), offset(), length - 1];
  const flips = [offset(), offset()];
  const binary = Buffer.alloc(4096);
  for (let i = 0; i < binary.length; i++) binary[i] = Math.floor(random() * 256);
  return [
    { name: 'unchanged', apply: (bytes) => bytes },
    ...truncations.map((at) => ({
      name: `truncated at byte ${at}`,
      apply: (bytes: Buffer) => bytes.subarray(0, at),
    })),
    ...flips.map((at) => ({
      name: `byte ${at} → 0xFF (invalid UTF-8)`,
      apply: (bytes: Buffer) => {
        const copy = Buffer.from(bytes);
        copy[at] = 0xff;
        return copy;
      },
    })),
    {
      name: 'lone UTF-8 lead byte before a newline',
      apply: (bytes) => {
        const at = bytes.indexOf(10, Math.floor(bytes.length / 3));
        return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xc3]), bytes.subarray(at)]);
      },
    },
    ...wrongTypeRules(family).map(text),
    ...protoRules(family).map(text),
    ...nestingRules(family).map(text),
    text(nonSemverRule(family)),
    { name: '70 MB file', apply: (bytes) => bytes, padBytes: 70 * 1024 * 1024 },
    { name: 'empty file', apply: () => Buffer.alloc(0) },
    { name: 'random binary (4 KiB)', apply: () => binary },
    { name: 'NUL bytes (4 KiB)', apply: () => Buffer.alloc(4096) },
  ];
};
