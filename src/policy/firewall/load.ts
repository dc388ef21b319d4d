import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import semver from 'semver';
import { isAlias, isMap, isPair, isScalar, LineCounter, type Node, parseDocument, visit } from 'yaml';
import { InputError } from '../../core/errors.js';
import { readInputFile } from '../../core/input.js';
import { parseSeverity } from '../../core/severity.js';
import { FIREWALL_POLICY_SCHEMA } from './schema.js';
import type { Action, FailMode, FirewallPolicy, PolicyException, RuleId } from './types.js';

const MAX_POLICY_BYTES = 1024 * 1024;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The policy when no file is given. docs/firewall-policy.md lists the same values. */
export const defaultPolicy = (): FirewallPolicy => ({
  dryRun: false,
  failMode: 'closed',
  rules: {
    malware: 'deny',
    malicious: 'deny',
    suspicious: 'warn',
    minimumReleaseAge: { action: 'hide', minutes: 1440 },
    installScripts: { action: 'warn', allow: [] },
    vulnerabilities: { action: 'warn', severity: 'high' },
    trustDowngrade: 'warn',
    exoticDependencies: 'warn',
    typosquat: 'warn',
    deprecated: 'warn',
    unpublished: 'deny',
    checkFailed: 'deny',
  },
  exceptions: [],
});

let compiled: ReturnType<Ajv2020['compile']> | undefined;
const validator = () => {
  compiled ??= new Ajv2020({ allErrors: false, strict: true, strictRequired: false, verbose: true }).compile(
    FIREWALL_POLICY_SCHEMA,
  );
  return compiled;
};

/** Reads and validates a policy file (YAML or JSON). Problems are InputErrors naming `file:line:col`. */
export const loadFirewallPolicy = (file: string): FirewallPolicy =>
  parseFirewallPolicy(readInputFile(file, MAX_POLICY_BYTES), file);

/** Parses a policy file's text; YAML, of which JSON is a subset. */
export const parseFirewallPolicy = (text: string, file: string): FirewallPolicy => {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: false });
  const pos = (offset: number | undefined): string | undefined => {
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return `${line}:${col}`;
  };
  const firstError = doc.errors[0];
  if (firstError) {
    throw new InputError(file, `invalid YAML: ${firstError.message.split('\n')[0]}`, pos(firstError.pos[0]));
  }
  /** The node at a JSON pointer path, or with `key`, the key node of that entry. */
  const nodeAt = (path: (string | number)[], key = false): Node | undefined => {
    let node: unknown = doc.contents;
    for (let i = 0; i < path.length; i++) {
      if (!node || typeof node !== 'object' || !('items' in node)) return undefined;
      const step = path[i]!;
      const items = (node as { items: unknown[] }).items;
      if (isMap(node)) {
        const pair = items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
        if (!isPair(pair)) return undefined;
        node = key && i === path.length - 1 ? pair.key : pair.value;
      } else {
        node = items[Number(step)];
      }
    }
    return (node ?? undefined) as Node | undefined;
  };
  const fail = (path: (string | number)[], message: string, key = false): never => {
    let node = nodeAt(path, key);
    // Point at the nearest enclosing node that exists (a missing key is reported on its mapping).
    for (let up = path.length - 1; node?.range === undefined && up >= 0; up--)
      node = nodeAt(path.slice(0, up));
    const named = key ? path.slice(0, -1) : path;
    const where =
      named.length > 0
        ? `${named
            .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
            .join('')
            .replace(/^\./, '')}: `
        : '';
    throw new InputError(file, `${where}${message}`, pos(node?.range?.[0] ?? doc.contents?.range?.[0]));
  };

  visit(doc, {
    Alias: (_key, node) => {
      if (isAlias(node))
        throw new InputError(file, 'YAML aliases are not allowed in a policy', pos(node.range?.[0]));
    },
  });
  const raw: unknown = doc.contents === null ? {} : doc.toJS();
  const data = raw === null || raw === undefined ? {} : raw;
  const validate = validator();
  if (!validate(data)) fail(...describeSchemaError(validate.errors ?? []));
  const input = data as RawPolicy;

  const exceptions = (input.exceptions ?? []).map((entry, i): PolicyException => {
    const date = DATE.exec(entry.expires);
    const [y, m, d] = date ? [Number(date[1]), Number(date[2]), Number(date[3])] : [0, 0, 0];
    const real = new Date(Date.UTC(y, m - 1, d));
    if (real.getUTCFullYear() !== y || real.getUTCMonth() !== m - 1 || real.getUTCDate() !== d) {
      fail(['exceptions', i, 'expires'], `"${entry.expires}" is not a calendar date (YYYY-MM-DD)`);
    }
    if (entry.versions !== undefined && semver.validRange(entry.versions) === null) {
      fail(['exceptions', i, 'versions'], `"${entry.versions}" is not a semver range`);
    }
    const waivesMalware =
      entry.rules === undefined || entry.rules.some((r) => r === 'malware' || r === 'malicious');
    if (entry.rules !== undefined && waivesMalware && entry.allowMalware !== true) {
      fail(['exceptions', i, 'rules'], 'waiving malware or a malicious verdict needs `allowMalware: true`');
    }
    const line = pos(nodeAt(['exceptions', i])?.range?.[0])?.split(':')[0];
    return { ...entry, reason: entry.reason.trim(), source: `${file}:${line ?? '?'}` };
  });
  (input.rules?.installScripts?.allow ?? []).forEach((pin, i) => {
    const version = pin.slice(pin.lastIndexOf('@') + 1);
    if (semver.valid(version) === null) {
      fail(['rules', 'installScripts', 'allow', i], `"${pin}" must pin an exact version (name@1.2.3)`);
    }
  });

  const base = defaultPolicy();
  const failMode: FailMode = input.failMode ?? base.failMode;
  const r = input.rules ?? {};
  const act = (value: RawRule | undefined, fallback: Action): Action =>
    value === undefined ? fallback : typeof value === 'string' ? value : value.action;
  return {
    dryRun: input.dryRun ?? base.dryRun,
    failMode,
    rules: {
      malware: act(r.malware, base.rules.malware),
      malicious: act(r.malicious, base.rules.malicious),
      suspicious: act(r.suspicious, base.rules.suspicious),
      minimumReleaseAge: {
        action: r.minimumReleaseAge?.action ?? base.rules.minimumReleaseAge.action,
        minutes: r.minimumReleaseAge?.minutes ?? base.rules.minimumReleaseAge.minutes,
      },
      installScripts: {
        action: r.installScripts?.action ?? base.rules.installScripts.action,
        allow: r.installScripts?.allow ?? [],
      },
      vulnerabilities: {
        action: r.vulnerabilities?.action ?? base.rules.vulnerabilities.action,
        severity: parseSeverity(r.vulnerabilities?.severity ?? 'high') ?? 'high',
      },
      trustDowngrade: act(r.trustDowngrade, base.rules.trustDowngrade),
      exoticDependencies: act(r.exoticDependencies, base.rules.exoticDependencies),
      typosquat: act(r.typosquat, base.rules.typosquat),
      deprecated: act(r.deprecated, base.rules.deprecated),
      unpublished: act(r.unpublished, base.rules.unpublished),
      checkFailed: failMode === 'closed' ? 'deny' : 'warn',
    },
    exceptions,
    file,
  };
};

