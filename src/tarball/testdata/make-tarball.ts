import { gzipSync } from 'node:zlib';
import tar, { type Header } from 'tar-stream';

/** One entry of a test-built tarball: a file by default. */
export type TestEntry = Partial<Header> & { name: string; content?: string | Uint8Array };

/** A tar stream built with tar-stream, as npm would publish it (before gzip). */
export const makeTar = async (entries: TestEntry[]): Promise<Buffer> => {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const { content, ...header } of entries) {
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      const full = { mode: 0o644, mtime: new Date(0), ...header };
      if (content === undefined) pack.entry(full, done);
      else pack.entry(full, Buffer.from(content), done);
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
};

export const makeTgz = async (entries: TestEntry[]): Promise<Buffer> => gzipSync(await makeTar(entries));

/** A ustar header with a raw byte name (tar-stream refuses to write non-UTF-8 names). */
export const rawHeader = (name: Uint8Array, size: number, typeflag = '0'): Buffer => {
  const block = Buffer.alloc(512);
  Buffer.from(name).copy(block, 0, 0, 100);
  block.write('0000644\0', 100, 'latin1');
  block.write('0000000\0', 108, 'latin1');
  block.write('0000000\0', 116, 'latin1');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  block.write('00000000000\0', 136, 'latin1');
  block.write('        ', 148, 'latin1');
  block.write(typeflag, 156, 'latin1');
  block.write('ustar\0' + '00', 257, 'latin1');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
};

/** A raw tar entry (header + padded content). Concatenate and end with `tarEnd()`. */
export const rawEntry = (name: Uint8Array, content: Uint8Array): Buffer => {
  const padding = (512 - (content.byteLength % 512)) % 512;
  return Buffer.concat([rawHeader(name, content.byteLength), Buffer.from(content), Buffer.alloc(padding)]);
};

export const tarEnd = (): Buffer => Buffer.alloc(1024);
