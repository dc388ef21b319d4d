import { POPULAR_PACKAGE_NAMES } from '../data/popular-packages.js';

/** How a name imitates a popular one. */
export type TyposquatKind =
  | 'separator' // `lodash_debounce`, `proptypes`
  | 'scope' // `types-node`, `@types-node` for `@types/node`
  | 'affix' // `chalk-js`, `node-chalk`, `bignumber` for `bignumber.js`
  | 'number-suffix' // `typescript3`
  | 'homoglyph' // `rnocha` (rn→m), `l0dash`
  | 'transposition' // `strip-nasi`
  | 'edit-distance' // `chal`, `debuug`, `jsnwebtokn`
  | 'brand'; // `plain-crypto-js`, `lodash-utils`: a generic word beside the name (weakest)

export type TyposquatMatch = {
  name: string;
  /** The popular package the name imitates. */
  target: string;
  kind: TyposquatKind;
  /** Edits between the compared forms (0 for separator, scope, affix and homoglyph look-alikes). */
  distance: number;
  /** Popularity rank of the target in the reference list, 1 = most popular. */
  targetRank: number;
};

export type PopularIndex = {
  names: ReadonlySet<string>;
  rank: ReadonlyMap<string, number>;
  /** Separator-free form → popular names having it. */
  byFolded: ReadonlyMap<string, string[]>;
  /** Entries by separator-free length, so a check only compares names of near length. */
  byLength: ReadonlyMap<number, readonly PopularEntry[]>;
};

type PopularEntry = { name: string; folded: string; rank: number };

/**
 * Legitimate packages that sit next to a popular name by construction or by history. Pairs are
 * unordered: neither name is reported against the other.
 */
const KNOWN_NEIGHBOUR_PAIRS: readonly [string, string][] = [
  ['preact', 'react'],
  ['chai', 'chalk'],
  ['yarn', 'yaml'],
  ['vite', 'vitest'],
  ['pnpm', 'npm'],
  // Measured collisions inside the popular list itself (each also popular).
  ['safe-buffer', 'safer-buffer'],
  ['http-proxy-agent', 'https-proxy-agent'],
  ['source-map', 'source-map-js'],
  ['js-yaml', 'yaml'],
  ['micromatch', 'picomatch'],
  ['is-glob', 'dir-glob'],
  ['get-proto', 'set-proto'],
  ['axios', 'gaxios'],
  ['object-assign', 'object.assign'],
  ['call-bind', 'call-bound'],
  ['csstype', 'cssstyle'],
  ['levn', 'leven'],
  ['word-wrap', 'wordwrap'],
  ['es-module-lexer', 'cjs-module-lexer'],
  ['tmp', 'tmpl'],
  ['is-weakref', 'is-weakset'],
  ['xtend', 'extend'],
  ['dedent', 'redent'],
  ['through', 'through2'],
  ['babel-plugin-polyfill-corejs2', 'babel-plugin-polyfill-corejs3'],
  ['make-error', 'makeerror'],
  // A `brand` match inside the list: jest's own helpers.
  ['jest-util', 'jest'],
];

export const KNOWN_NEIGHBOURS: ReadonlySet<string> = new Set(
  KNOWN_NEIGHBOUR_PAIRS.flatMap(([a, b]) => [`${a}→${b}`, `${b}→${a}`]),
);

const MIN_TARGET_LENGTH = 4;
/** Targets this long (separator-free) also match at two edits. */
const LONG_NAME = 7;
const SEPARATORS = /[-_.]/g;
const PREFIXES = ['node-', 'js-', 'npm-'];
const SUFFIXES = ['-js', '.js', 'js', '-node', '-npm', '-lib', '-pkg', '-package', '-dev'];
/**
 * Generic words squatters put beside a brand (`plain-crypto-js`, `lodash-utils`, `secure-axios`).
 * Words owners use for their own satellites (`-core`, `-cli`, `-plugin`, `-types`, `-config`) are
 * left out: `jest-util` or `eslint-utils` next to their brand is the norm, so a `brand` match is
 * graded below an edit-distance one.
 */
const BRAND_PREFIXES = new Set([
  'plain',
  'simple',
  'easy',
  'secure',
  'super',
  'real',
  'pure',
  'official',
  'original',
  'free',
  'my',
]);
const BRAND_SUFFIXES = new Set([
  'utils',
  'util',
  'helper',
  'helpers',
  'tools',
  'toolkit',
  'plus',
  'pro',
  'extra',
  'lite',
  'secure',
  'official',
  'latest',
  'fixed',
  'patched',
]);
/**
 * Brands malware imitates that sit outside the top-1,000 by downloads (crypto and wallet
 * libraries: axios's `plain-crypto-js`, catalog §2.26); matched only as `brand`.
 */
const SQUATTED_BRANDS: ReadonlySet<string> = new Set(['crypto-js', 'ethers', 'web3', '@solana/web3.js']);