type RawRule = Action | { action: Action };
interface RawPolicy {
  version?: 1;
  dryRun?: boolean;
  failMode?: FailMode;
  rules?: {
    malware?: RawRule;
    malicious?: RawRule;
    suspicious?: RawRule;
    minimumReleaseAge?: { action?: Action; minutes?: number };
    installScripts?: { action?: Action; allow?: string[] };
    vulnerabilities?: { action?: Action; severity?: string };
    trustDowngrade?: RawRule;
    exoticDependencies?: RawRule;
    typosquat?: RawRule;
    deprecated?: RawRule;
    unpublished?: RawRule;
  };
  exceptions?: (Omit<PolicyException, 'source' | 'rules'> & { rules?: RuleId[] })[];
}

/** Turns Ajv's first error into a path, a message, and whether to point at the key. */
const describeSchemaError = (errors: ErrorObject[]): [(string | number)[], string, boolean] => {
  // A failed oneOf reports each branch first; the deepest, earliest error says the most.
  const best =
    [...errors]
      .filter((e) => e.keyword !== 'oneOf' || errors.length === 1)
      .sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length)[0] ?? errors[0]!;
  const path = best.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const p = best.params as Record<string, unknown>;
  switch (best.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys(subschemaProperties(best.parentSchema));
      return [[...path, key], `unknown key "${key}" (allowed: ${allowed.join(', ')})`, true];
    }
    case 'required':
      if (best.schemaPath.includes('/oneOf/'))
        return [path, 'needs exactly one of `package` or `scope`', false];
      return [path, `\`${String(p.missingProperty)}\` is required`, false];
    case 'enum':
      return [path, `must be one of ${(p.allowedValues as unknown[]).join(', ')}`, false];
    case 'const':
      return [path, `must be ${JSON.stringify(p.allowedValue)}`, false];
    case 'oneOf':
      return [path, 'needs exactly one of `package` or `scope`', false];
    case 'pattern':
      return [path, describePattern(path), false];
    default:
      return [path, best.message ?? 'is invalid', false];
  }
};

const subschemaProperties = (schema: unknown): Record<string, unknown> =>
  (schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};

const describePattern = (path: (string | number)[]): string => {
  const last = path.filter((p) => typeof p === 'string').at(-1);
  if (last === 'expires') return 'must be a date written YYYY-MM-DD';
  if (last === 'scope') return 'must be a scope like @acme';
  if (last === 'package') return 'must be a package name';
  if (last === 'allow') return 'must be a pin name@version';
  if (last === 'reason') return 'must not be blank';
  return 'has the wrong form';
};
