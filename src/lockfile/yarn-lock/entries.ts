import { InputError } from '../../core/errors.js';
import { kindOf } from '../../core/shape.js';
import { type Descriptor, parseDescriptor, splitDescriptors } from './descriptor.js';
import type { YarnLockText } from './syml.js';

/** One lockfile entry, validated: every descriptor that resolved to it plus what it resolved to. */
export type YarnEntry = {
  descriptors: Descriptor[];
  version: string;
  /** Berry's `resolution:` (`name@npm:1.2.3`, `name@workspace:path`, …). */
  resolution?: Descriptor;
  /** Classic's `resolved` URL. */
  resolved?: string;
  integrity?: string;
  dependencies: Map<string, string>;
  optionalDependencies: Map<string, string>;
  peerDependencies: Map<string, string>;
  /** Names marked optional in `dependenciesMeta` (Berry writes optional deps this way). */
  optionalNames: Set<string>;
  /** Names marked optional in `peerDependenciesMeta`. */
  optionalPeers: Set<string>;
  line?: number;
};

type Ctx = { file: string; key: string; line: number | undefined };

const fail = (ctx: Ctx, message: string): never => {
  throw new InputError(
    ctx.file,
    `entry "${short(ctx.key)}" ${message}`,
    ctx.line === undefined ? undefined : String(ctx.line),
  );
};

const short = (text: string): string => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

const own = (record: object, key: string): unknown =>
  Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;

const isMapping = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates the parsed document into entries; classic keys sharing one body become one entry. */
export const readEntries = (text: YarnLockText, file: string): YarnEntry[] => {
  const byBody = new Map<object, string[]>();
  for (const [key, body] of text.entries) {
    if (!isMapping(body)) {
      const first = splitDescriptors(key)[0] ?? key;
      fail(
        { file, key: first, line: text.lines.get(first) },
        `must be a mapping of fields, got ${kindOf(body)}`,
      );
    }
    const keys = byBody.get(body as object);
    if (keys) keys.push(key);
    else byBody.set(body as object, [key]);
  }
  const entries: YarnEntry[] = [];
  for (const [body, keys] of byBody) {
    const descriptorTexts = keys.flatMap(splitDescriptors);
    const first = descriptorTexts[0] ?? keys[0] ?? '';
    entries.push(
      readEntry(body, descriptorTexts, text.berry, { file, key: first, line: text.lines.get(first) }),
    );
  }
  return entries;
};

const readEntry = (body: object, descriptorTexts: string[], berry: boolean, ctx: Ctx): YarnEntry => {
  const descriptors = descriptorTexts.map(
    (text) => parseDescriptor(text) ?? fail(ctx, `has an invalid descriptor "${short(text)}"`),
  );
  const version = own(body, 'version');
  if (version === undefined) fail(ctx, 'has no version');
  if (typeof version !== 'string' || version === '')
    fail(ctx, `version must be a string, got ${kindOf(version)}`);
  const entry: YarnEntry = {
    descriptors,
    version: version as string,
    dependencies: stringMap(body, 'dependencies', ctx),
    optionalDependencies: stringMap(body, 'optionalDependencies', ctx),
    peerDependencies: stringMap(body, 'peerDependencies', ctx),
    optionalNames: optionalFlags(body, 'dependenciesMeta', ctx),
    optionalPeers: optionalFlags(body, 'peerDependenciesMeta', ctx),
  };
  if (ctx.line !== undefined) entry.line = ctx.line;
  if (berry) {
    const resolution = own(body, 'resolution');
    if (typeof resolution !== 'string') fail(ctx, `resolution must be a string, got ${kindOf(resolution)}`);
    entry.resolution =
      parseDescriptor(resolution as string) ??
      fail(ctx, `has an invalid resolution "${short(resolution as string)}"`);
  } else {
    const resolved = optionalField(body, 'resolved', ctx);
    if (resolved !== undefined) entry.resolved = resolved;
  }
  const integrity = optionalField(body, 'integrity', ctx);
  if (integrity !== undefined) entry.integrity = integrity;
  return entry;
};

const optionalField = (body: object, field: string, ctx: Ctx): string | undefined => {
  const value = own(body, field);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(ctx, `${field} must be a string, got ${kindOf(value)}`);
  return value as string;
};

const stringMap = (body: object, field: string, ctx: Ctx): Map<string, string> => {
  const out = new Map<string, string>();
  const value = own(body, field);
  if (value === undefined || value === null) return out;
  if (!isMapping(value)) return fail(ctx, `${field} must be a mapping, got ${kindOf(value)}`);
  for (const [name, range] of Object.entries(value)) {
    if (typeof range !== 'string') fail(ctx, `${field}.${name} must be a string, got ${kindOf(range)}`);
    out.set(name, range as string);
  }
  return out;
};

/** `dependenciesMeta: { foo: { optional: true } }`; keys may carry a version (`foo@1.0.0`). */
const optionalFlags = (body: object, field: string, ctx: Ctx): Set<string> => {
  const out = new Set<string>();
  const value = own(body, field);
  if (value === undefined || value === null) return out;
  if (!isMapping(value)) return fail(ctx, `${field} must be a mapping, got ${kindOf(value)}`);
  for (const [key, meta] of Object.entries(value)) {
    if (!isMapping(meta)) fail(ctx, `${field}.${key} must be a mapping, got ${kindOf(meta)}`);
    const optional = own(meta, 'optional');
    if (optional === true || optional === 'true') out.add(parseDescriptor(key)?.name ?? key);
  }
  return out;
};
