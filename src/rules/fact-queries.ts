import { hostRange } from '../analysis/facts/string-signals.js';
import type { ApiCategory, CodeFact, Location, ManifestFacts, PackageFacts } from '../analysis/types.js';

/** Small queries over PackageFacts shared by the rules. Rules never re-parse code. */

export type FactOf<K extends CodeFact['kind']> = Extract<CodeFact, { kind: K }>;
export type CallFact = FactOf<'call'>;

export const factsOfKind = <K extends CodeFact['kind']>(facts: PackageFacts, kind: K): FactOf<K>[] =>
  facts.code.filter((fact): fact is FactOf<K> => fact.kind === kind);

export const callsIn = (facts: PackageFacts, categories: readonly ApiCategory[]): CallFact[] =>
  factsOfKind(facts, 'call').filter((call) => categories.includes(call.category));

/** The shape facts of the given names (src/analysis/facts/shapes/), in order. */
export const shapesNamed = (facts: readonly CodeFact[], ...names: string[]): FactOf<'shape'>[] =>
  facts.filter((fact): fact is FactOf<'shape'> => fact.kind === 'shape' && names.includes(fact.shape));

export const isCallIn = (fact: CodeFact, categories: readonly ApiCategory[]): fact is CallFact =>
  fact.kind === 'call' && categories.includes(fact.category);

/** The facts of each file, in extraction order. */
export const factsByFile = (facts: PackageFacts): Map<string, CodeFact[]> => {
  const files = new Map<string, CodeFact[]>();
  for (const fact of facts.code) {
    const list = files.get(fact.at.file);
    if (list) list.push(fact);
    else files.set(fact.at.file, [fact]);
  }
  return files;
};

/** The strings a fact carries (decoded values, URLs, paths, call arguments, module names). */
export const textsOf = (fact: CodeFact): string[] => {
  switch (fact.kind) {
    case 'string':
    case 'url':
    case 'ip':
    case 'sensitive-path':
      return [fact.value];
    case 'call':
      return fact.args;
    case 'import':
      return [fact.module];
    case 'env-read':
      return [fact.key];
    case 'obfuscation':
    case 'shape':
      return [fact.detail];
    default:
      return [];
  }
};

/** Every text in the package with where it was seen. */
export const allTexts = (facts: PackageFacts): { text: string; at: Location; fact: CodeFact }[] =>
  facts.code.flatMap((fact) => textsOf(fact).map((text) => ({ text, at: fact.at, fact })));

/** Samples and tests use reserved names (RFC 2606/6761); rules match them like the real host. */
const RESERVED_SUFFIX = /\.(?:invalid|test|example)\.?$/;

export const hostForMatching = (host: string): string =>
  host.toLowerCase().replace(/\.$/, '').replace(RESERVED_SUFFIX, '');

/** `localhost`, `127.x.x.x`, `::1` (bracketed or not): the analyser's own address classes. */
export const isLoopbackHost = (host: string): boolean =>
  hostRange(host.replace(/^\[|\]$/g, '').toLowerCase()) === 'loopback';

export const hostOfUrl = (value: string): string | undefined => {
  try {
    return hostForMatching(new URL(value).hostname);
  } catch {
    return undefined;
  }
};

/** True when `host` is `domain` or a subdomain of it. */
export const hostIs = (host: string, domain: string): boolean =>
  host === domain || host.endsWith(`.${domain}`);

export const parseIpv4 = (value: string): number[] | undefined => {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value);
  if (!match) return undefined;
  const parts = match.slice(1).map(Number);
  return parts.every((part) => part <= 255) ? parts : undefined;
};

/**
 * Addresses that cannot be a remote server: loopback, private, link-local, CGNAT, multicast,
 * unspecified, broadcast. Documentation ranges (RFC 5737) are NOT excluded: they stand in for
 * public addresses in our samples and never appear in working package code.
 */
export const isLocalIpv4 = (parts: readonly number[]): boolean => {
  const [a = 0, b = 0] = parts;
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
};

const RUN_FILE = /\bnode(?:\.exe)?\s+(?:--?[\w-]+(?:=\S+)?\s+)*["']?([^\s"'&|;]+)/g;

/** Package files an install script runs with `node <file>`, resolved against the package's files. */
export const filesRunByInstallScripts = (
  manifest: ManifestFacts,
  files: readonly { file: string }[],
): string[] => {
  const known = new Set(files.map((f) => f.file));
  const found = new Set<string>();
  for (const command of Object.values(manifest.installScripts)) {
    for (const match of command.matchAll(RUN_FILE)) {
      const raw = (match[1] ?? '').replace(/^\.\//, '');
      for (const candidate of [raw, `${raw}.js`, `${raw}/index.js`]) {
        if (known.has(candidate)) {
          found.add(candidate);
          break;
        }
      }
    }
  }
  return [...found];
};

export const location = (file: string, line = 1, column = 1): Location => ({ file, line, column });

/** Files a package ships but does not run: tests, fixtures, examples (by path convention). */
export const isTestFile = (file: string): boolean =>
  /(?:^|\/)(?:__tests__|__mocks__|tests?|spec|fixtures?|examples?)\//i.test(file) ||
  /\.(?:test|spec)\.[cm]?[jt]sx?$/i.test(file);
