import type { TarballEntryProblemKind } from './types.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export type EntryName =
  | { ok: true; path: string; topFolder: string; printable: string }
  | { ok: false; kind: TarballEntryProblemKind; printable: string; message: string };

/**
 * Names are read from tar headers as latin1 (one char per byte) so invalid UTF-8 stays visible;
 * a PAX `path` record is already decoded as UTF-8, where a bad byte became U+FFFD.
 */
export const decodeEntryName = (raw: string, fromPax: boolean): { name: string; utf8: boolean } => {
  if (fromPax) return { name: raw, utf8: !raw.includes('\ufffd') };
  try {
    return { name: strictUtf8.decode(Buffer.from(raw, 'latin1')), utf8: true };
  } catch {
    return { name: raw, utf8: false };
  }
};

/** For messages and reports: control characters and non-ASCII bytes of a bad name as `\xNN`. */
export const printableName = (name: string, utf8: boolean): string => {
  let out = '';
  for (const char of name) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f || (!utf8 && code > 0x7e) || (code >= 0x80 && code < 0xa0)) {
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    } else out += char;
  }
  return out;
};

/**
 * Checks one entry name and strips the top folder, as npm does when it unpacks (`strip: 1`):
 * `package/lib/a.js` → `lib/a.js`. Anything that could land outside the package is refused.
 */
export const normaliseEntryName = (raw: string, fromPax: boolean): EntryName => {
  const { name, utf8 } = decodeEntryName(raw, fromPax);
  const printable = printableName(name, utf8);
  const refuse = (kind: TarballEntryProblemKind, message: string): EntryName => ({
    ok: false,
    kind,
    printable,
    message: `${printable}: ${message}`,
  });
  if (!utf8) return refuse('non-utf8-name', 'name is not valid UTF-8');
  if (/[\x00-\x1f\x7f]/.test(name)) return refuse('control-characters', 'name contains control characters');
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-z]:/i.test(name)) {
    return refuse('absolute-path', 'absolute path');
  }
  // Backslash is a separator on Windows, where the package may be installed.
  const segments = name.split(/[\\/]/).filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return refuse('path-traversal', 'path leaves the package (`..`)');
  if (segments.length < 2) {
    return refuse('outside-top-folder', 'entry is not inside a top folder (npm skips it when installing)');
  }
  return { ok: true, topFolder: segments[0]!, path: segments.slice(1).join('/'), printable };
};
