import { describe, expect, it } from 'vitest';
import { terminalLine, terminalSafe, truncate, wrap } from './terminal-text.js';

describe('terminal text', () => {
  it('shows control characters as visible escapes', () => {
    expect(terminalSafe('\u001b[2J\u001b]8;;https://x.invalid\u0007')).toBe(
      '\\x1b[2J\\x1b]8;;https://x.invalid\\x07',
    );
    expect(terminalSafe('a\u009bb\u007fc')).toBe('a\\x9bb\\x7fc');
    expect(terminalSafe('abc\u202edef\u2066')).toBe('abc\\u202edef\\u2066');
    expect(terminalSafe('naïve 日本 ✓')).toBe('naïve 日本 ✓');
  });

  it('keeps one-line fields on one line', () => {
    expect(terminalLine('  a\n\tb\r\nc  ')).toBe('a b c');
    expect(terminalLine('x\u0085y')).toBe('x\\x85y');
  });

  it('wraps and truncates', () => {
    expect(wrap('aaa bbb ccc', 9, '  ')).toEqual(['  aaa bbb', '  ccc']);
    expect(wrap('', 10, '  ')).toEqual([]);
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });
});
