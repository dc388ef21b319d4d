import semver from 'semver';
import { isInputError } from '../../core/errors.js';
import { checkJsonDepth, decodeUtf8, MAX_JSON_DEPTH, parseJsonInput } from '../../core/input.js';
import { isRecord, type JsonRecord } from '../../core/shape.js';

/** One version object of a packument, full or abbreviated. Unknown fields are kept as they are. */
export type VersionDocument = JsonRecord;

/**
 * A package document as the registry sends it (full or abbreviated). Only the fields the
 * firewall reads are typed; everything else passes through untouched.
 */
export type RegistryDocument = {
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, VersionDocument>;
  time?: Record<string, string>;
  modified?: string;
  [key: string]: unknown;
};

export type DocumentLimits = {
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** Deepest JSON nesting accepted. */
  maxDepth: number;
  /** Most versions accepted in one document. */
  maxVersions: number;
};

/** Generous for real packuments (the largest public ones are tens of MiB), bounded for hostile ones. */
export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = {
  maxBytes: 96 * 1024 * 1024,
  maxDepth: MAX_JSON_DEPTH,
  maxVersions: 50_000,
};

export type UpstreamDocumentProblem = 'too-large' | 'malformed' | 'not-a-packument' | 'wrong-name';

/** The upstream sent something the firewall will not serve; the proxy answers 502, never crashes. */
export class UpstreamDocumentError extends Error {
  readonly problem: UpstreamDocumentProblem;

  constructor(source: string, problem: UpstreamDocumentProblem, detail: string) {
    super(`${source}: ${detail}`);
    this.name = 'UpstreamDocumentError';
    this.problem = problem;
  }
}

export const isUpstreamDocumentError = (error: unknown): error is UpstreamDocumentError =>
  error instanceof UpstreamDocumentError;

/**
 * Parses a packument body from an untrusted upstream. The top level must be well formed
 * (`name`, `versions`, `dist-tags` of the right kinds); inside it, entries that cannot be served
 * (a version that is not an object or whose key is not strict semver, a tag that is not a string) are dropped, because clients
 * would choke on them and one odd legacy version must not make the whole package unavailable.
 * `time` entries that are not strings are dropped likewise.
 */
export const parseUpstreamDocument = (
  bytes: Uint8Array,
  source: string,
  options: { limits?: Partial<DocumentLimits>; expectedName?: string } = {},
): RegistryDocument => {
  const limits = { ...DEFAULT_DOCUMENT_LIMITS, ...options.limits };
  if (bytes.byteLength > limits.maxBytes) {
    throw new UpstreamDocumentError(
      source,
      'too-large',
      `document is ${bytes.byteLength} bytes, over the ${limits.maxBytes}-byte limit`,
    );
  }
  let value: unknown;
  try {
    const text = decodeUtf8(bytes, source);
    // parseJsonInput bounds nesting at MAX_JSON_DEPTH; a tighter limit is checked first.
    if (limits.maxDepth < MAX_JSON_DEPTH) checkJsonDepth(text, source, limits.maxDepth);
    value = parseJsonInput(text, source);
  } catch (error) {
    if (isInputError(error)) {
      throw new UpstreamDocumentError(source, 'malformed', stripSource(error.message, source));
    }
    throw error;
  }
  if (!isRecord(value))
    throw new UpstreamDocumentError(source, 'not-a-packument', 'document is not a JSON object');
  const name = value.name;
  if (typeof name !== 'string' || name === '') {
    throw new UpstreamDocumentError(source, 'not-a-packument', '$.name is missing or not a string');
  }
  if (!isValidPackageName(name)) {
    throw new UpstreamDocumentError(
      source,
      'not-a-packument',
      `$.name ${JSON.stringify(name)} is not a valid package name`,
    );
  }
  if (options.expectedName !== undefined && name !== options.expectedName) {
    throw new UpstreamDocumentError(
      source,
      'wrong-name',
      `document is for ${JSON.stringify(name)}, not ${JSON.stringify(options.expectedName)}`,
    );
  }
  const versions = value.versions ?? {};
  if (!isRecord(versions))
    throw new UpstreamDocumentError(source, 'not-a-packument', '$.versions is not an object');
  const versionKeys = Object.keys(versions);
  if (versionKeys.length > limits.maxVersions) {
    throw new UpstreamDocumentError(
      source,
      'too-large',
      `document has ${versionKeys.length} versions, over the limit of ${limits.maxVersions}`,
    );
  }
  const tags = value['dist-tags'] ?? {};
  if (!isRecord(tags))
    throw new UpstreamDocumentError(source, 'not-a-packument', '$.dist-tags is not an object');
  if (value.time !== undefined && !isRecord(value.time)) {
    throw new UpstreamDocumentError(source, 'not-a-packument', '$.time is not an object');
  }
  const doc: RegistryDocument = {
    ...value,
    name,
    'dist-tags': stringEntries(tags),
    versions: Object.fromEntries(
      versionKeys.flatMap((v) => (isRecord(versions[v]) && semver.valid(v) === v ? [[v, versions[v]]] : [])),
    ),
  };
  if (isRecord(value.time)) doc.time = stringEntries(value.time);
  return doc;
};

const stringEntries = (record: JsonRecord): Record<string, string> =>
  Object.fromEntries(
    Object.entries(record).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );

const stripSource = (message: string, source: string): string =>
  message.startsWith(source) ? message.slice(source.length).replace(/^(:\d+:\d+)?: /, '') : message;

/** Maximum length npm accepts for a package name. */
const MAX_NAME_LENGTH = 214;
// Characters encodeURIComponent leaves alone. Old packages may have capitals and `~'!()*`.
const NAME_PART = /^[A-Za-z0-9_.~'!()*-]+$/;

/**
 * Whether `name` is a package name the firewall will route: npm's rules for names that were
 * valid when published (capitals and `~'!()*` allowed for old packages), and never anything
 * that could walk a path (`.`, `..`, slashes beyond the scope separator, leading `.` or `_`).
 */
export const isValidPackageName = (name: string): boolean => {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return false;
  if (name.startsWith('@')) {
    const slash = name.indexOf('/');
    if (slash < 0 || name.indexOf('/', slash + 1) >= 0) return false;
    const scope = name.slice(1, slash);
    const rest = name.slice(slash + 1);
    return isValidPart(scope, true) && isValidPart(rest, true);
  }
  return isValidPart(name, false);
};

// npm's leading-underscore rule applies to the whole name, so not to the parts of a scoped one.
const isValidPart = (part: string, inScopedName: boolean): boolean => {
  if (!NAME_PART.test(part)) return false;
  if (part.startsWith('.')) return false;
  if (!inScopedName && part.startsWith('_')) return false;
  return part !== 'node_modules' && part !== 'favicon.ico';
};

/** The part of a name after the scope: `@scope/pkg` → `pkg`. */
export const unscopedName = (name: string): string =>
  name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
