import { describe, expect, it } from 'vitest';
import { createLru } from './lru.js';

describe('createLru', () => {
  it('drops the least recently used entry past the entry bound', () => {
    const lru = createLru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
  });

  it('drops entries past the weight bound, and never keeps one heavier than the bound', () => {
    const lru = createLru<string, string>(10, 100);
    lru.set('a', 'x', 60);
    lru.set('b', 'y', 30);
    expect(lru.peek('a')).toBe('x');
    lru.set('c', 'z', 20);
    expect(lru.peek('a')).toBeUndefined();
    expect(lru.weight).toBe(50);
    lru.set('huge', 'w', 101);
    expect(lru.peek('huge')).toBeUndefined();
    // Re-setting with a new weight replaces the old weight.
    lru.set('b', 'y', 10);
    expect(lru.weight).toBe(30);
    expect(lru.size).toBe(2);
  });
});
