import { describe, expect, it } from 'vitest';
import { countLabel, createProgress } from './progress.js';

describe('countLabel', () => {
  const counts = { done: 30, total: 130, cached: 0 };

  it('shows counts, cached hits and an ETA from the rate since counting began', () => {
    // 20 packages in 2 s since the first update: 100 left at 10/s
    expect(countLabel('analysing', counts, { at: 0, done: 10 }, 2000)).toBe('analysing 30/130 · ETA 10s');
    expect(countLabel('analysing', { ...counts, cached: 10 }, { at: 0, done: 10 }, 2000)).toBe(
      'analysing 30/130 (10 cached) · ETA 10s',
    );
    expect(countLabel('analysing', counts, { at: 0, done: 29 }, 2000)).toBe('analysing 30/130 · ETA 3m20s');
  });

  it('gives no ETA before there is a rate, nor when everything is done', () => {
    expect(countLabel('analysing', counts, { at: 0, done: 30 }, 5000)).toBe('analysing 30/130');
    expect(countLabel('analysing', counts, { at: 0, done: 0 }, 100)).toBe('analysing 30/130');
    expect(countLabel('analysing', { done: 5, total: 5, cached: 5 }, { at: 0, done: 0 }, 9000)).toBe(
      'analysing 5/5 (5 cached)',
    );
  });
});

describe('createProgress', () => {
  it('writes nothing when the stream is not a terminal', () => {
    const written: string[] = [];
    const stream = {
      isTTY: false,
      write: (text: string) => written.push(text),
    } as unknown as NodeJS.WriteStream;
    const progress = createProgress(stream, 0);
    progress.phase('reading');
    progress.update('analysing 1/2');
    progress.done();
    expect(written).toEqual([]);
  });

  it('draws on a terminal and clears the line when done', () => {
    const written: string[] = [];
    const stream = {
      isTTY: true,
      write: (text: string) => written.push(text),
    } as unknown as NodeJS.WriteStream;
    const progress = createProgress(stream, 0);
    progress.update('analysing 1/2');
    progress.phase('analysing 2/2');
    progress.done();
    expect(written[0]).toContain('analysing 2/2');
    expect(written.at(-1)).toBe('\r\u001b[2K');
  });
});
