import type { Advisory, AdvisoryKind, AffectedPackage, AffectedRange, OsvEvent } from '../core/advisory.js';
import { InputError } from '../core/errors.js';
import { checkJsonDepth, lineColumnAt, parseJsonInput } from '../core/input.js';
import {
  expectArray,
  expectRecord,
  expectString,
  isRecord,
  type JsonRecord,
  kindOf,
  optionalRecord,
  optionalString,
  type Shape,
} from '../core/shape.js';
import { type OsvSeverity, rateSeverity } from './severity.js';

/**
 * Normalises one OSV record (osv.dev export, OpenSSF malicious-packages, GitHub advisory-database:
 * all the same OSV JSON) into the npm-only `Advisory` Bulwark stores. Records are untrusted: every
 * field that is read is type-checked, and a malformed record raises InputError with its JSON path.
 */

const MALWARE_CWE = 'CWE-506';
const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
const MAX_ID_LENGTH = 200;

/** Parses the text of one record. Returns undefined when it names no npm package (skipped). */
export const parseOsvText = (text: string, name: string): Advisory | undefined => {
  let value: unknown;
  try {
    value = text.includes('"__proto__"') ? parseRejectingProtoKeys(text, name) : parseJsonInput(text, name);
  } catch (error) {
    // Node reports a truncated document without a position; the position is the end of the text.
    if (error instanceof InputError && error.position === undefined && /Unexpected end/.test(error.message)) {
      const { line, column } = lineColumnAt(text, text.length);
      throw new InputError(name, 'invalid JSON: the document ends early (truncated?)', `${line}:${column}`);
    }
    throw error;
  }
  return parseOsvRecord(value, name);
};

/**
 * parseJsonInput refuses any `"__proto__"` in the text, but a prototype-pollution advisory may carry
 * it as a string value (`affected_functions`), and one such record would fail a whole import. Only a
 * key is refused here; JSON.parse defines such a key as an own property, and nothing here copies keys.
 */
const parseRejectingProtoKeys = (text: string, name: string): unknown => {
  checkJsonDepth(text, name);
  let protoKey = false;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, item: unknown) => {
      if (key === '__proto__') protoKey = true;
      return item;
    });
  } catch {
    return parseJsonInput(text.replaceAll('"__proto__"', '"_________"'), name);
  }
  if (protoKey) {
    const at = /"__proto__"\s*:/.exec(text)?.index ?? text.indexOf('"__proto__"');
    const { line, column } = lineColumnAt(text, at);
    throw new InputError(name, 'contains a "__proto__" key, which no valid input has', `${line}:${column}`);
  }
  return value;
};

