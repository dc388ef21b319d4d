import { describe, expect, it } from 'vitest';
import { clip, escapeForTerminal, excerptAt, MAX_EXCERPT } from './excerpt.js';

describe('excerpts', () => {
  it('escapes controls, bidi, zero-width, variation selectors and private use', () => {
    expect(escapeForTerminal('a\u001b[31mb\u202ec\u200bd\ufe0fe\u{e0100}f\ue000g\u0085h')).toBe(
      'a\\u{1b}[31mb\\u{202e}c\\u{200b}d\\u{fe0f}e\\u{e0100}f\\u{e000}g\\u{85}h',
    );
    expect(escapeForTerminal('日本 émoji 😀')).toBe('日本 émoji 😀');
  });

  it('takes the line around an offset, not its neighbours', () => {
    const text = 'first line\nsecond: eval(x)\nthird';
    expect(excerptAt(text, text.indexOf('eval'))).toBe('second: eval(x)');
  });

  it('stays within the length limit on a huge line, from near the offset', () => {
    const text = `${'a'.repeat(1_000_000)}TARGET${'b'.repeat(1_000_000)}`;
    const excerpt = excerptAt(text, 1_000_000);
    expect(excerpt.length).toBeLessThanOrEqual(MAX_EXCERPT);
    expect(excerpt).toContain('TARGET');
  });

  it('clips values', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('ab', 4)).toBe('ab');
  });
});
