import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './line-diff.js';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', 'x')).toBe('');
  });

  it('shows a changed line with three lines of context and correct hunk ranges', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', ''].join('\n');
    const after = before.replace('5', 'five');
    expect(unifiedDiff(before, after, 'f.txt')).toBe(
      [
        '--- a/f.txt',
        '+++ b/f.txt',
        '@@ -2,7 +2,7 @@',
        ' 2',
        ' 3',
        ' 4',
        '-5',
        '+five',
        ' 6',
        ' 7',
        ' 8',
      ].join('\n'),
    );
  });

  it('splits distant changes into separate hunks and counts inserted lines', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const after = [
      ...lines.slice(0, 2),
      'inserted',
      ...lines.slice(2, 27),
      'line 28 changed',
      ...lines.slice(28),
    ];
    const diff = unifiedDiff(`${lines.join('\n')}\n`, `${after.join('\n')}\n`, 'f');
    const headers = diff.split('\n').filter((line) => line.startsWith('@@'));
    expect(headers).toEqual(['@@ -1,5 +1,6 @@', '@@ -25,6 +26,6 @@']);
    expect(diff).toContain('+inserted');
    expect(diff).toContain('-line 28\n+line 28 changed');
  });
});