/** Validates a parsed record. `name` is the file (or `archive.zip:entry.json`) it came from. */
export const parseOsvRecord = (value: unknown, name: string): Advisory | undefined => {
  const ctx: Shape = { file: name };
  const root = expectRecord(value, ctx, '$');
  const id = expectString(root.id, ctx, '$.id');
  if (id === '' || id.length > MAX_ID_LENGTH || /[\s\u0000-\u001f\u007f-\u009f]/.test(id))
    throw new InputError(
      name,
      `$.id is not a valid advisory id: ${kindOf(id.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?'))}`,
    );
  const modified = expectTimestamp(root.modified, ctx, '$.modified');
  const published = optionalTimestamp(root.published, ctx, '$.published');
  const withdrawn = optionalTimestamp(root.withdrawn, ctx, '$.withdrawn');
  const aliases = optionalStrings(root.aliases, ctx, '$.aliases');
  const summary = optionalString(root.summary, ctx, '$.summary');
  const details = optionalString(root.details, ctx, '$.details');
  const databaseSpecific = optionalRecord(root.database_specific, ctx, '$.database_specific');
  const topSeverities = parseSeverities(root.severity, ctx, '$.severity');

  const affected: AffectedPackage[] = [];
  const severities = [...topSeverities];
  const cwes = new Set<string>(
    optionalStrings(databaseSpecific?.cwe_ids, ctx, '$.database_specific.cwe_ids'),
  );
  const integrity = new Set<string>();
  const affectedList =
    root.affected === undefined || root.affected === null
      ? []
      : expectArray(root.affected, ctx, '$.affected');
  affectedList.forEach((entry, index) => {
    const path = `$.affected[${index}]`;
    const block = expectRecord(entry, ctx, path);
    const pkg = optionalRecord(block.package, ctx, `${path}.package`);
    if (!pkg) return;
    const ecosystem = expectString(pkg.ecosystem, ctx, `${path}.package.ecosystem`);
    if (ecosystem !== 'npm') return;
    const packageName = expectString(pkg.name, ctx, `${path}.package.name`);
    if (packageName === '' || packageName.length > 214)
      throw new InputError(
        name,
        `${path}.package.name is not a valid npm package name: ${kindOf(packageName)}`,
      );
    affected.push(parseAffected(block, packageName, ctx, path));
    severities.push(...parseSeverities(block.severity, ctx, `${path}.severity`));
    const specific = optionalRecord(block.database_specific, ctx, `${path}.database_specific`);
    if (specific) {
      collectCwes(specific.cwes, ctx, `${path}.database_specific.cwes`, cwes);
      collectIntegrity(specific.indicators, ctx, `${path}.database_specific.indicators`, integrity);
    }
  });
  if (affected.length === 0) return undefined;

  const kind: AdvisoryKind = id.startsWith('MAL-') || cwes.has(MALWARE_CWE) ? 'malware' : 'vulnerability';
  const databaseSeverity = optionalString(databaseSpecific?.severity, ctx, '$.database_specific.severity');
  const advisory: Advisory = {
    id,
    aliases: mergeAliases(id, aliases, databaseSpecific, ctx),
    modified,
    summary: summary ?? firstLine(details) ?? id,
    kind,
    severity: rateSeverity({ kind, severities, ...(databaseSeverity ? { databaseSeverity } : {}) }),
    affected,
    references: parseReferences(root.references, ctx),
    cwes: [...cwes].sort(),
  };
  if (published !== undefined) advisory.published = published;
  if (withdrawn !== undefined) advisory.withdrawn = withdrawn;
  if (details !== undefined) advisory.details = details;
  if (integrity.size > 0) advisory.integrity = [...integrity].sort();
  return advisory;
};

const parseAffected = (block: JsonRecord, name: string, ctx: Shape, path: string): AffectedPackage => {
  const ranges: AffectedRange[] = [];
  const rangeList =
    block.ranges === undefined || block.ranges === null
      ? []
      : expectArray(block.ranges, ctx, `${path}.ranges`);
  rangeList.forEach((entry, index) => {
    const rangePath = `${path}.ranges[${index}]`;
    const range = expectRecord(entry, ctx, rangePath);
    const type = expectString(range.type, ctx, `${rangePath}.type`);
    const events = expectArray(range.events, ctx, `${rangePath}.events`).map((event, eventIndex) =>
      parseEvent(event, ctx, `${rangePath}.events[${eventIndex}]`),
    );
    // OSV has no other range types today; an unknown one cannot be evaluated, so it is left out.
    if (type === 'SEMVER' || type === 'ECOSYSTEM' || type === 'GIT') ranges.push({ type, events });
  });
  const pkg: AffectedPackage = {
    name,
    ranges,
    versions: optionalStrings(block.versions, ctx, `${path}.versions`),
  };
  const specific = optionalRecord(block.database_specific, ctx, `${path}.database_specific`);
  const lastKnown = optionalString(
    specific?.last_known_affected_version_range,
    ctx,
    `${path}.database_specific.last_known_affected_version_range`,
  );
  if (lastKnown !== undefined) pkg.lastKnownAffectedRange = lastKnown;
  const ecosystemSpecific = optionalRecord(block.ecosystem_specific, ctx, `${path}.ecosystem_specific`);
  if (ecosystemSpecific?.affected_functions !== undefined) {
    pkg.affectedFunctions = optionalStrings(
      ecosystemSpecific.affected_functions,
      ctx,
      `${path}.ecosystem_specific.affected_functions`,
    );
  }
  return pkg;
};

const parseEvent = (value: unknown, ctx: Shape, path: string): OsvEvent => {
  const event = expectRecord(value, ctx, path);
  const keys = Object.keys(event);
  if (keys.length !== 1)
    throw new InputError(
      ctx.file,
      `${path} must have exactly one key, got ${keys.length} (${keys.join(', ')})`,
    );
  const key = keys[0]!;
  if (!(EVENT_KEYS as readonly string[]).includes(key))
    throw new InputError(ctx.file, `${path} has unknown event "${key}"`);
  const version = expectString(event[key], ctx, `${path}.${key}`);
  return { [key as (typeof EVENT_KEYS)[number]]: version };
};