const HOMOGLYPHS: readonly [RegExp, string][] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
  [/1/g, 'l'],
  [/0/g, 'o'],
  [/5/g, 's'],
  [/3/g, 'e'],
];

/** Lowercased, scope punctuation and separators removed: `@types/node` → `typesnode`. */
export const foldName = (name: string): string =>
  name.toLowerCase().replace(/[@/]/g, '').replace(SEPARATORS, '');

export const buildPopularIndex = (names: Iterable<string>): PopularIndex => {
  const entries: PopularEntry[] = [];
  const rank = new Map<string, number>();
  const byFolded = new Map<string, string[]>();
  for (const name of names) {
    if (rank.has(name)) continue;
    const entry = { name, folded: foldName(name), rank: entries.length + 1 };
    entries.push(entry);
    rank.set(name, entry.rank);
    const same = byFolded.get(entry.folded);
    if (same) same.push(name);
    else byFolded.set(entry.folded, [name]);
  }
  const byLength = new Map<number, PopularEntry[]>();
  for (const entry of entries) {
    const same = byLength.get(entry.folded.length);
    if (same) same.push(entry);
    else byLength.set(entry.folded.length, [entry]);
  }
  return { names: new Set(rank.keys()), rank, byFolded, byLength };
};

let defaultIndex: PopularIndex | undefined;

/** The index of the bundled popular-package list (src/analysis/data). */
export const popularIndex = (): PopularIndex => {
  defaultIndex ??= buildPopularIndex(POPULAR_PACKAGE_NAMES);
  return defaultIndex;
};

/**
 * Whether `name` imitates a popular package. A popular package itself is never a typosquat, and
 * neither is a pair in KNOWN_NEIGHBOURS. Returns the most convincing match: look-alikes (separator,
 * scope, homoglyph, affix, number) before edits, fewer edits first, then the more popular target.
 */
export const checkTyposquat = (
  name: string,
  index: PopularIndex = popularIndex(),
  knownNeighbours: ReadonlySet<string> = KNOWN_NEIGHBOURS,
): TyposquatMatch | undefined => {
  const lower = name.toLowerCase();
  if (index.names.has(name) || index.names.has(lower)) return undefined;
  const folded = foldName(lower);
  if (folded.length < 3) return undefined;

  const scope = scopeOf(lower);
  const candidates: TyposquatMatch[] = [];
  const add = (target: string, kind: TyposquatKind, distance: number) => {
    if (target === lower || knownNeighbours.has(`${lower}→${target}`)) return;
    // A scope has one owner: a sibling in the same scope is that owner's package, not a squat.
    if (scope !== undefined && scopeOf(target) === scope) return;
    candidates.push({ name, target, kind, distance, targetRank: index.rank.get(target) ?? 0 });
  };

  for (const target of index.byFolded.get(folded) ?? []) {
    add(target, isScopeConfusion(lower, target) ? 'scope' : 'separator', 0);
  }
  for (const target of affixTargets(lower, index)) add(target, 'affix', 0);
  const numberless = lower.replace(/[-_.]?\d+$/, '');
  if (numberless !== lower && numberless.length >= MIN_TARGET_LENGTH && index.names.has(numberless)) {
    add(numberless, 'number-suffix', 0);
  }
  const deglyphed = HOMOGLYPHS.reduce((text, [from, to]) => text.replace(from, to), folded);
  if (deglyphed !== folded) {
    for (const target of index.byFolded.get(deglyphed) ?? []) add(target, 'homoglyph', 0);
  }
  if (candidates.length === 0) {
    const near = [-2, -1, 0, 1, 2].flatMap((delta) => index.byLength.get(folded.length + delta) ?? []);
    for (const entry of near) {
      if (entry.folded.length < MIN_TARGET_LENGTH) continue;
      if (scope !== undefined && scopeOf(entry.name) === scope) continue;
      const limit = entry.folded.length >= LONG_NAME ? 2 : 1;
      if (Math.abs(entry.folded.length - folded.length) > limit) continue;
      const edits = osaDistance(folded, entry.folded, limit);
      if (edits === 0 || edits > limit) continue;
      // Folding hides structure: `type-fest` and `@types/jest` fold two edits apart but look nothing alike.
      if (osaDistance(lower, entry.name, limit + 1) > (edits === 1 ? limit + 1 : limit)) continue;
      if (differsByWholeToken(lower, entry.name) || rewritesOneToken(lower, entry.name)) continue;
      add(entry.name, edits === 1 && isSwap(folded, entry.folded) ? 'transposition' : 'edit-distance', edits);
    }
  }
  if (candidates.length === 0 && scope === undefined) {
    const target = brandTarget(lower, index);
    if (target !== undefined) add(target, 'brand', 0);
  }
  candidates.sort(
    (a, b) => kindOrder(a.kind) - kindOrder(b.kind) || a.distance - b.distance || a.targetRank - b.targetRank,
  );
  return candidates[0];
};

