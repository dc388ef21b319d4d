import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fileText } from './file-text.js';
import { packageJsonOf } from './package-json.js';
import { readTarball } from './read-tarball.js';
import { makeTar, makeTgz, rawEntry, tarEnd } from './testdata/make-tarball.js';
import { TarballError, type TarballProblem } from './types.js';

const MANIFEST = '{"name":"demo","version":"1.0.0","main":"lib/index.js"}';

const kinds = (problems: TarballProblem[]) => problems.map((p) => p.kind);
const rejection = async (bytes: Uint8Array): Promise<TarballError> => {
  const error = await readTarball(bytes, { source: 'demo@1.0.0' }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TarballError);
  return error as TarballError;
};

describe('readTarball', () => {
  it('reads a normal package: paths without the package/ folder, sizes, modes, text', async () => {
    const tgz = await makeTgz([
      { name: 'package/package.json', content: MANIFEST },
      { name: 'package/lib', type: 'directory' },
      { name: 'package/lib/index.js', content: 'module.exports = 1;\n' },
      { name: 'package/bin/cli.js', content: '#!/usr/bin/env node\n', mode: 0o755 },
      { name: 'package/empty.txt', content: '' },
      { name: 'package/logo.png', content: Buffer.from([0x89, 0x50, 0xff, 0xfe, 0x00]) },
    ]);
    const contents = await readTarball(tgz);
    expect(contents.problems).toEqual([]);
    expect(contents.complete).toBe(true);
    expect(contents.topFolder).toBe('package');
    expect(contents.entries).toBe(6);
    expect([...contents.files.keys()]).toEqual([
      'package.json',
      'lib/index.js',
      'bin/cli.js',
      'empty.txt',
      'logo.png',
    ]);
    const cli = contents.files.get('bin/cli.js')!;
    expect(cli.mode).toBe(0o755);
    expect(cli.size).toBe(20);
    expect(fileText(contents.files.get('lib/index.js')!)).toBe('module.exports = 1;\n');
    expect(contents.files.get('empty.txt')!.size).toBe(0);
    expect(fileText(contents.files.get('logo.png')!)).toBeUndefined();
    const result = packageJsonOf(contents);
    expect(result.ok && result.manifest.name).toBe('demo');
  });

  it('strips whatever single top folder was used, and reads a plain (ungzipped) tar', async () => {
    const tar = await makeTar([
      { name: 'node-demo-1.0.0/package.json', content: MANIFEST },
      { name: 'node-demo-1.0.0/src/a.js', content: 'a' },
    ]);
    for (const bytes of [gzipSync(tar), tar]) {
      const contents = await readTarball(bytes);
      expect(contents.topFolder).toBe('node-demo-1.0.0');
      expect([...contents.files.keys()]).toEqual(['package.json', 'src/a.js']);
    }
  });

  it('reports and skips traversal, absolute paths, links, devices and stray root entries', async () => {
    const tgz = await makeTgz([
      { name: 'package/package.json', content: MANIFEST },
      { name: 'package/../../etc/x', content: 'evil' },
      { name: '/etc/passwd', content: 'evil' },
      { name: 'package\\..\\..\\win.ini', content: 'evil' },
      { name: 'package/link', type: 'symlink', linkname: '../../../home/user/.npmrc' },
      { name: 'package/hard', type: 'link', linkname: 'package/package.json' },
      { name: 'package/pipe', type: 'fifo' },
      { name: 'package/tty', type: 'character-device', devmajor: 5, devminor: 0 },
      { name: 'loose.js', content: 'outside' },
      { name: 'package/ok.js', content: 'ok' },
    ]);
    const contents = await readTarball(tgz);
    expect(kinds(contents.problems)).toEqual([
      'path-traversal',
      'absolute-path',
      'path-traversal',
      'symlink',
      'hardlink',
      'special-file',
      'special-file',
      'outside-top-folder',
    ]);
    expect(contents.problems.map((p) => ('entry' in p ? p.entry : ''))).toEqual([
      'package/../../etc/x',
      '/etc/passwd',
      'package\\..\\..\\win.ini',
      'package/link',
      'package/hard',
      'package/pipe',
      'package/tty',
      'loose.js',
    ]);
    expect(contents.problems[3]!.message).toContain('../../../home/user/.npmrc');
    expect([...contents.files.keys()]).toEqual(['package.json', 'ok.js']);
    expect(contents.complete).toBe(true);
  });

  it('checks long names carried in PAX headers the same way', async () => {
    const deep = `package/${'d/'.repeat(120)}${'../'.repeat(125)}home/user/.bashrc`;
    const long = `package/${'very-long-folder-name/'.repeat(12)}index.js`;
    const contents = await readTarball(
      await makeTgz([
        { name: deep, content: 'evil' },
        { name: long, content: 'ok' },
      ]),
    );
    expect(contents.problems).toEqual([expect.objectContaining({ kind: 'path-traversal', entry: deep })]);
    expect([...contents.files.keys()]).toEqual([long.slice('package/'.length)]);
  });

  it('treats bytes after the gzip stream as corruption (zlib reads them as a next member)', async () => {
    const tgz = await makeTgz([{ name: 'package/package.json', content: MANIFEST }]);
    const error = await rejection(Buffer.concat([tgz, Buffer.from('trailing junk')]));
    expect(error.message).toBe('demo@1.0.0: gzip data is corrupt (incorrect header check)');
    // A gzip file may hold several members; their output is one stream.
    const tar = await makeTar([{ name: 'package/package.json', content: MANIFEST }]);
    const twoMembers = Buffer.concat([gzipSync(tar.subarray(0, 700)), gzipSync(tar.subarray(700))]);
    expect([...(await readTarball(twoMembers)).files.keys()]).toEqual(['package.json']);
  });

  it('keeps the last copy of a duplicated path and says so', async () => {
    const tgz = await makeTgz([
      { name: 'package/package.json', content: MANIFEST },
      { name: 'package/index.js', content: 'reviewed' },
      { name: 'package/./index.js', content: 'installed' },
    ]);
    const contents = await readTarball(tgz);
    expect(contents.problems).toEqual([
      expect.objectContaining({ kind: 'duplicate-path', entry: 'package/./index.js' }),
    ]);
    expect(fileText(contents.files.get('index.js')!)).toBe('installed');
  });

  it('reports a non-UTF-8 name with its bad byte escaped, and keeps the other files', async () => {
    const tar = Buffer.concat([
      rawEntry(Buffer.from('package/caf\xe9.js', 'latin1'), Buffer.from('x')),
      rawEntry(Buffer.from('package/ok.js'), Buffer.from('y')),
      rawEntry(Buffer.from('package/na\u00efve.js'), Buffer.from('z')),
      rawEntry(Buffer.from('package/bell\x07.js'), Buffer.from('z')),
      tarEnd(),
    ]);
    const contents = await readTarball(gzipSync(tar));
    expect(contents.problems).toEqual([
      expect.objectContaining({ kind: 'non-utf8-name', entry: 'package/caf\\xe9.js' }),
      expect.objectContaining({ kind: 'control-characters', entry: 'package/bell\\x07.js' }),
    ]);
    expect([...contents.files.keys()]).toEqual(['ok.js', 'na\u00efve.js']);
  });

  it('stops a gzip bomb at the ratio limit, keeping what came before', async () => {
    const tgz = await makeTgz([
      { name: 'package/package.json', content: MANIFEST },
      { name: 'package/zeros.bin', content: Buffer.alloc(40 * 1024 * 1024) },
    ]);
    expect(tgz.byteLength).toBeLessThan(100 * 1024);
    const contents = await readTarball(tgz);
    expect(contents.complete).toBe(false);
    expect(contents.problems).toEqual([expect.objectContaining({ kind: 'limit', limit: 'ratio' })]);
    expect(contents.unpackedBytes).toBeLessThan(200 * tgz.byteLength + 1024 * 1024);
    expect([...contents.files.keys()]).toEqual(['package.json']);
    // The same archive is fine when the caller allows the ratio.
    const allowed = await readTarball(tgz, { limits: { maxRatio: 10_000 } });
    expect(allowed.complete).toBe(true);
    expect(allowed.files.get('zeros.bin')!.size).toBe(40 * 1024 * 1024);
  });

  it('stops at the unpacked-size, file-size and entry-count limits', async () => {
    const big = await makeTgz([
      { name: 'package/package.json', content: MANIFEST },
      { name: 'package/huge.bin', content: randomBytes(3 * 1024 * 1024) },
    ]);
    const bySize = await readTarball(big, { limits: { maxUnpackedBytes: 1024 * 1024 } });
    expect(bySize.problems).toEqual([expect.objectContaining({ kind: 'limit', limit: 'unpacked-size' })]);
    expect(bySize.unpackedBytes).toBeLessThanOrEqual(1024 * 1024 + 256 * 1024);
    const byFile = await readTarball(big, { limits: { maxFileBytes: 2 * 1024 * 1024 } });
    expect(byFile.problems).toEqual([expect.objectContaining({ kind: 'limit', limit: 'file-size' })]);
    expect(byFile.problems[0]!.message).toContain('package/huge.bin');
    expect([...byFile.files.keys()]).toEqual(['package.json']);

    const many = await makeTgz(
      Array.from({ length: 50 }, (_, i) => ({ name: `package/f${i}.js`, content: `${i}` })),
    );
    const byCount = await readTarball(many, { limits: { maxEntries: 20 } });
    expect(byCount.problems).toEqual([expect.objectContaining({ kind: 'limit', limit: 'entries' })]);
    expect(byCount.files.size).toBe(20);
    expect((await readTarball(many)).files.size).toBe(50);
  });

  it('stops at the time limit', async () => {
    const tgz = await makeTgz([{ name: 'package/zeros.bin', content: Buffer.alloc(48 * 1024 * 1024) }]);
    const contents = await readTarball(tgz, { limits: { maxRatio: 1e6, timeMs: 1 } });
    expect(contents.complete).toBe(false);
    expect(contents.problems).toEqual([expect.objectContaining({ kind: 'limit', limit: 'time' })]);
  });

  it('rejects broken archives with a TarballError naming the package', async () => {
    const tgz = await makeTgz([
      { name: 'package/package.json', content: MANIFEST },
      { name: 'package/data.bin', content: randomBytes(64 * 1024) },
    ]);
    const truncated = await rejection(tgz.subarray(0, tgz.byteLength - 20_000));
    expect(truncated.message).toBe('demo@1.0.0: gzip data is truncated');
    expect([...truncated.partial.files.keys()]).toEqual(['package.json']);

    expect((await rejection(Buffer.from('<html>502 Bad Gateway</html>'))).message).toBe(
      'demo@1.0.0: is neither gzip nor tar data',
    );
    expect((await rejection(gzipSync(Buffer.from('not a tar '.repeat(100))))).message).toBe(
      'demo@1.0.0: tar data is corrupt (invalid tar header after gunzip)',
    );
    const corrupt = Buffer.from(tgz);
    corrupt.fill(0x55, 100, 200);
    expect((await rejection(corrupt)).message).toMatch(/^demo@1\.0\.0: gzip data is corrupt/);
    const cutTar = (await makeTar([{ name: 'package/a.js', content: 'x'.repeat(5000) }])).subarray(0, 2048);
    expect((await rejection(gzipSync(cutTar))).message).toBe('demo@1.0.0: tar data is truncated');
    expect((await rejection(new Uint8Array(0))).message).toBe('demo@1.0.0: is neither gzip nor tar data');
  });
});

