import { diffArrays } from 'diff';
import type { CodeFact } from '../analysis/types.js';
import type { DiffSide } from './analyze-side.js';

/** A changed stretch of a file that touches a line where `to` does something risky. */
export type RiskyHunk = {
  file: string;
  /** First and last line of `to` the hunk covers (1-based). */
  fromLine: number;
  toLine: number;
  /** Unified-diff lines: `+` added, `-` removed, ` ` context; long lines cut to a window. */
  lines: string[];
  /** What is risky on the added lines: `network: https.request`, `finding: exfil-…`, … */
  reasons: string[];
};

export type RiskyHunks = { hunks: RiskyHunk[] /** Hunks left out over the bounds. */; omitted: number };

export type HunkLimits = {
  context: number;
  maxHunks: number;
  maxLinesPerHunk: number;
  maxLineLength: number;
  /** Files with more lines than this (both sides together) are compared by line sets, not diffed. */
  maxDiffLines: number;
  /** Edit distance after which the diff gives up and falls back to line sets. */
  maxEditLength: number;
};

export const DEFAULT_HUNK_LIMITS: HunkLimits = {
  context: 3,
  maxHunks: 20,
  maxLinesPerHunk: 40,
  maxLineLength: 160,
  maxDiffLines: 40_000,
  maxEditLength: 2_000,
};

const RISKY_MODULES = new Set([
  'child_process',
  'http',
  'https',
  'http2',
  'net',
  'tls',
  'dgram',
  'dns',
  'vm',
  'worker_threads',
]);
const INSTALL_SCRIPT_KEY = /"(preinstall|install|postinstall|prepare)"\s*:/;
/** Columns shown either side of a fact on a long (minified) line. */
const BEFORE_COLUMN = 60;

type Risk = { reasons: Set<string>; columns: number[]; weight: number };
type Entry = { op: '+' | '-' | ' '; text: string; line?: number };

/**
 * The hunks of changed and added files whose added lines hold something risky in `to`: a threat
 * finding, or a fact of a risky kind (network, child process, dynamic code, sensitive path, env
 * read, obfuscation, hidden Unicode, a new host, an install script). Lines diffed with jsdiff;
 * binary files skipped; bounded in count and size.
 */
export const riskyHunks = (
  from: DiffSide,
  to: DiffSide,
  changed: readonly string[],
  newEndpoints: ReadonlySet<string> = new Set(),
  limits: HunkLimits = DEFAULT_HUNK_LIMITS,
): RiskyHunks => {
  const risks = riskyLines(to, new Set(changed), newEndpoints);
  const binary = new Set(to.facts.files.filter((f) => f.binary !== undefined).map((f) => f.file));
  const all: (RiskyHunk & { weight: number })[] = [];
  for (const file of [...risks.keys()].sort()) {
    const after = to.files.get(file)?.bytes;
    if (after === undefined || binary.has(file) || looksBinary(after)) continue;
    const before = from.files.get(file)?.bytes;
    const entries = lineDiff(before === undefined ? [] : lines(before), lines(after), limits);
    all.push(...windows(file, entries, risks.get(file)!, limits));
  }
  // Most serious first when over the bound, then back in file order.
  const kept = [...all]
    .sort((a, b) => b.weight - a.weight)
    .slice(0, limits.maxHunks)
    .sort((a, b) => a.file.localeCompare(b.file) || a.fromLine - b.fromLine);
  return { hunks: kept.map(({ weight: _, ...hunk }) => hunk), omitted: all.length - kept.length };
};

/** Risky lines of `to`, per file, for the files that changed or were added. */
const riskyLines = (
  to: DiffSide,
  files: ReadonlySet<string>,
  newEndpoints: ReadonlySet<string>,
): Map<string, Map<number, Risk>> => {
  const out = new Map<string, Map<number, Risk>>();
  const mark = (
    file: string | undefined,
    line: number | undefined,
    reason: string,
    column = 0,
    weight = 1,
  ) => {
    if (file === undefined || line === undefined || line < 1 || !files.has(file)) return;
    const byLine = out.get(file) ?? new Map<number, Risk>();
    out.set(file, byLine);
    const risk = byLine.get(line) ?? { reasons: new Set<string>(), columns: [], weight: 0 };
    byLine.set(line, risk);
    risk.reasons.add(reason);
    if (column > 0 && !risk.columns.includes(column)) risk.columns.push(column);
    risk.weight += weight;
  };
  for (const fact of to.facts.code) {
    const reason = factReason(fact, newEndpoints);
    if (reason !== undefined) mark(fact.at.file, fact.at.line, reason, fact.at.column);
  }
  for (const finding of to.assessment.findings)
    if (finding.kind === 'threat')
      mark(finding.file, finding.line, `finding: ${finding.rule}`, finding.column ?? 0, 10);
  const manifest = to.files.get('package.json')?.bytes;
  if (manifest && files.has('package.json'))
    lines(manifest).forEach((text, i) => {
      const key = INSTALL_SCRIPT_KEY.exec(text)?.[1];
      if (key) mark('package.json', i + 1, `install script: ${key}`, 0, 5);
    });
  return out;
};