const scopeOf = (name: string): string | undefined =>
  name.startsWith('@') && name.includes('/') ? name.slice(0, name.indexOf('/')) : undefined;

const tokensOf = (name: string): string[] => name.split(/[-_./@]+/).filter((token) => token !== '');

/**
 * `is-buffer`/`buffer`, `read-pkg-up`/`read-pkg`, `through2`/`through`: adding a whole word is how
 * npm names related packages, not how typos look.
 */
const differsByWholeToken = (a: string, b: string): boolean => {
  const [short, long] = a.length <= b.length ? [tokensOf(a), tokensOf(b)] : [tokensOf(b), tokensOf(a)];
  if (long.length !== short.length + 1) return false;
  for (let skip = 0; skip < long.length; skip++) {
    // A one-letter word is a typo at the end (`prettier-s`) but a naming convention in front (`p-retry`).
    if (
      (long[skip]!.length >= 2 || skip === 0) &&
      long.every((_, i) => i === skip || long[i] === short[i < skip ? i : i - 1])
    ) {
      return true;
    }
  }
  return false;
};

/**
 * `lz-string`/`is-string`, `bare-stream`/`tar-stream`, `ip-regex`/`is-regex`: one word of a
 * multi-word name replaced by a different word. A typo keeps most of the word, or drops letters
 * from it (`oug-cookie` for `tough-cookie`).
 */
const rewritesOneToken = (a: string, b: string): boolean => {
  const left = tokensOf(a);
  const right = tokensOf(b);
  if (left.length < 2 || left.length !== right.length) return false;
  const differing = left.flatMap((token, i) => (token === right[i] ? [] : [[token, right[i]!] as const]));
  if (differing.length !== 1) return false;
  const [x, y] = differing[0]!;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return osaDistance(x, y) >= Math.ceil(short.length / 2) && !isSubsequence(short, long);
};

const isSubsequence = (short: string, long: string): boolean => {
  let at = 0;
  for (const ch of long) if (ch === short[at]) at++;
  return at === short.length;
};

const kindOrder = (kind: TyposquatKind): number =>
  kind === 'brand' ? 2 : kind === 'edit-distance' || kind === 'transposition' ? 1 : 0;

/** The brand a generic first or last word is added to: `plain-crypto-js` → `crypto-js`. */
const brandTarget = (name: string, index: PopularIndex): string | undefined => {
  const words = name.split('-');
  if (words.length < 2) return undefined;
  const known = (base: string) =>
    base.length >= MIN_TARGET_LENGTH && (index.names.has(base) || SQUATTED_BRANDS.has(base));
  const withoutFirst = words.slice(1).join('-');
  if (BRAND_PREFIXES.has(words[0]!) && known(withoutFirst)) return withoutFirst;
  const withoutLast = words.slice(0, -1).join('-');
  if (BRAND_SUFFIXES.has(words.at(-1)!) && known(withoutLast)) return withoutLast;
  return undefined;
};

const isScopeConfusion = (name: string, target: string): boolean =>
  name.startsWith('@') !== target.startsWith('@') || name.includes('/') !== target.includes('/');

/** `chalk-js`, `node-chalk`, `chalkjs` → chalk; `bignumber` → `bignumber.js`. */
const affixTargets = (name: string, index: PopularIndex): string[] => {
  const out: string[] = [];
  const consider = (base: string) => {
    if (base.length >= MIN_TARGET_LENGTH && index.names.has(base)) out.push(base);
  };
  for (const prefix of PREFIXES) if (name.startsWith(prefix)) consider(name.slice(prefix.length));
  for (const suffix of SUFFIXES) if (name.endsWith(suffix)) consider(name.slice(0, -suffix.length));
  for (const suffix of ['.js', '-js', 'js']) consider(`${name}${suffix}`);
  for (const prefix of PREFIXES) consider(`${prefix}${name}`);
  return out;
};

const isSwap = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length && diff.length <= 2; i++) if (a[i] !== b[i]) diff.push(i);
  return (
    diff.length === 2 &&
    diff[1] === diff[0]! + 1 &&
    a[diff[0]!] === b[diff[1]!] &&
    a[diff[1]!] === b[diff[0]!]
  );
};

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition), giving up early once
 * every cell of a row exceeds `limit`.
 */
export const osaDistance = (a: string, b: string, limit = Number.POSITIVE_INFINITY): number => {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  let prevPrev = new Int32Array(width);
  let prev = new Int32Array(width);
  let row = new Int32Array(width);
  for (let j = 0; j < width; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, prevPrev[j - 2]! + 1);
      }
      row[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [prevPrev, prev, row] = [prev, row, prevPrev];
  }
  return prev[b.length]!;
};
