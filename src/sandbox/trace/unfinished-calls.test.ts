import { describe, expect, it } from 'vitest';
import { takeUnfinished } from './unfinished-calls.js';

type Half = { name: string; tid: number; pid: number };

describe('takeUnfinished', () => {
  it("takes the thread's own half of the same call", () => {
    const halves = new Map<number, Half>([[7, { name: 'read', tid: 7, pid: 5 }]]);
    expect(takeUnfinished(halves, 7, 'write', 5, (h) => h.pid)).toBeUndefined();
    expect(takeUnfinished(halves, 7, 'read', 5, (h) => h.pid)?.tid).toBe(7);
    expect(halves.size).toBe(0);
  });

  it("finishes another thread's execve of the same process, nothing else", () => {
    const halves = new Map<number, Half>([
      [8, { name: 'execve', tid: 8, pid: 9 }],
      [6, { name: 'read', tid: 6, pid: 5 }],
      [7, { name: 'execve', tid: 7, pid: 5 }],
    ]);
    expect(takeUnfinished(halves, 5, 'read', 5, (h) => h.pid)).toBeUndefined();
    expect(takeUnfinished(halves, 5, 'execve', 5, (h) => h.pid)?.tid).toBe(7);
    expect([...halves.keys()]).toEqual([8, 6]);
  });
});
