import type { TarballFile } from './types.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A file's text, BOM removed; undefined when the bytes are not UTF-8 (binary or another encoding). */
export const fileText = (file: TarballFile): string | undefined => {
  try {
    const text = strictUtf8.decode(file.bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  }
};
