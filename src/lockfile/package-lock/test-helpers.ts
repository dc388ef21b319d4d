import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DependencyGraph } from '../../core/graph.js';
import type { LockfileInput } from '../types.js';
import { packageLockParser } from './package-lock.js';

export const TESTDATA = join(import.meta.dirname, 'testdata');

/** Parses text as if it were `<dir>/<fileName>`, with the given files beside it. */
export const parseText = (
  content: string,
  siblings: Record<string, string> = {},
  path = '/project/package-lock.json',
): DependencyGraph => {
  const input: LockfileInput = {
    path,
    content,
    readSibling: (relative) => (Object.hasOwn(siblings, relative) ? siblings[relative] : undefined),
  };
  return packageLockParser.parse(input);
};

/** A scenario fixture `testdata/<scenario>.<version>.json`, with `<scenario>.package.json` beside it. */
export const parseFixture = (
  name: string,
  options: { packageJson?: boolean; npmrc?: string } = {},
): DependencyGraph => {
  const siblings: Record<string, string> = {};
  if (options.packageJson !== false) {
    const scenario = name.replace(/\.v\d\.json$/, '');
    siblings['package.json'] = readFileSync(join(TESTDATA, `${scenario}.package.json`), 'utf8');
  }
  if (options.npmrc !== undefined) siblings['.npmrc'] = options.npmrc;
  return parseText(readFileSync(join(TESTDATA, name), 'utf8'), siblings, `/project/${name}`);
};

/** Edges as sorted one-line strings: `from -type-> to (name@range)`. */
export const edgeLines = (graph: DependencyGraph): string[] =>
  graph.edges.map((e) => `${e.from} -${e.type}-> ${e.to} (${e.name}@${e.range})`).sort();

/** Nodes keyed by id, without `line`, `integrity` (fixtures share one dummy value). */
export const nodeTable = (graph: DependencyGraph): Record<string, Record<string, unknown>> => {
  const rows = [...graph.nodes.values()].map((node) => {
    const { id, line: _line, integrity: _integrity, ...rest } = node;
    return [id, rest] as const;
  });
  return Object.fromEntries(rows.sort(([a], [b]) => a.localeCompare(b)));
};

export const flagsOf = (graph: DependencyGraph, id: string): string => {
  const node = graph.nodes.get(id);
  if (!node) return 'absent';
  const flags = (['dev', 'optional', 'peer', 'bundled'] as const).filter((flag) => node[flag]);
  return flags.length === 0 ? 'none' : flags.join(',');
};