describe('readTarball on mutated archives', () => {
  /** Deterministic, so a failure names a reproducible case. */
  const prng = (seed: number) => () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };

  it('either reads or rejects with a TarballError: never another error, never a hang', async () => {
    const tar = await makeTar([
      { name: 'package/package.json', content: MANIFEST },
      { name: `package/${'long-name/'.repeat(15)}a.js`, content: 'x'.repeat(3000) },
      { name: 'package/link', type: 'symlink', linkname: 'package.json' },
      { name: 'package/b.js', content: 'b' },
    ]);
    const random = prng(42);
    const outcomes = { read: 0, rejected: 0 };
    for (let round = 0; round < 300; round++) {
      const mutated = Buffer.from(tar);
      const flips = 1 + Math.floor(random() * 8);
      for (let i = 0; i < flips; i++) {
        const at = Math.floor(random() * mutated.byteLength);
        mutated.writeUInt8(Math.floor(random() * 256), at);
      }
      const input =
        round % 3 === 0 ? mutated.subarray(0, Math.floor(random() * mutated.byteLength)) : mutated;
      try {
        const contents = await readTarball(gzipSync(input), {
          source: `round ${round}`,
          limits: { timeMs: 5000 },
        });
        expect(contents.problems.every((p) => p.kind !== 'limit' || p.limit !== 'time')).toBe(true);
        outcomes.read++;
      } catch (error) {
        if (!(error instanceof TarballError)) throw new Error(`round ${round}: ${String(error)}`);
        outcomes.rejected++;
      }
    }
    expect(outcomes.read).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });
});

