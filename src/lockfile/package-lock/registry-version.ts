import semver from 'semver';
import { InputError } from '../../core/errors.js';
import type { Shape } from '../../core/shape.js';
import { kindOf } from '../../core/shape.js';

/** Registry packages are identified by name@version, so the version must be exact semver. */
export const expectRegistryVersion = (value: unknown, ctx: Shape, path: string): string => {
  if (typeof value !== 'string') {
    throw new InputError(
      ctx.file,
      value === undefined ? `${path} is missing` : `${path} must be a string, got ${kindOf(value)}`,
    );
  }
  if (semver.valid(value) === null) {
    throw new InputError(ctx.file, `${path} is not a semver version (${quote(value)})`);
  }
  return value;
};

const quote = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
