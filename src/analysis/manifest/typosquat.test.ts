import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRegistryNode } from '../../core/graph.js';
import { chooseParser } from '../../lockfile/index.js';
import { POPULAR_PACKAGE_NAMES } from '../data/popular-packages.js';
import {
  buildPopularIndex,
  checkTyposquat,
  KNOWN_NEIGHBOURS,
  osaDistance,
  popularIndex,
} from './typosquat.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../../..');

describe('osaDistance', () => {
  it('counts substitutions, insertions, deletions and adjacent swaps', () => {
    expect(osaDistance('chalk', 'chalk')).toBe(0);
    expect(osaDistance('chal', 'chalk')).toBe(1);
    expect(osaDistance('debuug', 'debug')).toBe(1);
    expect(osaDistance('stripnasi', 'stripansi')).toBe(1);
    expect(osaDistance('jsnwebtokn', 'jsonwebtoken')).toBe(2);
    expect(osaDistance('', 'abc')).toBe(3);
  });

  it('gives up past the limit', () => {
    expect(osaDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
  });
});

describe('checkTyposquat', () => {
  const cases: [string, string, string][] = [
    ['chal', 'chalk', 'edit-distance'],
    ['strip-nasi', 'strip-ansi', 'transposition'],
    ['lodash_debounce', 'lodash.debounce', 'separator'],
    ['types-node', '@types/node', 'scope'],
    ['@types-node', '@types/node', 'scope'],
    ['typesnode', '@types/node', 'scope'],
    ['chalk-js', 'chalk', 'affix'],
    ['node-chalk', 'chalk', 'affix'],
    ['typescript3', 'typescript', 'number-suffix'],
    ['typescript-52', 'typescript', 'number-suffix'],
    ['l0dash', 'lodash', 'homoglyph'],
    ['rnime-types', 'mime-types', 'homoglyph'],
    ['jsnwebtokn', 'jsonwebtoken', 'edit-distance'],
    ['@opentelemetrya/api', '@opentelemetry/api', 'edit-distance'],
    ['plain-crypto-js', 'crypto-js', 'brand'],
    ['lodash-utils', 'lodash', 'brand'],
    ['secure-axios', 'axios', 'brand'],
    ['express-helpers', 'express', 'brand'],
  ];
  it.each(cases)('%s imitates %s (%s)', (name, target, kind) => {
    expect(checkTyposquat(name)).toMatchObject({ name, target, kind });
  });

  it('never flags a popular package or its known neighbours', () => {
    for (const name of ['react', 'react-dom', 'chalk', '@types/node', 'safe-buffer', 'js-yaml']) {
      expect(checkTyposquat(name)).toBeUndefined();
    }
    for (const name of ['preact', 'chai', 'yarn']) expect(checkTyposquat(name)).toBeUndefined();
  });

  it('leaves unrelated and same-scope names alone', () => {
    for (const name of [
      'left-pad-ng',
      'bulwark',
      'my-internal-tool',
      '@types/bulwark',
      '@babel/plugin-x-y',
      // Generic words owners use for their own satellites, or a brand inside a scope.
      'lodash-core',
      'express-cli',
      '@acme/plain-axios',
      'plain-text',
    ]) {
      expect(checkTyposquat(name)).toBeUndefined();
    }
  });

  it('handles hostile names without throwing', () => {
    for (const name of ['', '__proto__', 'constructor', 'x'.repeat(10_000), '@/', '\u0000']) {
      expect(() => checkTyposquat(name)).not.toThrow();
    }
  });
});

/** Checks each popular name against the other 999: what a legitimate popular neighbour would suffer. */
const leaveOneOutHits = (ignoreKnownNeighbours: boolean): string[] => {
  const hits: string[] = [];
  for (const name of POPULAR_PACKAGE_NAMES) {
    const index = buildPopularIndex(POPULAR_PACKAGE_NAMES.filter((other) => other !== name));
    const match = checkTyposquat(name, index, ignoreKnownNeighbours ? KNOWN_NEIGHBOURS : new Set());
    if (match) hits.push(`${name}→${match.target}`);
  }
  return hits;
};

describe('false positives on the popular list itself', () => {
  it('flags few popular names against the others by rules alone, and none once known pairs are listed', () => {
    const ruleHits = leaveOneOutHits(false);
    console.log(`leave-one-out: ${ruleHits.length} of ${POPULAR_PACKAGE_NAMES.length}`);
    // Measured 2026-11-28: 35 of 1,000 by rules alone (real sibling pairs such as
    // safe-buffer/safer-buffer, xtend/extend, micromatch/picomatch); KNOWN_NEIGHBOURS names them.
    // `brand` matches added one (jest-util → jest); in the lockfile corpora below they add two
    // (eslint-utils, natural-compare-lite), which the typosquat rule grades low.
    expect(ruleHits.length).toBeLessThanOrEqual(36);
    expect(leaveOneOutHits(true)).toEqual([]);
  });

  it('flags few of the thousands of legitimate names in the real lockfile corpora', () => {
    const names = new Set<string>();
    const root = join(repo, 'testdata/lockfiles');
    for (const project of readdirSync(root, { withFileTypes: true })) {
      if (!project.isDirectory()) continue;
      const dir = join(root, project.name);
      for (const file of readdirSync(dir)) {
        if (file === 'package.json') continue;
        const path = join(dir, file);
        const content = readFileSync(path, 'utf8');
        const graph = chooseParser(path, content).parser.parse({
          path,
          content,
          readSibling: (relative) =>
            existsSync(join(dir, relative)) ? readFileSync(join(dir, relative), 'utf8') : undefined,
        });
        for (const node of graph.nodes.values()) if (isRegistryNode(node)) names.add(node.name);
      }
    }
    const popular = popularIndex().names;
    const checked = [...names].filter((name) => !popular.has(name));
    const flagged = checked.filter((name) => checkTyposquat(name) !== undefined);
    console.log(
      `lockfile corpora: ${flagged.length} of ${checked.length} non-popular names flagged`,
      flagged,
    );
    expect(checked.length).toBeGreaterThan(1000);
    expect(flagged.length / checked.length).toBeLessThanOrEqual(0.05);
  });
});

describe('recall on real typosquats from OSV MAL records', () => {
  type Label = { name: string; target: string; record: string };
  const labels = JSON.parse(readFileSync(join(here, 'testdata/mal-typosquats.json'), 'utf8')) as Label[];

  it('labels come from real records in testdata/osv/npm', () => {
    for (const label of labels) {
      const record = JSON.parse(readFileSync(join(repo, 'testdata/osv/npm', `${label.record}.json`), 'utf8'));
      expect(JSON.stringify(record.affected)).toContain(`"name":"${label.name}"`);
      expect(popularIndex().names.has(label.target)).toBe(true);
    }
  });

  it('names the imitated package for nearly all of them', () => {
    const missed = labels.filter((label) => checkTyposquat(label.name)?.target !== label.target);
    console.log(`MAL typosquat recall: ${labels.length - missed.length}/${labels.length}`, missed);
    // Measured: 57/58 since `brand` matches found lodash-utils; the miss is lodasher (a suffix
    // glued to lodash).
    expect(labels.length - missed.length).toBeGreaterThanOrEqual(57);
  });
});
