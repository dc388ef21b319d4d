import { describe, expect, it } from 'vitest';
import { binaryKind, fileStatsForBytes, fileStatsForText, shannonEntropy } from './file-stats.js';

describe('file statistics', () => {
  it('computes Shannon entropy in bits per character', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abab')).toBe(1);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(shannonEntropy('xxabcdxx', 2, 6)).toBe(2);
  });

  it('agrees with shannonEntropy on the whole text, non-ASCII included', () => {
    const text = 'const é = "日本語";\nlet x = 1;\r\n';
    expect(fileStatsForText('a.js', text).entropy).toBeCloseTo(shannonEntropy(text), 3);
  });

  it('counts lines the way an editor shows them', () => {
    expect(fileStatsForText('a.js', '').lines).toBe(0);
    expect(fileStatsForText('a.js', 'a').lines).toBe(1);
    expect(fileStatsForText('a.js', 'a\n').lines).toBe(1);
    expect(fileStatsForText('a.js', 'a\n\nbcd').lines).toBe(3);
    expect(fileStatsForText('a.js', 'a\n\nbcd').maxLineLength).toBe(3);
  });

  it('reports UTF-8 bytes, not UTF-16 units', () => {
    expect(fileStatsForText('a.js', '日本').bytes).toBe(6);
  });

  it('does not call readable code or obfuscator output minified', () => {
    const readable = 'function add(a, b) {\n  return a + b;\n}\n'.repeat(200);
    expect(fileStatsForText('a.js', readable).minified).toBe(false);
    const obfuscated = Array.from(
      { length: 600 },
      (_, i) => `_0x${(0xa000 + i).toString(16)}[_0x4f2a(0x${i.toString(16)})]`,
    ).join(';');
    expect(fileStatsForText('a.js', obfuscated).minified).toBe(false);
  });

  it('reads binaries from bytes: magic numbers, sizes, no parse', () => {
    const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 10, 0, 0]);
    expect(fileStatsForBytes('x', elf)).toMatchObject({
      bytes: 11,
      lines: 2,
      binary: 'elf',
      parsed: false,
      minified: false,
    });
    expect(binaryKind(new Uint8Array([0xca, 0xfe, 0xba, 0xbe]))).toBe('mach-o');
    expect(binaryKind(new Uint8Array([0x4d]))).toBeUndefined();
    expect(binaryKind(new Uint8Array([]))).toBeUndefined();
    const text = fileStatsForBytes('a.js', new TextEncoder().encode('x\n'));
    expect(text).toMatchObject({ bytes: 2, lines: 1, parsed: false });
    expect(text.binary).toBeUndefined();
  });
});