const parseSeverities = (value: unknown, ctx: Shape, path: string): OsvSeverity[] => {
  if (value === undefined || value === null) return [];
  return expectArray(value, ctx, path).map((entry, index) => {
    const severity = expectRecord(entry, ctx, `${path}[${index}]`);
    return {
      type: expectString(severity.type, ctx, `${path}[${index}].type`),
      score: expectString(severity.score, ctx, `${path}[${index}].score`),
    };
  });
};

const parseReferences = (value: unknown, ctx: Shape): Advisory['references'] => {
  if (value === undefined || value === null) return [];
  return expectArray(value, ctx, '$.references').map((entry, index) => {
    const reference = expectRecord(entry, ctx, `$.references[${index}]`);
    return {
      type: expectString(reference.type, ctx, `$.references[${index}].type`),
      url: expectString(reference.url, ctx, `$.references[${index}].url`),
    };
  });
};

/** OpenSSF puts CWEs per affected block as `[{cweId, name, description}]`. */
const collectCwes = (value: unknown, ctx: Shape, path: string, into: Set<string>): void => {
  if (value === undefined || value === null) return;
  expectArray(value, ctx, path).forEach((entry, index) => {
    if (typeof entry === 'string') into.add(entry);
    else
      into.add(
        expectString(expectRecord(entry, ctx, `${path}[${index}]`).cweId, ctx, `${path}[${index}].cweId`),
      );
  });
};

/** `indicators.package_integrity[].hashes.sha512_sri` in OpenSSF malicious-packages records. */
const collectIntegrity = (value: unknown, ctx: Shape, path: string, into: Set<string>): void => {
  const indicators = optionalRecord(value, ctx, path);
  if (!indicators || indicators.package_integrity === undefined || indicators.package_integrity === null)
    return;
  expectArray(indicators.package_integrity, ctx, `${path}.package_integrity`).forEach((entry, index) => {
    const entryPath = `${path}.package_integrity[${index}]`;
    const hashes = optionalRecord(expectRecord(entry, ctx, entryPath).hashes, ctx, `${entryPath}.hashes`);
    const sri = optionalString(hashes?.sha512_sri, ctx, `${entryPath}.hashes.sha512_sri`);
    if (sri !== undefined && /^sha512-[A-Za-z0-9+/]+={0,2}$/.test(sri)) into.add(sri);
  });
};

/**
 * The record's aliases, plus the GHSA ids OpenSSF lists as origins of a MAL entry (GitHub's malware
 * advisory for the same release), so a scan can fold both into one finding.
 */
const mergeAliases = (
  id: string,
  aliases: string[],
  specific: JsonRecord | undefined,
  ctx: Shape,
): string[] => {
  const merged = new Set(aliases);
  const origins = specific?.['malicious-packages-origins'];
  if (Array.isArray(origins)) {
    origins.forEach((origin, index) => {
      if (!isRecord(origin)) return;
      const originId = optionalString(
        origin.id,
        ctx,
        `$.database_specific.malicious-packages-origins[${index}].id`,
      );
      if (originId?.startsWith('GHSA-')) merged.add(originId);
    });
  }
  merged.delete(id);
  return [...merged].sort();
};

const optionalStrings = (value: unknown, ctx: Shape, path: string): string[] => {
  if (value === undefined || value === null) return [];
  return expectArray(value, ctx, path).map((entry, index) => expectString(entry, ctx, `${path}[${index}]`));
};

const expectTimestamp = (value: unknown, ctx: Shape, path: string): string => {
  const text = expectString(value, ctx, path);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(Date.parse(text)))
    throw new InputError(ctx.file, `${path} must be an RFC 3339 timestamp, got ${kindOf(text)}`);
  return text;
};

const optionalTimestamp = (value: unknown, ctx: Shape, path: string): string | undefined =>
  value === undefined || value === null ? undefined : expectTimestamp(value, ctx, path);

const firstLine = (text: string | undefined): string | undefined => {
  const line = text
    ?.split('\n')
    .find((l) => l.trim() !== '')
    ?.trim();
  return line ? (line.length > 200 ? `${line.slice(0, 199)}…` : line) : undefined;
};
