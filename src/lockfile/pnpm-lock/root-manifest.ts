import { isInputError } from '../../core/errors.js';
import { parseJsonInput } from '../../core/input.js';
import { isRecord } from '../../core/shape.js';
import type { LockfileInput } from '../types.js';

/**
 * Name and version of a root or workspace member from its package.json, when it is there.
 * The lockfile alone is enough to scan, so a missing or broken manifest only loses the name.
 */
export const readRootManifest = (
  input: LockfileInput,
  relativePath: string,
): { name?: string; version?: string } => {
  try {
    const text = input.readSibling(relativePath);
    if (text === undefined) return {};
    const manifest = parseJsonInput(text, relativePath);
    if (!isRecord(manifest)) return {};
    const out: { name?: string; version?: string } = {};
    if (typeof manifest.name === 'string' && manifest.name !== '') out.name = manifest.name;
    if (typeof manifest.version === 'string') out.version = manifest.version;
    return out;
  } catch (error) {
    if (isInputError(error)) return {};
    throw error;
  }
};
