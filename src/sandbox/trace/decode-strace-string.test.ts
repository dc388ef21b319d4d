import { describe, expect, it } from 'vitest';
import { decodeStraceBytes, decodeStraceText, parseStraceString } from './decode-strace-string.js';

describe('decodeStraceBytes', () => {
  it('decodes the C escapes strace prints', () => {
    expect([...decodeStraceBytes('a\\"b\\\\c\\n\\t\\r\\v\\f')]).toEqual([
      0x61, 0x22, 0x62, 0x5c, 0x63, 0x0a, 0x09, 0x0d, 0x0b, 0x0c,
    ]);
  });

  it('decodes octal escapes of one to three digits and -x hex escapes', () => {
    expect([...decodeStraceBytes('\\0\\1\\12\\377\\0012')]).toEqual([0, 1, 0o12, 0xff, 1, 0x32]);
    expect([...decodeStraceBytes('\\x41\\xff\\x7')]).toEqual([0x41, 0xff, 7]);
  });

  it('keeps a malformed or dangling backslash literally', () => {
    expect(decodeStraceText('a\\qb\\')).toBe('a\\qb\\');
  });
});

describe('decodeStraceText', () => {
  it('joins escaped UTF-8 bytes into characters', () => {
    expect(decodeStraceText('caf\\303\\251')).toBe('café');
    expect(decodeStraceText('\\360\\237\\222\\251')).toBe('💩');
  });

  it('replaces bytes that are not UTF-8', () => {
    expect(decodeStraceText('a\\377b')).toBe('a\ufffdb');
  });

  it('decodes the escaped < and > of -yy annotations', () => {
    expect(decodeStraceText('/tmp/a\\76b\\74c')).toBe('/tmp/a>b<c');
  });
});

describe('parseStraceString', () => {
  it('reads a quoted string and notes the ... of a string cut at -s', () => {
    expect(parseStraceString('"a\\"b"')).toEqual({ text: 'a"b', truncated: false });
    expect(parseStraceString('"abc"...')).toEqual({ text: 'abc', truncated: true });
    expect(parseStraceString('""')).toEqual({ text: '', truncated: false });
  });

  it('is undefined for anything that is not a string', () => {
    for (const arg of ['NULL', '0x7ffd1234', '3', '"unterminated', '"a" "b"', '']) {
      expect(parseStraceString(arg)).toBeUndefined();
    }
  });
});