const factReason = (fact: CodeFact, newEndpoints: ReadonlySet<string>): string | undefined => {
  switch (fact.kind) {
    case 'call':
      if (fact.category === 'network' || fact.category === 'dns') return `network: ${fact.api}`;
      if (fact.category === 'process') return `child process: ${fact.api}`;
      if (fact.category === 'eval') return `dynamic code: ${fact.api}`;
      if (fact.category === 'env') return `env: ${fact.api}`;
      if (fact.category === 'native') return `native: ${fact.api}`;
      return undefined;
    case 'import': {
      const module = fact.module.replace(/^node:/, '');
      if (fact.computed) return 'computed import';
      return RISKY_MODULES.has(module) ? `imports ${module}` : undefined;
    }
    case 'url':
      return newEndpoints.has(fact.host) ? `new host: ${fact.host}` : undefined;
    case 'ip':
      return newEndpoints.has(fact.value) ? `new IP address: ${fact.value}` : undefined;
    case 'sensitive-path':
      return `sensitive path: ${fact.value}`;
    case 'env-read':
      return `env read: ${fact.key}`;
    case 'obfuscation':
      return `obfuscation: ${fact.signal}`;
    case 'unicode':
      return `hidden Unicode: ${fact.signal}`;
    case 'shape':
      return `${fact.shape}: ${fact.detail}`;
    default:
      return undefined;
  }
};

const decoder = new TextDecoder();
const lines = (bytes: Uint8Array): string[] => decoder.decode(bytes).split(/\r?\n/);

const looksBinary = (bytes: Uint8Array): boolean => bytes.subarray(0, 8192).includes(0);

/**
 * The file's lines as a unified diff (jsdiff's Myers diff over lines). Over the size or edit
 * bounds, every line of `to` whose text `from` lacks counts as added: coarser, never slow.
 */
const lineDiff = (before: string[], after: string[], limits: HunkLimits): Entry[] => {
  const changes =
    before.length + after.length <= limits.maxDiffLines
      ? diffArrays(before, after, { maxEditLength: limits.maxEditLength })
      : undefined;
  const entries: Entry[] = [];
  let line = 1;
  if (changes === undefined) {
    const known = new Set(before);
    for (const text of after) entries.push({ op: known.has(text) ? ' ' : '+', text, line: line++ });
    return entries;
  }
  for (const change of changes)
    for (const text of change.value) {
      if (change.removed) entries.push({ op: '-', text });
      else entries.push({ op: change.added ? '+' : ' ', text, line: line++ });
    }
  return entries;
};

/** Context windows around the risky added lines, merged when they overlap, cut to the bounds. */
const windows = (
  file: string,
  entries: Entry[],
  risks: Map<number, Risk>,
  limits: HunkLimits,
): (RiskyHunk & { weight: number })[] => {
  const spans: [number, number][] = [];
  entries.forEach((entry, i) => {
    if (entry.op !== '+' || entry.line === undefined || !risks.has(entry.line)) return;
    // Context counts lines of `to`; removed lines in between come along.
    let start = i;
    for (let n = 0; start > 0 && n < limits.context; start--) if (entries[start - 1]!.op !== '-') n++;
    let end = i;
    for (let n = 0; end < entries.length - 1 && n < limits.context; end++)
      if (entries[end + 1]!.op !== '-') n++;
    const last = spans[spans.length - 1];
    if (last && start <= last[1] + 1 && end - last[0] < limits.maxLinesPerHunk) last[1] = end;
    else spans.push([last ? Math.max(start, last[1] + 1) : start, end]);
  });
  return spans.map(([start, end]) => {
    const slice = entries.slice(start, Math.min(end, start + limits.maxLinesPerHunk - 1) + 1);
    const reasons = new Set<string>();
    let weight = 0;
    const shown: string[] = [];
    for (const entry of slice) {
      const risk = entry.op === '+' && entry.line !== undefined ? risks.get(entry.line) : undefined;
      if (risk) {
        for (const r of risk.reasons) reasons.add(r);
        weight += risk.weight;
      }
      for (const text of clipLine(entry.text, risk?.columns ?? [], limits.maxLineLength))
        shown.push(`${entry.op}${text}`);
    }
    const numbered = slice.filter((e) => e.line !== undefined).map((e) => e.line!);
    return {
      file,
      fromLine: numbered[0] ?? 0,
      toLine: numbered[numbered.length - 1] ?? 0,
      lines: shown,
      reasons: [...reasons].slice(0, 12),
      weight,
    };
  });
};

/** A long line becomes windows around its risky columns (at most three), or its start. */
const clipLine = (text: string, columns: readonly number[], max: number): string[] => {
  if (text.length <= max) return [text];
  const starts = columns.length === 0 ? [0] : columns.map((c) => Math.max(0, c - 1 - BEFORE_COLUMN));
  const out: string[] = [];
  let covered = -1;
  for (const start of [...new Set(starts)].sort((a, b) => a - b)) {
    if (start < covered || out.length === 3) continue;
    const end = Math.min(text.length, start + max);
    out.push(`${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`);
    covered = end;
  }
  return out;
};
