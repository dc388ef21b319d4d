import type { CodeFact, Location } from '../types.js';
import { clip, excerptAt } from './excerpt.js';
import type { DecodedFrom, Folded } from './fold.js';
import { classifyString } from './string-signals.js';

/**
 * Gathers one file's facts under caps: a total, a per-kind cap for the kinds a bundle can hold
 * thousands of, and one fact per distinct string/URL/IP/path value (its first place).
 */
export const DEFAULT_MAX_FACTS = 2000;
/** Longest string value kept in a fact. */
export const MAX_VALUE = 1000;

const KIND_CAPS: Partial<Record<CodeFact['kind'], number>> = {
  string: 400,
  url: 400,
  ip: 200,
  'sensitive-path': 200,
  call: 600,
  import: 400,
  'env-read': 200,
  obfuscation: 100,
  flow: 100,
  shape: 200,
};

export type Collector = {
  facts: CodeFact[];
  truncated: boolean;
  at: (offset: number) => Location;
  add: (fact: CodeFact) => CodeFact | undefined;
  /** URL/IP/path facts for a string, plus a `string` fact when the string is worth keeping. */
  addString: (folded: Folded, offset: number) => void;
};

const PRINTABLE = /^[\x20-\x7e]+$/;

export const createCollector = (
  file: string,
  text: string,
  positionAt: (offset: number) => { line: number; column: number },
  maxFacts = DEFAULT_MAX_FACTS,
): Collector => {
  const facts: CodeFact[] = [];
  const perKind = new Map<string, number>();
  const seen = new Set<string>();
  // Strings already classified in this file, per decoding: a repeat can add no fact (every fact
  // it could yield is deduplicated by value), so it is not classified again.
  const classified = new Map<DecodedFrom | '', Set<string>>();
  const collector: Collector = {
    facts,
    truncated: false,
    at: (offset) => {
      const { line, column } = positionAt(offset);
      return { file, line, column, excerpt: excerptAt(text, offset) };
    },
    add: (fact) => {
      const count = perKind.get(fact.kind) ?? 0;
      if (facts.length >= maxFacts || count >= (KIND_CAPS[fact.kind] ?? maxFacts)) {
        collector.truncated = true;
        return undefined;
      }
      perKind.set(fact.kind, count + 1);
      facts.push(fact);
      return fact;
    },
    addString: (folded, offset) => {
      const { value } = folded;
      if (value.length < 2) return;
      const from = folded.from ?? '';
      let done = classified.get(from);
      if (!done) {
        done = new Set();
        classified.set(from, done);
      }
      if (done.has(value)) return;
      if (done.size < 50_000) done.add(value);
      const signals = classifyString(value);
      let at: Location | undefined;
      const location = () => {
        at ??= collector.at(offset);
        return at;
      };
      const once = (key: string) => {
        if (seen.has(key)) return false;
        if (seen.size < 50_000) seen.add(key);
        return true;
      };
      for (const url of signals.urls) {
        if (once(`u\0${url.value}`)) collector.add({ kind: 'url', ...url, at: location() });
      }
      for (const ip of signals.ips) {
        if (once(`i\0${ip.value}\0${ip.port ?? ''}`)) collector.add({ kind: 'ip', ...ip, at: location() });
      }
      for (const path of signals.paths) {
        if (once(`p\0${path.category}\0${path.value}`)) {
          collector.add({
            kind: 'sensitive-path',
            value: clip(path.value, MAX_VALUE),
            category: path.category,
            at: location(),
          });
        }
      }
      // URLs and IPs have facts of their own; a string fact is for what else the string says.
      const built = folded.from !== undefined && folded.from !== 'concat' && folded.from !== 'unicode';
      const decoded = built && value.length >= 4 && (folded.from !== 'hex' || PRINTABLE.test(value));
      const keep =
        signals.command ||
        signals.blob ||
        signals.paths.length > 0 ||
        (signals.sensitiveName && folded.from !== undefined) ||
        decoded;
      if (!keep) return;
      if (!once(`s\0${value.length > 200 ? value.slice(0, 200) : value}`)) return;
      const fact: CodeFact = { kind: 'string', value: clip(value, MAX_VALUE), at: location() };
      if (folded.from) fact.decodedFrom = folded.from;
      collector.add(fact);
    },
  };
  return collector;
};
