import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from './index.js';

const RULES_DIR = new URL('.', import.meta.url).pathname;
const DOCS_INDEX = join(RULES_DIR, '../../docs/rules/README.md');
const HEADINGS = ['## What it detects', '## Why it matters', '## Known false positives', '## References'];

const ruleFolders = readdirSync(RULES_DIR).filter((name) => statSync(join(RULES_DIR, name)).isDirectory());
const samplesIn = (folder: string): string[] =>
  existsSync(folder) ? readdirSync(folder).filter((name) => !name.startsWith('.')) : [];

describe('rule registry', () => {
  it('registers every rule folder, and every registered rule has a folder named after its id', () => {
    expect([...RULES.map((rule) => rule.id)].sort()).toEqual([...ruleFolders].sort());
  });

  it('has unique ids', () => {
    expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length);
  });

  it('lists every rule in docs/rules/README.md', () => {
    const index = readFileSync(DOCS_INDEX, 'utf8');
    for (const rule of RULES) expect(index, rule.id).toContain(`[${rule.id}]`);
  });
});

describe.each(RULES.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
  const folder = join(RULES_DIR, id);

  it('has a <id>.ts, <id>.test.ts and <id>.md', () => {
    for (const file of [`${id}.ts`, `${id}.test.ts`, `${id}.md`])
      expect(existsSync(join(folder, file)), file).toBe(true);
  });

  it('documents what it detects, why, false positives and references', () => {
    const doc = readFileSync(join(folder, `${id}.md`), 'utf8');
    expect(doc.startsWith(`# ${id}\n`)).toBe(true);
    for (const heading of HEADINGS) expect(doc, heading).toContain(`\n${heading}\n`);
  });

  it('has well-formed meta', () => {
    expect(rule.meta.description.length).toBeGreaterThan(10);
    expect(rule.meta.references.length).toBeGreaterThan(0);
    for (const reference of rule.meta.references) expect(reference).toMatch(/^https:\/\//);
  });

  it('has at least one malicious and one benign sample, each saying what it mimics', () => {
    for (const kind of ['malicious', 'benign']) {
      const samples = samplesIn(join(folder, 'testdata', kind));
      expect(samples.length, `${id}/testdata/${kind}`).toBeGreaterThan(0);
      for (const sample of samples) {
        const path = join(folder, 'testdata', kind, sample);
        const first = statSync(path).isDirectory() ? annotatedFileIn(path) : readFileSync(path, 'utf8');
        expect(first, `${sample} starts with a comment`).toMatch(/^(?:\/\/|\/\*|#|\{\s*"\/\/")/);
      }
    }
  });
});

/** A folder sample is annotated in its package.json ("//" first key) or its first file. */
const annotatedFileIn = (folder: string): string => {
  const manifest = join(folder, 'package.json');
  if (existsSync(manifest)) return readFileSync(manifest, 'utf8');
  const first = readdirSync(folder).sort()[0];
  return first ? readFileSync(join(folder, first), 'utf8') : '';
};
