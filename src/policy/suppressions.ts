import { existsSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { InputError } from '../core/errors.js';
import type { Finding, Suppression } from '../core/finding.js';
import { readInputFile } from '../core/input.js';

/** A suppression as read from the policy file; `allowMalware` is needed to accept malware. */
export type PolicySuppression = Suppression & { allowMalware: boolean; line: number };

export const SUPPRESSION_FILES = ['bulwark.yaml', '.bulwark.yaml'] as const;

/** Keys a policy file may hold at the top level. Anything else is a typo and is refused. */
export const POLICY_TOP_LEVEL_KEYS: ReadonlySet<string> = new Set(['suppressions']);

const SUPPRESSION_KEYS = new Set(['id', 'package', 'range', 'reason', 'expires', 'allowMalware']);
const MAX_POLICY_BYTES = 1024 * 1024;
const MAX_SUPPRESSIONS = 10_000;
const ID = /^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The policy file of a project directory, if it has one. Both names at once is an error. */
export const findSuppressionFile = (dir: string): string | undefined => {
  const present = SUPPRESSION_FILES.map((name) => join(dir, name)).filter((file) => existsSync(file));
  if (present.length > 1) {
    throw new InputError(present[1]!, `both ${SUPPRESSION_FILES.join(' and ')} exist; keep one`);
  }
  return present[0];
};

/** Reads the project's suppressions; none when there is no policy file. */
export const loadSuppressions = (dir: string): PolicySuppression[] => {
  const file = findSuppressionFile(dir);
  return file === undefined ? [] : parseSuppressions(readInputFile(file, MAX_POLICY_BYTES), file);
};

/** Parses and validates a policy file. Every problem is an InputError naming `file:line:column`. */
export const parseSuppressions = (text: string, file: string): PolicySuppression[] => {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (node: Node | null | undefined): string | undefined => {
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return `${line}:${col}`;
  };
  const firstError = doc.errors[0];
  if (firstError) {
    const { line, col } = lineCounter.linePos(firstError.pos[0]);
    throw new InputError(file, `invalid YAML: ${firstError.message.split('\n')[0]}`, `${line}:${col}`);
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return [];
  if (!isMap(root)) throw new InputError(file, 'must be a mapping with a `suppressions` list', at(root));

  let list: Node | null = null;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined || !POLICY_TOP_LEVEL_KEYS.has(key)) {
      throw new InputError(
        file,
        `unknown key ${key === undefined ? '(not a plain key)' : `"${key}"`}; expected ${[...POLICY_TOP_LEVEL_KEYS].join(', ')}`,
        at(pair.key as Node),
      );
    }
    if (key === 'suppressions') list = pair.value as Node | null;
  }
  if (list === null || (isScalar(list) && list.value === null)) return [];
  if (!isSeq(list)) throw new InputError(file, '`suppressions` must be a list', at(list));
  if (list.items.length > MAX_SUPPRESSIONS) {
    throw new InputError(file, `has ${list.items.length} suppressions, over the ${MAX_SUPPRESSIONS} limit`);
  }

  return list.items.map((item, i) => {
    const where = `suppressions[${i}]`;
    const itemNode = item as Node;
    if (!isMap(item)) throw new InputError(file, `${where} must be a mapping`, at(itemNode));
    const values = new Map<string, { value: unknown; node: Node }>();
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!SUPPRESSION_KEYS.has(key)) {
        throw new InputError(
          file,
          `${where}: unknown key "${key}" (allowed: ${[...SUPPRESSION_KEYS].join(', ')})`,
          at(pair.key as Node),
        );
      }
      const valueNode = pair.value as Node;
      if (!isScalar(valueNode))
        throw new InputError(
          file,
          `${where}.${key} must be a single value`,
          at(valueNode) ?? at(pair.key as Node),
        );
      values.set(key, { value: valueNode.value, node: valueNode });
    }
    const line = Number((at(itemNode) ?? '0').split(':')[0]);
    const str = (key: string, required: boolean): string | undefined => {
      const entry = values.get(key);
      if (!entry || entry.value === null) {
        if (required) throw new InputError(file, `${where}: \`${key}\` is required`, at(itemNode));
        return undefined;
      }
      if (typeof entry.value !== 'string' || entry.value.trim() === '') {
        throw new InputError(file, `${where}.${key} must be a non-empty string`, at(entry.node));
      }
      return entry.value.trim();
    };
    const id = str('id', true)!;
    if (!ID.test(id) && id !== BEHAVIOR_SUPPRESSION_ID)
      throw new InputError(
        file,
        `${where}.id "${id}" is not an advisory id (GHSA-…, CVE-…, MAL-…), a rule id or "behavior"`,
        at(values.get('id')?.node),
      );
    if (id === BEHAVIOR_SUPPRESSION_ID && !values.has('package'))
      throw new InputError(
        file,
        `${where}: id "behavior" covers all of one package's behaviour evidence and needs \`package\``,
        at(values.get('id')?.node),
      );
    const reason = str('reason', true)!;
    const expires = str('expires', true)!;
    if (!isCalendarDate(expires)) {
      throw new InputError(
        file,
        `${where}.expires must be a date written YYYY-MM-DD, got "${expires}"`,
        at(values.get('expires')?.node),
      );
    }
    const allowEntry = values.get('allowMalware');
    if (allowEntry && typeof allowEntry.value !== 'boolean') {
      throw new InputError(file, `${where}.allowMalware must be true or false`, at(allowEntry.node));
    }
    const allowMalware = allowEntry?.value === true;
    if (/^MAL-/i.test(id) && !allowMalware) {
      throw new InputError(
        file,
        `${where}: refusing to suppress malware ${id}; set \`allowMalware: true\` only if you have verified the package is not the malicious one`,
        at(values.get('id')?.node),
      );
    }
    const suppression: PolicySuppression = { id, reason, expires, source: file, allowMalware, line };
    const pkg = str('package', false);
    if (pkg !== undefined) suppression.package = pkg;
    const range = str('range', false);
    if (range !== undefined) {
      if (semver.validRange(range) === null) {
        throw new InputError(
          file,
          `${where}.range "${range}" is not a semver range`,
          at(values.get('range')?.node),
        );
      }
      suppression.range = range;
    }
    return suppression;
  });
};

