import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';
import { markdownCode, markdownText } from './markdown-text.js';
import { emptyResult, fixtureResult } from './testdata/scan-result-fixture.js';

const tableRows = (text: string) => text.split('\n').filter((line) => line.startsWith('| '));
// Cell separators are pipes not escaped with a backslash.
const cellCount = (row: string) => row.replace(/\\\|/g, '').split('|').length - 2;

describe('renderMarkdown', () => {
  it('has a header with counts and a malware callout', () => {
    const text = renderMarkdown(fixtureResult());
    expect(text.split('\n')[0]).toBe(
      '## Bulwark: 9 findings (2 malware, 2 critical, 2 high, 2 medium, 1 low)',
    );
    expect(text).toContain('> [!CAUTION]\n> **Malware: `debug@4.4.2`, `0supportscolor@1.0.0`**');
    expect(text).toContain('rotate every secret');
  });

  it('has one table row per active finding, malware first, with links and fixes', () => {
    const text = renderMarkdown(fixtureResult());
    const rows = tableRows(text).filter((row) => !row.startsWith('| Severity'));
    const active = rows.slice(0, 9);
    expect(active[0]).toMatch(
      /^\| \*\*MALWARE\*\* \| `debug@4\.4\.2` \(transitive\) \| \[MAL-2025-46974\]\(https:\/\/osv\.dev\/vulnerability\/MAL-2025-46974\)/,
    );
    expect(active[2]).toContain('[GHSA-67hx-6x53-jw92](https://github.com/advisories/GHSA-67hx-6x53-jw92)');
    expect(active[2]).toContain('`npm install --save-dev @babel/core@7.23.2`');
    expect(text).toContain('package.json `"overrides": { "ws@<7.5.10": "7.5.10" }`');
    for (const row of tableRows(text)) expect(cellCount(row)).toBe(5);
  });

  it('escapes HTML, markdown and mentions in untrusted strings', () => {
    const text = renderMarkdown(fixtureResult());
    expect(text).not.toContain('<script>');
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(text).toContain('\\| \\`whoami\\`');
    expect(text).toContain('@&#8203;octocat');
    expect(text).not.toContain('](https://phish');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u202e');
  });

  it('folds suppressed findings into a details block and lists expired ones', () => {
    const text = renderMarkdown(fixtureResult());
    const details = text.slice(text.indexOf('<details>'), text.indexOf('</details>'));
    expect(details).toContain('<summary>2 suppressed findings (accepted risks)</summary>');
    expect(details).toContain('| high | `semver@5.7.1` | [GHSA-c2qf-rxjj-qqgw]');
    expect(details).toContain('| 2099-12-31 |');
    expect(details).toContain('| no expiry |');
    expect(text.slice(0, text.indexOf('<details>'))).not.toContain('semver@5.7.1');
    expect(text).toContain('**Expired accepted risks (1)**');
  });

  it('is short and calm when nothing is found', () => {
    const text = renderMarkdown(emptyResult());
    expect(text.split('\n')[0]).toBe('## Bulwark: no known vulnerabilities or malware');
    expect(text).not.toContain('[!CAUTION]');
    expect(text).not.toContain('<details>');
  });
});

describe('markdown escaping', () => {
  it('escapes text', () => {
    expect(markdownText('a|b')).toBe('a\\|b');
    expect(markdownText('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(markdownText('**bold** _i_ [x](y) ~~s~~')).toBe(
      '\\*\\*bold\\*\\* \\_i\\_ \\[x\\](y) \\~\\~s\\~\\~',
    );
    expect(markdownText('# heading')).toBe('\\# heading');
    expect(markdownText('1. item')).toBe('1\\. item');
    expect(markdownText('cc @org/team and a@b.c')).toBe('cc @&#8203;org/team and a@b.c');
    expect(markdownText('line\nbreak\r\n| x |')).toBe('line break \\| x \\|');
    expect(markdownText('&amp;')).toBe('&amp;amp;');
  });

  it('fences code spans longer than any backtick run inside', () => {
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
    expect(markdownCode('a|b')).toBe('`a\\|b`');
    expect(markdownCode('x\u001b[2Jy')).toBe('`x[2Jy`');
  });
});

describe('markdown limits', () => {
  it('survives a summary made of many backtick runs and a huge package name', () => {
    const result = fixtureResult();
    result.findings[2]!.summary = '`a'.repeat(300_000);
    result.findings[2]!.package.name = '`b'.repeat(300_000);
    const text = renderMarkdown(result);
    expect(text).toContain('| **critical** |');
    expect(text.length).toBeLessThan(1_500_000);
  });
});
