import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess } from '../analysis/score.js';
import { RULES, rulesFingerprint, runRules } from './index.js';
import { packageFactsFromSample } from './sample-facts.js';

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

  it('fingerprints the rule set by id and version', () => {
    const fingerprint = rulesFingerprint();
    for (const rule of RULES) expect(fingerprint).toContain(`${rule.id}@${rule.meta.version}`);
    const bumped = RULES.map((rule, i) =>
      i === 0 ? { ...rule, meta: { ...rule.meta, version: rule.meta.version + 1 } } : rule,
    );
    expect(rulesFingerprint(bumped)).not.toBe(fingerprint);
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

  for (const sample of samplesIn(join(folder, 'testdata', 'malicious'))) {
    it(`fires on malicious/${sample}`, () => {
      const findings = rule.run(packageFactsFromSample(join(folder, 'testdata', 'malicious', sample)));
      expect(findings.length).toBeGreaterThan(0);
    });
  }

  for (const sample of samplesIn(join(folder, 'testdata', 'benign'))) {
    it(`is silent on benign/${sample}`, () => {
      expect(rule.run(packageFactsFromSample(join(folder, 'testdata', 'benign', sample)))).toEqual([]);
    });
  }
});

/** A folder sample is annotated in its package.json ("//" first key) or its first file. */
const annotatedFileIn = (folder: string): string => {
  const manifest = join(folder, 'package.json');
  if (existsSync(manifest)) return readFileSync(manifest, 'utf8');
  const first = readdirSync(folder).sort()[0];
  return first ? readFileSync(join(folder, first), 'utf8') : '';
};

describe('all rules together on every sample', () => {
  const samples = RULES.flatMap((rule) =>
    ['malicious', 'benign'].flatMap((kind) =>
      samplesIn(join(RULES_DIR, rule.id, 'testdata', kind)).map((sample) => ({
        // A capability rule's positive sample is "has the capability", not malware.
        kind: kind === 'malicious' && rule.meta.kind === 'capability' ? 'capability' : kind,
        name: `${rule.id}/${kind}/${sample}`,
        path: join(RULES_DIR, rule.id, 'testdata', kind, sample),
      })),
    ),
  );

  it.each(samples.filter((s) => s.kind === 'benign').map((s) => [s.name, s.path]))(
    '%s is clean',
    (_, path) => {
      const facts = packageFactsFromSample(path);
      const findings = runRules(facts);
      expect(findings.filter((f) => f.kind === 'threat')).toEqual([]);
      expect(assess(facts, findings)).toMatchObject({ verdict: 'clean', score: 0 });
    },
  );

  it.each(samples.filter((s) => s.kind === 'malicious').map((s) => [s.name, s.path]))(
    '%s scores above 0',
    (_, path) => {
      const facts = packageFactsFromSample(path);
      expect(assess(facts, runRules(facts)).score).toBeGreaterThan(0);
    },
  );
});
