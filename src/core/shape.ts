import { InputError } from './errors.js';

/**
 * Small guards for untrusted parsed documents. Each failure names the file and the JSON path,
 * so a malformed lockfile gets one clear line instead of a TypeError deep inside a parser.
 */
export type Shape = { file: string };

export type JsonRecord = Record<string, unknown>;

export const isRecord = (value: unknown): value is JsonRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const expectRecord = (value: unknown, ctx: Shape, path: string): JsonRecord => {
  if (!isRecord(value)) throw new InputError(ctx.file, `${path} must be an object, got ${kindOf(value)}`);
  return value;
};

export const optionalRecord = (value: unknown, ctx: Shape, path: string): JsonRecord | undefined =>
  value === undefined || value === null ? undefined : expectRecord(value, ctx, path);

export const expectString = (value: unknown, ctx: Shape, path: string): string => {
  if (typeof value !== 'string')
    throw new InputError(ctx.file, `${path} must be a string, got ${kindOf(value)}`);
  return value;
};

export const optionalString = (value: unknown, ctx: Shape, path: string): string | undefined =>
  value === undefined || value === null ? undefined : expectString(value, ctx, path);

export const optionalBoolean = (value: unknown, ctx: Shape, path: string): boolean | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw new InputError(ctx.file, `${path} must be true or false, got ${kindOf(value)}`);
  return value;
};

export const expectArray = (value: unknown, ctx: Shape, path: string): unknown[] => {
  if (!Array.isArray(value)) throw new InputError(ctx.file, `${path} must be an array, got ${kindOf(value)}`);
  return value;
};

/** A `{name: range}` map such as `dependencies`; every value must be a string. */
export const optionalStringMap = (value: unknown, ctx: Shape, path: string): Map<string, string> => {
  const out = new Map<string, string>();
  if (value === undefined || value === null) return out;
  const record = expectRecord(value, ctx, path);
  for (const [key, range] of Object.entries(record)) {
    out.set(key, expectString(range, ctx, `${path}.${key}`));
  }
  return out;
};

export const kindOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    // Untrusted text goes into a terminal line: show control characters escaped, never raw.
    return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  return `a ${typeof value}`;
};
