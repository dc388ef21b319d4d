import type { JsonRecord, Shape } from '../../core/shape.js';
import { optionalBoolean, optionalString } from '../../core/shape.js';

// Field readers that build the JSON path only when they fail: lockfiles have thousands of entries.

export const boolField = (record: JsonRecord, field: string, ctx: Shape, path: string): boolean => {
  const value = record[field];
  if (typeof value === 'boolean') return value;
  return optionalBoolean(value, ctx, `${path}.${field}`) ?? false;
};

export const stringField = (
  record: JsonRecord,
  field: string,
  ctx: Shape,
  path: string,
): string | undefined => {
  const value = record[field];
  if (typeof value === 'string') return value;
  return optionalString(value, ctx, `${path}.${field}`);
};
