import { isInputError } from '../core/errors.js';
import { decodeUtf8, parseJsonInput } from '../core/input.js';
import { isRecord, type JsonRecord, kindOf } from '../core/shape.js';
import type { TarballContents, TarballProblem } from './types.js';

export type PackageJsonResult =
  | { ok: true; manifest: JsonRecord }
  | { ok: false; problem: TarballProblem & { kind: 'package-json' } };

/**
 * The package's own package.json, from the tarball. npm installs from this copy, not from the
 * packument, so the two can disagree (a manifest-confusion attack); callers compare them.
 */
export const packageJsonOf = (contents: TarballContents, source = 'tarball'): PackageJsonResult => {
  const fail = (message: string): PackageJsonResult => ({
    ok: false,
    problem: { kind: 'package-json', entry: 'package.json', message },
  });
  const file = contents.files.get('package.json');
  if (!file) return fail(`${source}: has no package.json`);
  const name = `${source}/package.json`;
  try {
    const value = parseJsonInput(decodeUtf8(file.bytes, name), name);
    if (!isRecord(value)) return fail(`${name}: must be an object, got ${kindOf(value)}`);
    return { ok: true, manifest: value };
  } catch (error) {
    if (isInputError(error)) return fail(error.message);
    throw error;
  }
};
