import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POPULAR_PACKAGE_NAMES } from './popular-packages.js';

describe('popular package list', () => {
  it('matches popular-packages.txt name for name, in order', () => {
    const text = readFileSync(new URL('./popular-packages.txt', import.meta.url), 'utf8');
    const names = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.slice(0, line.lastIndexOf('@') > 0 ? line.lastIndexOf('@') : undefined));
    expect(POPULAR_PACKAGE_NAMES).toEqual(names);
    expect(new Set(names).size).toBe(1000);
  });
});
