import { HTTP_CLIENT_MODULES } from '../../analysis/facts/sensitive-apis.js';
import type { CodeFact, Location } from '../../analysis/types.js';

/** True when a file can send data out: a network/DNS call, or an HTTP client module imported. */
export const sendsData = (fileFacts: readonly CodeFact[]): boolean => fileFacts.some((fact) => isSend(fact));

export { shapesNamed } from '../fact-queries.js';

/** A shape fact for rule tests. */
export const shape = (name: string, detail: string, at: CodeFact['at']): CodeFact => ({
  kind: 'shape',
  shape: name,
  detail,
  at,
});

/** True when two places are within `lines` lines, or on one (minified) line within `chars` columns. */
export const near = (a: Location, b: Location, lines: number, chars = lines * 80): boolean =>
  a.line === b.line ? Math.abs(a.column - b.column) <= chars : Math.abs(a.line - b.line) <= lines;

/** A fact that sends data out: a network/DNS call, or the import of an HTTP client module. */
export const isSend = (fact: CodeFact): boolean =>
  (fact.kind === 'call' && (fact.category === 'network' || fact.category === 'dns')) ||
  (fact.kind === 'import' && HTTP_CLIENT_MODULES.has(fact.module));