const isCalendarDate = (text: string): boolean => {
  const match = DATE.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
};

/** The local calendar date, YYYY-MM-DD: expiry is a day the team wrote down, not an instant. */
export const localDate = (now: Date): string => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
};

/** Whether a suppression is in force on `today`. It stops applying ON its expiry date. */
export const isActive = (suppression: Suppression, today: string): boolean =>
  suppression.expires === undefined || today < suppression.expires;

export const suppressionCovers = (suppression: Suppression, finding: Finding): boolean => {
  const wanted = suppression.id.toUpperCase();
  if (
    finding.id.toUpperCase() !== wanted &&
    !finding.aliases.some((alias) => alias.toUpperCase() === wanted)
  ) {
    return false;
  }
  return coversPackage(suppression, finding);
};

const coversPackage = (suppression: Suppression, finding: Finding): boolean => {
  if (suppression.package !== undefined && suppression.package !== finding.package.name) return false;
  if (suppression.range !== undefined) {
    try {
      if (!semver.satisfies(finding.package.version, suppression.range, { includePrerelease: true }))
        return false;
    } catch {
      return false;
    }
  }
  return true;
};

/**
 * Marks findings covered by an active suppression (`suppression`), and findings whose only
 * matching suppressions have expired (`expiredSuppression`; they stay active). Malware is only
 * suppressed by an entry with `allowMalware: true`. Returns new finding objects.
 */
export const applySuppressions = (
  findings: readonly Finding[],
  suppressions: readonly (Suppression & { allowMalware?: boolean })[],
  today: Date | string,
): Finding[] => {
  const day = typeof today === 'string' ? today : localDate(today);
  return findings.map((finding) => {
    if (finding.type === 'behavior') return applyToBehavior(finding, suppressions, day);
    const matching = suppressions.filter(
      (suppression) =>
        suppressionCovers(suppression, finding) &&
        (finding.type !== 'malware' || suppression.allowMalware === true),
    );
    const { suppression: _old, expiredSuppression: _oldExpired, ...rest } = finding;
    const active = matching.find((suppression) => isActive(suppression, day));
    if (active) return { ...rest, suppression: publicSuppression(active) };
    const expired = matching[0];
    if (expired) return { ...rest, expiredSuppression: publicSuppression(expired) };
    return { ...rest };
  });
};

const publicSuppression = (suppression: Suppression): Suppression => {
  const out: Suppression = { id: suppression.id, reason: suppression.reason, source: suppression.source };
  if (suppression.package !== undefined) out.package = suppression.package;
  if (suppression.range !== undefined) out.range = suppression.range;
  if (suppression.expires !== undefined) out.expires = suppression.expires;
  return out;
};

/** `id: behavior` with a `package` covers every piece of a package's behaviour evidence. */
export const BEHAVIOR_SUPPRESSION_ID = 'behavior';

/**
 * A behaviour finding is one verdict built from several rules (its id and aliases). Accepting one
 * rule's evidence must not hide the others', so the finding is suppressed only when every rule is
 * covered, by its own id or by `id: behavior` for the package. A `malicious` verdict needs
 * `allowMalware: true` on each covering entry, as known malware does.
 */
const applyToBehavior = (
  finding: Finding,
  suppressions: readonly (Suppression & { allowMalware?: boolean })[],
  day: string,
): Finding => {
  const { suppression: _old, expiredSuppression: _oldExpired, ...rest } = finding;
  const malicious = finding.behavior?.verdict === 'malicious';
  const perRule = [finding.id, ...finding.aliases].map((rule) =>
    suppressions.filter(
      (suppression) =>
        (suppression.id.toLowerCase() === rule.toLowerCase() ||
          (suppression.id.toLowerCase() === BEHAVIOR_SUPPRESSION_ID && suppression.package !== undefined)) &&
        coversPackage(suppression, finding) &&
        (!malicious || suppression.allowMalware === true),
    ),
  );
  if (perRule.some((entries) => entries.length === 0)) return { ...rest };
  const active = perRule.map((entries) => entries.find((entry) => isActive(entry, day)));
  if (active.every((entry) => entry !== undefined))
    return { ...rest, suppression: publicSuppression(active[0]!) };
  return { ...rest, expiredSuppression: publicSuppression(perRule[0]![0]!) };
};