describe('packageJsonOf', () => {
  const withManifest = async (content?: string | Uint8Array) =>
    readTarball(
      await makeTgz([
        { name: 'package/index.js', content: '' },
        ...(content === undefined ? [] : [{ name: 'package/package.json', content }]),
      ]),
    );

  it('reports a missing, non-UTF-8, malformed, hostile or non-object package.json as a problem', async () => {
    const cases: [string | Uint8Array | undefined, RegExp][] = [
      [undefined, /^demo@1\.0\.0: has no package\.json$/],
      [
        Buffer.from([0x7b, 0xff, 0x7d]),
        /^demo@1\.0\.0\/package\.json: is not valid UTF-8 \(first bad byte at offset 1\)$/,
      ],
      ['{"name": "demo",\n "version": }', /^demo@1\.0\.0\/package\.json(:\d+:\d+)?: invalid JSON/],
      ['{"__proto__": {"polluted": true}}', /^demo@1\.0\.0\/package\.json:1:2: contains a "__proto__" key/],
      ['["demo"]', /^demo@1\.0\.0\/package\.json: must be an object, got an array$/],
    ];
    for (const [content, message] of cases) {
      const result = packageJsonOf(await withManifest(content), 'demo@1.0.0');
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.problem.kind).toBe('package-json');
        expect(result.problem.message).toMatch(message);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
