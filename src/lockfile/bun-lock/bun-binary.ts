import { InputError } from '../../core/errors.js';

/** First bytes of every bun.lockb: a shebang line, then the format tag. */
const BUN_LOCKB_HEADER = '#!/usr/bin/env bun\nbun-lockfile-format-v';

export const bunLockbMessage =
  "bun.lockb is Bun's binary lockfile, which Bulwark cannot read; run `bun install --save-text-lockfile` (Bun ≥ 1.1.39) to write bun.lock and scan again";

/** True for the content of a binary bun.lockb, whatever the file is called. */
export const isBunLockb = (content: string | Uint8Array): boolean => {
  if (typeof content === 'string') return content.startsWith(BUN_LOCKB_HEADER);
  if (content.length < BUN_LOCKB_HEADER.length) return false;
  for (let i = 0; i < BUN_LOCKB_HEADER.length; i++) {
    if (content[i] !== BUN_LOCKB_HEADER.charCodeAt(i)) return false;
  }
  return true;
};

/** The one error for a binary Bun lockfile; discovery code can throw it before decoding. */
export const bunLockbError = (file: string): InputError => new InputError(file, bunLockbMessage);
