import { isAbsolute, relative, sep } from 'node:path';
import type { ScanResult } from '../core/scan-result.js';

/** The inventory file relative to the project directory, with forward slashes. */
export const targetFileRelative = (result: ScanResult): string => {
  const { directory, file } = result.target;
  const rel = isAbsolute(file) && isAbsolute(directory) ? relative(directory, file) : file;
  return (rel === '' ? file : rel).split(sep).join('/');
};

/** The same path as a URI reference (each segment percent-encoded). */
export const targetFileUri = (result: ScanResult): string =>
  targetFileRelative(result)
    .split('/')
    .map((segment) => (segment === '..' || segment === '.' ? segment : encodeURIComponent(segment)))
    .join('/');
